"""Who did what, when, to which record: staff decisions and changes to personal data.

Changes made in the admin are recorded by Django's own LogEntry; custom screens
call `audit.record(...)`. Both are listed together on the staff audit page.
Events are append-only: the admin shows them read-only.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor (as recorded)"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=100)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("record type")
    )
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_label = models.CharField(_("record (as recorded)"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor_label} {self.action} {self.target_label}"


def record(actor, action, target=None, *, changes=None, reason=""):
    """Append an audit event. `changes` maps a field name to [before, after]."""
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=str(actor) if actor is not None else "",
        action=action,
        changes=changes or {},
        reason=reason,
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)
        event.target_label = str(target)[:255]
    event.save()
    return event


def diff(before, after, fields):
    """{field: [before, after]} for the fields whose value changed between two snapshots (dicts)."""
    return {name: [before.get(name), after.get(name)] for name in fields if before.get(name) != after.get(name)}
