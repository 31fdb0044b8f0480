from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class TelecentreConfig(AppConfig):
    name = "telecentre"
    verbose_name = _("Télécentre")

    def ready(self):
        from core import checks  # noqa: F401 - registers the production checks
        from telecentre import freshness

        freshness.connect()


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose login is the site's (telecentre/admin_site.py)."""

    default = False
    default_site = "telecentre.admin_site.AdminSite"
