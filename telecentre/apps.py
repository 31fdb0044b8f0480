from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelecentreConfig(AppConfig):
    name = "telecentre"
    verbose_name = _("Télécentre")

    def ready(self):
        from core import checks  # noqa: F401 - registers the production checks
        from telecentre import freshness

        freshness.connect()
