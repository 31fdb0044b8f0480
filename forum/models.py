"""The yearly telework forum: editions, programme, public registrations and check-in."""

import datetime
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import dates
from telecentre import freshness
from waitlist.models import WaitingListEntry

# Ticket codes avoid characters people confuse when typing them by hand (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_token():
    return secrets.token_urlsafe(32)


def new_ticket_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(10))


class Profile(models.TextChoices):
    TELEWORKER = "teleworker", _("Teleworker")
    EMPLOYEE = "employee", _("Employee")
    EMPLOYER = "employer", _("Employer")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur or would-be entrepreneur")
    ELECTED = "elected", _("Elected official")
    CURIOUS = "curious", _("Curious visitor")


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def current(self):
        """The published edition people register for: the next one, else the last one."""
        today = timezone.localdate()
        upcoming = self.published().filter(end_date__gte=today).order_by("start_date").first()
        return upcoming or self.published().order_by("-start_date").first()


class Edition(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    theme = models.CharField(_("theme"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200)
    venue_address = models.CharField(_("venue address"), max_length=250, blank=True)
    capacity = models.PositiveIntegerField(_("venue capacity"), help_text=_("Most people the venue can welcome."))
    registration_opens_at = models.DateTimeField(_("registration opens at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only a published edition is shown to the public.")
    )
    description = models.TextField(_("description"), blank=True)
    attendee_total = models.PositiveIntegerField(
        _("people registered"),
        default=0,
        editable=False,
        help_text=_("Running total of the people of confirmed registrations, kept under the edition row lock."),
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("forum edition")
        verbose_name_plural = _("forum editions")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="forum_edition_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="forum_edition_registration_closes_after_opening",
                violation_error_message=_("Registration must close after it opens."),
            ),
        ]

    def __str__(self):
        return _("Forum %(year)s — %(theme)s") % {"year": self.year, "theme": self.theme}

    def get_absolute_url(self):
        return reverse("forum:programme")

    def registration_is_open(self, now=None):
        now = now or timezone.now()
        return self.is_published and self.registration_opens_at <= now < self.registration_closes_at

    def is_over(self, today=None):
        return (today or timezone.localdate()) > self.end_date

    def attendee_count(self):
        """People of the confirmed registrations, counted from the records (slow with many registrations)."""
        return Attendee.objects.filter(
            registration__edition=self, registration__status=Registration.Status.CONFIRMED
        ).count()

    # The running total `attendee_total` spares the registration rush a count of every attendee. Every write
    # path that adds or removes people changes it while holding the edition row lock (select_for_update).

    def add_to_total(self, people):
        """Count `people` more (or fewer, when negative) people registered (the caller holds the edition lock)."""
        Edition.objects.filter(pk=self.pk).update(attendee_total=Greatest(F("attendee_total") + people, 0))
        self.attendee_total = max(self.attendee_total + people, 0)

    def recount_attendees(self):
        """Set the running total from the records (the caller holds the edition lock)."""
        self.attendee_total = self.attendee_count()
        Edition.objects.filter(pk=self.pk).update(attendee_total=self.attendee_total)

    def admit(self, people):
        """Count `people` more people, whose records are written, if the venue has room for them; whether it had.

        The caller holds the edition lock. The running total answers yes cheaply; a no is checked against the
        records first, so a total left too high (registrations deleted by hand) never turns anyone away.
        """
        if self.attendee_total + people <= self.capacity:
            self.add_to_total(people)
            return True
        self.recount_attendees()
        return self.attendee_total <= self.capacity

    def copy_for_year(self, year):
        """A draft edition for `year` with this edition's programme structure (talks and workshops).

        Dates move by whole weeks so the forum keeps its weekday; speakers are kept,
        exhibitors are not (they apply again every year).
        """
        weeks = round(
            (datetime.date(year, self.start_date.month, min(self.start_date.day, 28)) - self.start_date).days / 7
        )
        shift = datetime.timedelta(weeks=weeks)
        with transaction.atomic():
            edition = Edition.objects.create(
                year=year,
                theme=self.theme,
                start_date=self.start_date + shift,
                end_date=self.end_date + shift,
                venue=self.venue,
                venue_address=self.venue_address,
                capacity=self.capacity,
                registration_opens_at=self.registration_opens_at + shift,
                registration_closes_at=self.registration_closes_at + shift,
                description=self.description,
            )
            for model in (Talk, Workshop):
                for item in model.objects.filter(edition=self).prefetch_related("speakers"):
                    speakers = list(item.speakers.all())
                    item.pk = None
                    item._state.adding = True
                    item.edition = edition
                    item.starts_at += shift
                    item.ends_at += shift
                    item.save()
                    item.speakers.set(speakers)
        return edition


class Speaker(models.Model):
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="forum/speakers/", blank=True)
    photo_thumbnail = models.ImageField(_("photo thumbnail"), upload_to="forum/speakers/thumbs/", blank=True)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProgrammeItem(models.Model):
    """What talks and workshops share: a titled slot in a room, for some audiences."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=100)
    audiences = models.JSONField(
        _("audiences"), default=list, blank=True, help_text=_("Profiles this is meant for; empty for everyone.")
    )

    class Meta:
        abstract = True
        ordering = ["starts_at", "room"]

    def __str__(self):
        return self.title

    def audience_labels(self):
        return [Profile(value).label for value in self.audiences if value in Profile.values]

    def overlaps(self, other):
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def when(self):
        """ "12 juin 2026, 14:00–15:30" in the current language and time zone."""
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return "{}, {}–{}".format(
            dates.format_date(start, "DATE_FORMAT"), date_format(start, "TIME_FORMAT"), date_format(end, "TIME_FORMAT")
        )


class Talk(ProgrammeItem):
    """A talk or round table: open to every visitor, no seat to book."""

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        ROUND_TABLE = "round_table", _("Round table")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="talks", verbose_name=_("edition"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TALK)
    capacity = models.PositiveIntegerField(_("room capacity"), null=True, blank=True)
    speakers = models.ManyToManyField(Speaker, related_name="talks", blank=True, verbose_name=_("speakers"))

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("talk or round table")
        verbose_name_plural = _("talks and round tables")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="forum_talk_ends_after_start",
                violation_error_message=_("A talk must end after it starts."),
            )
        ]


class WorkshopQuerySet(models.QuerySet):
    def with_remaining(self, now=None):
        """Annotate `taken` (seats booked), `held` (seats held by live waiting-list offers) and `remaining`."""
        # COUNT(*) without the seats' default ordering: an index-only scan of the workshop's seats.
        seats = Seat.objects.filter(workshop=OuterRef("pk")).order_by().values("workshop").annotate(n=Count("*"))
        seats = seats.values("n")
        offers = (
            WaitingListEntry.objects.live_offers(now)
            .filter(target_type=ContentType.objects.get_for_model(Workshop), target_id=OuterRef("pk"))
            .filter(slot_start__isnull=True)
            .values("target_id")
            .annotate(n=Sum("quantity"))
            .values("n")
        )
        return self.annotate(taken=Coalesce(Subquery(seats), 0), held=Coalesce(Subquery(offers), 0)).annotate(
            remaining=Greatest(F("capacity") - F("taken") - F("held"), 0)
        )


class Workshop(ProgrammeItem):
    """A workshop people book a seat in, within its capacity."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("edition"))
    capacity = models.PositiveIntegerField(_("capacity"))
    speakers = models.ManyToManyField(Speaker, related_name="workshops", blank=True, verbose_name=_("speakers"))

    objects = WorkshopQuerySet.as_manager()

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="forum_workshop_ends_after_start",
                violation_error_message=_("A workshop must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="forum_workshop_capacity_positive",
                violation_error_message=_("A workshop needs at least one seat."),
            ),
        ]

    def remaining_label(self):
        """ "3 seats left" or "Full: waiting list" (needs with_remaining())."""
        return seats_label(self.remaining)


