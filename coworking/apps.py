from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoworkingConfig(AppConfig):
    name = "coworking"
    verbose_name = _("Coworking")

    def ready(self):
        from coworking.models import Space
        from coworking.waitlists import SpaceWaitlist
        from waitlist.registry import register

        register(Space, SpaceWaitlist())
