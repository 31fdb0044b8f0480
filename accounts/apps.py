from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and newcomer projects")

    def ready(self):
        from accounts import roles, search, signals

        # Accent-insensitive search (accounts/search.py): SQLite gets UNACCENT() on every connection it opens.
        connection_created.connect(search.register_sqlite_unaccent, dispatch_uid="accounts.sqlite_unaccent")

        user = self.get_model("User")
        post_save.connect(signals.user_saved, sender=user, dispatch_uid="accounts.user_saved")
        for through in (user.groups.through, user.user_permissions.through):
            m2m_changed.connect(signals.powers_changed, sender=through, dispatch_uid=f"accounts.powers.{through}")

        # Permissions of every app exist only after their post_migrate step, so
        # the role groups are brought up to date last.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
