import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(32)


_ACTIVE = models.Q(status__in=["waiting", "offered"])


class WaitingListEntryQuerySet(models.QuerySet):
    def for_target(self, target):
        return self.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)

    def for_slot(self, target, slot_start=None, slot_end=None):
        """Entries for target; with a slot, those whose slot overlaps it; without, those with no slot."""
        entries = self.for_target(target)
        if slot_start is None:
            return entries.filter(slot_start__isnull=True)
        if slot_end is None:
            return entries.filter(slot_start=slot_start)
        return entries.filter(slot_start__lt=slot_end, slot_end__gt=slot_start)

    def active(self):
        return self.filter(status__in=WaitingListEntry.ACTIVE_STATUSES)

    def waiting(self):
        return self.filter(status=WaitingListEntry.Status.WAITING)

    def live_offers(self, now=None):
        return self.filter(status=WaitingListEntry.Status.OFFERED, offer_expires_at__gt=now or timezone.now())

    def in_arrival_order(self):
        return self.order_by("created_at", "id")


class WaitingListEntry(models.Model):
    """Someone waiting for a place on a target (a space slot, a training session, a workshop)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Place offered")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Offer expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ACTIVE_STATUSES = [Status.WAITING, Status.OFFERED]

    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="waiting_list_entries", verbose_name=_("target type")
    )
    target_id = models.PositiveBigIntegerField(_("target id"))
    target = GenericForeignKey("target_type", "target_id")
    slot_start = models.DateTimeField(_("slot start"), null=True, blank=True)
    slot_end = models.DateTimeField(_("slot end"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="waiting_list_entries",
        verbose_name=_("user"),
    )
    email = models.EmailField(_("email address"), blank=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    quantity = models.PositiveSmallIntegerField(_("number of places"), default=1)
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    payload = models.JSONField(_("data"), default=dict, blank=True)

    objects = WaitingListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "status", "created_at"], name="waitlist_target_status_idx"
            ),
            models.Index(fields=["status", "offer_expires_at"], name="waitlist_offer_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1),
                name="waitlist_quantity_at_least_one",
                violation_error_message=_("Ask for at least one place."),
            ),
            models.CheckConstraint(
                condition=~models.Q(user__isnull=True, email=""),
                name="waitlist_user_or_email",
                violation_error_message=_("Give an email address so we can tell you when a place frees up."),
            ),
            # Two constraints per identity because NULL slot_start values never collide in a unique index.
            models.UniqueConstraint(
                fields=["target_type", "target_id", "slot_start", "user"],
                condition=_ACTIVE & models.Q(user__isnull=False, slot_start__isnull=False),
                name="waitlist_one_active_entry_per_user_and_slot",
                violation_error_message=_("You are already on the waiting list for this."),
            ),
            models.UniqueConstraint(
                fields=["target_type", "target_id", "user"],
                condition=_ACTIVE & models.Q(user__isnull=False, slot_start__isnull=True),
                name="waitlist_one_active_entry_per_user",
                violation_error_message=_("You are already on the waiting list for this."),
            ),
            models.UniqueConstraint(
                fields=["target_type", "target_id", "slot_start", "email"],
                condition=_ACTIVE & ~models.Q(email="") & models.Q(slot_start__isnull=False),
                name="waitlist_one_active_entry_per_email_and_slot",
                violation_error_message=_("This email address is already on the waiting list for this."),
            ),
            models.UniqueConstraint(
                fields=["target_type", "target_id", "email"],
                condition=_ACTIVE & ~models.Q(email="") & models.Q(slot_start__isnull=True),
                name="waitlist_one_active_entry_per_email",
                violation_error_message=_("This email address is already on the waiting list for this."),
            ),
        ]

    def __str__(self):
        return _("%(person)s waiting for %(target)s") % {"person": self.display_name, "target": self.target}

    def get_absolute_url(self):
        return reverse("waitlist:entry", args=[self.token])

    @property
    def display_name(self):
        if self.user_id:
            return str(self.user)
        return self.name or self.email

    @property
    def contact_email(self):
        return self.user.email if self.user_id else self.email

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES

    def offer_is_live(self, now=None):
        return (
            self.status == self.Status.OFFERED
            and self.offer_expires_at is not None
            and self.offer_expires_at > (now or timezone.now())
        )