def seats_label(remaining):
    """What a workshop's badge says about its `remaining` seats, in the current language."""
    if remaining <= 0:
        return gettext("Full: waiting list open")
    return ngettext("%(n)s seat left", "%(n)s seats left", remaining) % {"n": remaining}


class Exhibitor(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="exhibitors", verbose_name=_("edition"))
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    stand = models.CharField(_("stand"), max_length=20)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="forum/exhibitors/", blank=True)
    logo_thumbnail = models.ImageField(_("logo thumbnail"), upload_to="forum/exhibitors/thumbs/", blank=True)

    class Meta:
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")
        ordering = ["stand", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "stand"],
                name="forum_exhibitor_unique_stand",
                violation_error_message=_("This stand is already given to another exhibitor."),
            )
        ]

    def __str__(self):
        return self.name


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def for_person(self, user):
        """Registrations made by this signed-in user or under their email address."""
        # Registration addresses are stored in lower case: an exact match is served by the email index.
        return self.filter(Q(user=user) | Q(email=user.email.lower())).exclude(email="", user=None)

    def would_be_newcomers(self):
        """Visitors who said they think of moving here and agreed to be contacted, not yet passed on."""
        return self.confirmed().filter(moving_consent_at__isnull=False, enquiry_sent_at__isnull=True)

    def past_retention(self, days, today=None):
        limit = (today or timezone.localdate()) - datetime.timedelta(days=days)
        return self.filter(edition__end_date__lt=limit, anonymised_at__isnull=True)


