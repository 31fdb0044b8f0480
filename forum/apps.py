from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Telework forum")

    def ready(self):
        from forum.models import Workshop
        from forum.waiting import WorkshopWaitlist
        from waitlist.registry import register

        register(Workshop, WorkshopWaitlist())
