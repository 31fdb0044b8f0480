from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelecentreConfig(AppConfig):
    name = "telecentre"
    verbose_name = _("Télécentre")

    def ready(self):
        from telecentre import freshness

        freshness.connect()
