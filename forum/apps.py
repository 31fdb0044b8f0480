from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def programme_changed(sender, **kwargs):
    """An edition or a workshop changed: the registration page's cached programme is renewed."""
    from forum.registration_page import PROGRAMME
    from telecentre import freshness

    freshness.bump(PROGRAMME)


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Telework forum")

    def ready(self):
        from forum.models import Edition, Workshop
        from forum.waiting import WorkshopWaitlist
        from waitlist.registry import register

        register(Workshop, WorkshopWaitlist())
        for model in (Edition, Workshop):
            uid = f"forum-programme-{model.__name__}"
            post_save.connect(programme_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(programme_changed, sender=model, dispatch_uid=f"{uid}-delete")
