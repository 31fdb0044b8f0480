from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and newcomer projects")

    def ready(self):
        from accounts import roles

        # Permissions of every app exist only after their post_migrate step, so
        # the role groups are brought up to date last.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
