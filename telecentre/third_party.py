"""The third-party apps' configurations, named in French in the admin (INSTALLED_APPS points here).

Their models keep the names their migrations record, wrapped for translation so that the site's catalogue
(locale/) gives them in French; nothing here changes a table or a migration."""

from axes.apps import AppConfig as BaseAxesConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as BaseTOTPConfig
from django_tasks_db.apps import TasksAppConfig as BaseTasksConfig


class AxesConfig(BaseAxesConfig):
    verbose_name = _("Login protection")


class TOTPConfig(BaseTOTPConfig):
    verbose_name = _("Two-factor authentication")
    default = False

    def ready(self):
        super().ready()
        device = self.get_model("TOTPDevice")
        device._meta.verbose_name = _("TOTP device")
        device._meta.verbose_name_plural = _("TOTP devices")
        # The names Django derives from the fields, as translatable strings (the same text: no migration).
        for field, label in [
            ("user", _("user")),
            ("name", _("name")),
            ("confirmed", _("confirmed")),
            ("created_at", _("created at")),
            ("last_used_at", _("last used at")),
        ]:
            device._meta.get_field(field).verbose_name = label


class TasksConfig(BaseTasksConfig):
    verbose_name = _("Background tasks (emails)")
    default = False
