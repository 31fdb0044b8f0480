import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# GDPR art. 12(3): an answer within one month of receipt.
RESPONSE_DELAY = datetime.timedelta(days=30)


class DataRequestQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[DataRequest.Status.DONE, DataRequest.Status.REFUSED])

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class DataRequest(models.Model):
    """A request from a person about their personal data, tracked to its one-month deadline."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access to my data")
        RECTIFICATION = "rectification", _("Correction of my data")
        ERASURE = "erasure", _("Erasure of my data")
        OBJECTION = "objection", _("Objection to a processing")
        PORTABILITY = "portability", _("Portability of my data")
        ALGORITHM = "algorithm", _("Explanation of an algorithmic decision")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Answered")
        REFUSED = "refused", _("Refused (with reason)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_requests",
        verbose_name=_("person"),
    )
    email = models.EmailField(_("email address"))
    kind = models.CharField(_("request"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("details"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("answer due by"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    answer = models.TextField(_("answer given"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_data_requests",
        verbose_name=_("handled by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.email}"

    def save(self, *args, **kwargs):
        if not self.due_on:
            self.due_on = (timezone.localtime(self.received_at) + RESPONSE_DELAY).date()
        super().save(*args, **kwargs)

    @property
    def is_overdue(self):
        return self.status not in (self.Status.DONE, self.Status.REFUSED) and self.due_on < timezone.localdate()


class AccessibilityReport(models.Model):
    """A visitor reports a page or service they could not use; staff track it to an answer."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        FIXED = "fixed", _("Fixed")

    name = models.CharField(_("your name"), max_length=150, blank=True)
    email = models.EmailField(_("your email address"), help_text=_("So that we can answer you."))
    page_url = models.CharField(_("page concerned"), max_length=500, blank=True)
    description = models.TextField(_("what went wrong"))
    assistive_technology = models.CharField(
        _("assistive technology used, if any"),
        max_length=200,
        blank=True,
        help_text=_("e.g. NVDA, zoom, voice control"),
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    staff_notes = models.TextField(_("follow-up"), blank=True)

    class Meta:
        verbose_name = _("accessibility report")
        verbose_name_plural = _("accessibility reports")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.received_at:%d/%m/%Y} — {self.page_url or self.email}"