class Registration(models.Model):
    """One booking made by one person (the booker) for themselves and their family or group."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        WALK_IN = "walk_in", _("Walk-in on the day")

    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_registrations",
        verbose_name=_("account"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email address"), blank=True)
    origin = models.CharField(
        _("coming from"), max_length=120, blank=True, help_text=_("Commune or country you come from.")
    )
    origin_commune = models.ForeignKey(
        "accounts.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_registrations",
        verbose_name=_("commune of origin"),
    )
    accessibility_needs = models.TextField(
        _("accessibility needs"),
        blank=True,
        help_text=_("The adaptation you need (step-free access, induction loop, sign language…), not a diagnosis."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.ONLINE)
    token = models.CharField(_("private link token"), max_length=64, unique=True, default=new_token, editable=False)
    idempotency_key = models.UUIDField(_("idempotency key"), null=True, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fr")
    consent_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)
    moving_consent_at = models.DateTimeField(_("thinking of moving, agreed to be contacted at"), null=True, blank=True)
    enquiry_sent_at = models.DateTimeField(_("passed on to the newcomer journey at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"], name="forum_registration_email")]
        permissions = [
            ("check_in", _("Can check forum attendees in")),
            ("view_statistics", _("Can see forum statistics")),
            ("send_mailing", _("Can email forum attendees")),
            ("lift_limits", _("Can lift a block on the forum's public forms")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                name="forum_registration_unique_idempotency_key",
                violation_error_message=_("This form was already sent."),
            ),
            models.UniqueConstraint(
                fields=["edition", "email"],
                condition=Q(status="confirmed") & ~Q(email=""),
                name="forum_registration_one_per_email",
                violation_error_message=_(
                    "A registration already exists for this address: use the private link of your confirmation "
                    "email to change it."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.edition.year})"

    def get_absolute_url(self):
        return reverse("forum:manage", args=[self.token])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def link_is_active(self, today=None):
        """The private link lets people change things until the forum is over, unless cancelled."""
        return self.status == self.Status.CONFIRMED and not self.edition.is_over(today)

    def workshops(self):
        return Workshop.objects.filter(seats__registration=self).distinct().order_by("starts_at")

    def add_seats(self, workshop, limit=None):
        """Seat the registration's people in workshop (the caller holds the workshop row lock)."""
        for other in self.workshops().exclude(pk=workshop.pk):
            if other.overlaps(workshop):
                raise ValidationError(
                    _("“%(new)s” overlaps “%(old)s”, which you already attend: drop one of them first."),
                    code="overlap",
                    params={"new": workshop.title, "old": other.title},
                )
        attendees = list(self.attendees.exclude(seats__workshop=workshop))
        if limit is not None:
            attendees = attendees[:limit]
        Seat.objects.bulk_create([Seat(workshop=workshop, attendee=a, registration=self) for a in attendees])
        # bulk_create sends no signal: say so, for the cached fragments showing seats.
        freshness.bump("forum")


class Attendee(models.Model):
    """One person of a registration, with their own ticket code."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("registration")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email address"), blank=True, help_text=_("Optional, to receive their own messages."))
    profile = models.CharField(_("profile"), max_length=20, choices=Profile.choices, default=Profile.CURIOUS)
    is_booker = models.BooleanField(_("booker"), default=False)
    code = models.CharField(_("ticket code"), max_length=12, unique=True, default=new_ticket_code, editable=False)
    checked_in_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["-is_booker", "id"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or self.code

    @property
    def full_name(self):
        return str(self)

    @property
    def contact_email(self):
        return self.email or self.registration.email

    def check_in(self, by=None):
        """Mark arrival; a second scan keeps the first time. Returns True when newly checked in."""
        if self.checked_in_at:
            return False
        self.checked_in_at = timezone.now()
        self.checked_in_by = by
        self.save(update_fields=["checked_in_at", "checked_in_by"])
        return True


class Seat(models.Model):
    """An attendee's seat in a workshop, with their arrival in the workshop room."""

    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="seats", verbose_name=_("workshop"))
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="seats", verbose_name=_("attendee"))
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="seats", verbose_name=_("registration")
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("arrived in the room at"), null=True, blank=True)

    class Meta:
        verbose_name = _("workshop seat")
        verbose_name_plural = _("workshop seats")
        ordering = ["workshop__starts_at", "attendee_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "attendee"],
                name="forum_seat_once_per_attendee",
                violation_error_message=_("This person already has a seat in this workshop."),
            )
        ]

    def __str__(self):
        return f"{self.attendee} — {self.workshop}"

    def check_in(self):
        if self.checked_in_at:
            return False
        self.checked_in_at = timezone.now()
        self.save(update_fields=["checked_in_at"])
        return True


class Mailing(models.Model):
    """An email sent after the forum to attendees filtered by check-in status (kept as a record)."""

    class Audience(models.TextChoices):
        CAME = "came", _("Attendees who came")
        NO_SHOW = "no_show", _("Attendees who did not come")
        ALL = "all", _("Every attendee")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="mailings", verbose_name=_("edition"))
    audience = models.CharField(_("recipients"), max_length=20, choices=Audience.choices, default=Audience.CAME)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("mailing to attendees")
        verbose_name_plural = _("mailings to attendees")
        ordering = ["-sent_at"]

    def __str__(self):
        return self.subject

    def recipients(self):
        """One address per person (an attendee's own, else their booker's), without duplicates."""
        attendees = Attendee.objects.filter(
            registration__edition=self.edition, registration__status=Registration.Status.CONFIRMED
        ).select_related("registration")
        if self.audience == self.Audience.CAME:
            attendees = attendees.filter(checked_in_at__isnull=False)
        elif self.audience == self.Audience.NO_SHOW:
            attendees = attendees.filter(checked_in_at__isnull=True)
        seen = {}
        for attendee in attendees:
            address = attendee.contact_email.lower()
            if address and address not in seen:
                seen[address] = attendee
        return seen
