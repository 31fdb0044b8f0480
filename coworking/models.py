import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import versions
from coworking import calendar

ZERO = Decimal("0")

# A booking starts and ends on the same local day (services.check_slot refuses any other): it lasts
# less than 25 hours, the longest day (when clocks go back). Overlap queries rely on this bound.
LONGEST_BOOKING = datetime.timedelta(hours=25)


def new_token():
    return secrets.token_urlsafe(24)


def space_version(space_id):
    """The version (core/versions.py) of what the staff grid shows of a space: the space, its opening hours
    and its bookings; renewed by their writes below, once the space's lock is held where there is one."""
    return f"{SPACE_VERSION_PREFIX}{space_id}"


SPACE_VERSION_PREFIX = "coworking.space:"
CLOSURES_VERSION = "coworking.closures"


class SpaceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_members(self):
        """Spaces members book themselves (Space.is_for_members)."""
        return self.active().exclude(audience=Space.Audience.STAFF)

    def rooms(self):
        return self.exclude(kind=Space.Kind.OPEN_SPACE)


class Space(versions.VersionedModel):
    """A bookable place: an open-space zone of N seats, or a desk, office or room booked whole."""

    class Kind(models.TextChoices):
        OPEN_SPACE = "open_space", _("Open-space zone (hot desks)")
        FIXED_DESK = "fixed_desk", _("Fixed desk")
        PRIVATE_OFFICE = "office", _("Private office")
        MEETING_ROOM = "meeting", _("Meeting room")
        VISIO_ROOM = "visio", _("Videoconference room")
        TRAINING_ROOM = "training", _("Training room")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Anyone with an account")
        PASS_HOLDERS = "pass_holders", _("Pass holders only (pass, membership or free period)")
        STAFF = "staff", _("Staff only")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=1, help_text=_("Seats of an open-space zone; people a room holds.")
    )
    description = models.TextField(_("description"), blank=True)
    equipment = models.TextField(_("equipment"), blank=True, help_text=_("One item per line."))
    step_free_access = models.BooleanField(_("step-free access"), default=True)
    accessibility = models.TextField(_("accessibility notes"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="coworking/spaces/", blank=True)
    thumbnail = models.ImageField(_("thumbnail"), upload_to="coworking/spaces/thumbnails/", blank=True, editable=False)
    audience = models.CharField(_("who may book"), max_length=12, choices=Audience.choices, default=Audience.PUBLIC)
    hourly = models.BooleanField(_("bookable by the hour"), default=False)
    max_days_ahead = models.PositiveSmallIntegerField(_("bookable up to (days ahead)"), default=90)
    min_notice_minutes = models.PositiveIntegerField(_("minimum notice (minutes)"), default=0)
    min_minutes = models.PositiveIntegerField(_("minimum length (minutes)"), default=60)
    max_minutes = models.PositiveIntegerField(_("maximum length (minutes)"), default=9 * 60)
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot size (minutes)"), default=30, help_text=_("Hourly bookings start and end on this grid.")
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer between bookings (minutes)"), default=0, help_text=_("For rooms: cleaning or set-up time.")
    )
    max_upcoming_per_person = models.PositiveSmallIntegerField(
        _("upcoming bookings per person"), default=20, help_text=_("0 means no limit.")
    )
    cancellation_notice_hours = models.PositiveSmallIntegerField(_("cancel or change until (hours before)"), default=2)
    check_in_required = models.BooleanField(_("check-in required"), default=True)
    check_in_grace_minutes = models.PositiveSmallIntegerField(
        _("released if not checked in after (minutes)"), default=30
    )
    checkin_token = models.CharField(_("check-in code"), max_length=64, unique=True, default=new_token, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="coworking_space_capacity_positive",
                violation_error_message=_("A space holds at least one person."),
            ),
            models.CheckConstraint(
                condition=Q(max_minutes__gte=models.F("min_minutes")),
                name="coworking_space_length_range",
                violation_error_message=_("The maximum length must be at least the minimum length."),
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5),
                name="coworking_space_slot_at_least_5_minutes",
                violation_error_message=_("Slots last at least 5 minutes."),
            ),
        ]
        permissions = [
            ("manage_bookings", _("Can manage bookings for others, walk-ins and check-ins")),
            ("view_statistics", _("Can see coworking statistics and invoicing")),
        ]

    def __str__(self):
        return self.name

    def version_names(self):
        return [space_version(self.pk)]

    def get_absolute_url(self):
        return reverse("coworking:space", args=[self.slug])

    @property
    def is_for_members(self):
        """Members book it themselves: open, and not for the staff only (SpaceQuerySet.for_members)."""
        return self.is_active and self.audience != self.Audience.STAFF

    @property
    def is_zone(self):
        """An open-space zone is booked by the seat; everything else is booked whole."""
        return self.kind == self.Kind.OPEN_SPACE

    @property
    def equipment_list(self):
        return [line.strip() for line in self.equipment.splitlines() if line.strip()]

    def hours_on(self, day, opening_hours=None):
        """(opens, closes) local times on that date, or None when closed (weekday, holiday or closure)."""
        if calendar.public_holiday(day):
            return None
        if opening_hours is None:  # only that weekday's row
            return self.opening_hours.filter(weekday=day.weekday()).order_by().values_list("opens", "closes").first()
        for row in opening_hours:
            if row.weekday == day.weekday():
                return row.opens, row.closes
        return None

    def closure_on(self, day):
        return Closure.objects.for_space(self).filter(start_date__lte=day, end_date__gte=day).first()


class OpeningHours(versions.VersionedModel):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("space"))
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["space", "weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "weekday"],
                name="coworking_one_opening_per_weekday",
                violation_error_message=_("This day already has opening hours for this space."),
            ),
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="coworking_opening_closes_after_opens",
                violation_error_message=_("Closing time must be after opening time."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def version_names(self):
        return [space_version(self.space_id)]


class ClosureQuerySet(models.QuerySet):
    def for_space(self, space):
        return self.filter(Q(space=space) | Q(space__isnull=True))

    def overlapping(self, first, last):
        return self.filter(start_date__lte=last, end_date__gte=first)


class Closure(versions.VersionedModel):
    """Days a space (or, without a space, the whole telecentre) is closed, on top of public holidays."""

    space = models.ForeignKey(
        Space,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("space"),
        help_text=_("Leave empty to close the whole telecentre."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=150)

    objects = ClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="coworking_closure_dates_in_order",
                violation_error_message=_("The last day cannot be before the first day."),
            )
        ]

    def __str__(self):
        return f"{self.reason} ({self.start_date} – {self.end_date})"

    def version_names(self):
        return [CLOSURES_VERSION]


class TariffDecisionQuerySet(models.QuerySet):
    def in_force(self, day):
        return (
            self.filter(valid_from__lte=day)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
            .order_by("-valid_from")
        )


class TariffDecision(models.Model):
    """The council decision (délibération) that set a version of the tariff."""

    reference = models.CharField(_("decision reference"), max_length=60, unique=True)
    decided_on = models.DateField(_("decision date"))
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = TariffDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tariff decision")
        verbose_name_plural = _("tariff decisions")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="coworking_tariff_decision_dates_in_order",
                violation_error_message=_("A tariff cannot end before it starts."),
            )
        ]

    def __str__(self):
        return _("%(reference)s of %(date)s") % {"reference": self.reference, "date": self.decided_on}

    def is_in_force(self, day):
        """In force on that day (TariffDecisionQuerySet.in_force in Python, for tariffs already read)."""
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)


class Tariff(models.Model):
    """The prices a council decision sets for a unit, one per tariff category (see coworking.pricing)."""

    class Category(models.TextChoices):
        NEWCOMER = "newcomer", _("Newcomers and pass holders")
        PUBLIC = "public", _("Public")

    class Unit(models.TextChoices):
        HOUR = "hour", _("Hour (rooms)")
        HALF_DAY = "half_day", _("Half-day")
        DAY = "day", _("Day")
        WEEK = "week", _("Week")
        MONTH = "month", _("Month")

    decision = models.ForeignKey(
        TariffDecision, on_delete=models.CASCADE, related_name="tariffs", verbose_name=_("decision")
    )
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    label = models.CharField(_("label"), max_length=120, blank=True)
    newcomer_price = models.DecimalField(
        _("newcomer price (EUR)"),
        max_digits=8,
        decimal_places=2,
        help_text=_("For newcomers in the welcome programme and holders of a pass or membership valid that day."),
    )
    public_price = models.DecimalField(
        _("public price (EUR)"),
        max_digits=8,
        decimal_places=2,
        help_text=_("For everyone else, visitors without an account included."),
    )

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["decision", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "unit"],
                name="coworking_one_price_per_unit_and_decision",
                violation_error_message=_("This decision already sets a price for this unit."),
            ),
            models.CheckConstraint(
                condition=Q(newcomer_price__gte=0, public_price__gte=0),
                name="coworking_tariff_prices_not_negative",
                violation_error_message=_("A price cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.label or self.get_unit_display()

    @classmethod
    def in_force(cls, unit, day):
        """The price of unit on that day: from the latest decision in force that sets one (one query)."""
        in_force = Q(decision__valid_until__isnull=True) | Q(decision__valid_until__gte=day)
        found = cls.objects.filter(in_force, unit=unit, decision__valid_from__lte=day)
        return found.order_by("-decision__valid_from").first()

    def price_for(self, category):
        return self.newcomer_price if category == self.Category.NEWCOMER else self.public_price


class ExemptionQuerySet(models.QuerySet):
    def covering(self, day):
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Exemption(models.Model):
    """A period of free coworking, e.g. two years after completing the telework training."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coworking_exemptions",
        verbose_name=_("member"),
    )
    reason = models.CharField(_("reason"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "reason"],
                name="coworking_one_exemption_per_reason",
                violation_error_message=_("This person already has this exemption."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="coworking_exemption_dates_in_order",
                violation_error_message=_("An exemption cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.reason}"

    def covers(self, day):
        return self.starts_on <= day <= self.ends_on


class PassQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day, valid_until__gte=day)

    def with_used(self):
        active = Q(bookings__status__in=Booking.ACTIVE_STATUSES)
        return self.annotate(used_units=Sum("bookings__pass_units", filter=active, default=ZERO))


class Pass(models.Model):
    """A day-pass book (carnet) or a monthly membership with included days or hours."""

    class Kind(models.TextChoices):
        CARNET = "carnet", _("Day-pass book")
        MEMBERSHIP = "membership", _("Monthly membership")

    class Unit(models.TextChoices):
        DAYS = "days", _("days (a half-day counts 0.5)")
        HOURS = "hours", _("hours")

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coworking_passes", verbose_name=_("holder")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=120)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    allowance = models.DecimalField(_("included"), max_digits=6, decimal_places=1)
    unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices, default=Unit.DAYS)
    price = models.DecimalField(_("price (EUR)"), max_digits=8, decimal_places=2, default=ZERO)
    tariff = models.ForeignKey(
        Tariff, on_delete=models.PROTECT, null=True, blank=True, related_name="passes", verbose_name=_("tariff")
    )
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = PassQuerySet.as_manager()

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="coworking_pass_dates_in_order",
                violation_error_message=_("A pass cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(allowance__gt=0),
                name="coworking_pass_allowance_positive",
                violation_error_message=_("A pass includes at least half a day or an hour."),
            ),
        ]

    def __str__(self):
        return _("%(label)s (until %(date)s)") % {"label": self.label, "date": self.valid_until.strftime("%d/%m/%Y")}

    def used(self):
        if hasattr(self, "used_units"):
            return self.used_units
        return Pass.objects.with_used().get(pk=self.pk).used_units

    def remaining(self):
        return max(self.allowance - self.used(), ZERO)

    def units_for(self, start, end, period):
        """What a booking of (start, end) consumes from this pass."""
        if self.unit == self.Unit.HOURS:
            return Decimal((end - start).total_seconds() / 3600).quantize(Decimal("0.1"))
        return {"morning": Decimal("0.5"), "afternoon": Decimal("0.5"), "day": Decimal("1")}.get(period)


class CalendarFeed(models.Model):
    """The secret address of a member's iCal feed (regenerated to revoke it)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coworking_feed", verbose_name=_("member")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.member)

    def get_absolute_url(self):
        return reverse("coworking:member-feed", args=[self.token])


class RecurringBooking(models.Model):
    """A weekly series (chosen weekdays, until a date); each occurrence is a Booking."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coworking_series",
        verbose_name=_("member"),
    )
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="series", verbose_name=_("space"))
    period = models.CharField(_("half-day"), max_length=10)
    weekdays = models.JSONField(_("weekdays"), default=list)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recurring booking")
        verbose_name_plural = _("recurring bookings")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="coworking_series_dates_in_order",
                violation_error_message=_("The last day cannot be before the first day."),
            )
        ]

    def __str__(self):
        return _("%(space)s every week for %(member)s") % {"space": self.space, "member": self.member}

    def weekday_labels(self):
        return [OpeningHours.Weekday(day).label for day in sorted(self.weekdays)]


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Booking.ACTIVE_STATUSES)

    def overlapping(self, start, end):
        # The lower bound on start is implied by end > start (no booking lasts longer than
        # LONGEST_BOOKING); it lets the (space, start) and (member, start) indexes bound the range.
        return self.filter(start__lt=end, start__gt=start - LONGEST_BOOKING, end__gt=start)

    def for_member(self, user):
        return self.filter(member=user)

    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.filter(start__gt=now - LONGEST_BOOKING, end__gt=now)

    def on_day(self, day):
        return self.overlapping(calendar.local(day, datetime.time.min), calendar.local(day, datetime.time.max))

    def no_shows_due(self, now=None):
        """Confirmed bookings whose check-in delay has passed (spaces that require check-in), as a list.

        Internal reservations (training sessions) are never released: nobody checks in for them.
        """
        now = now or timezone.now()
        started = self.filter(status=Booking.Status.CONFIRMED, space__check_in_required=True, start__lte=now)
        started = started.exclude(billing=Booking.Billing.INTERNAL)
        return [
            booking
            for booking in started.select_related("space").order_by("start")
            if booking.start + datetime.timedelta(minutes=booking.space.check_in_grace_minutes) <= now
        ]


class Booking(versions.VersionedModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CHECKED_IN = "checked_in", _("Checked in")
        CANCELLED = "cancelled", _("Cancelled")
        RELEASED = "released", _("Released (no-show)")

    class Period(models.TextChoices):
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")
        DAY = "day", _("Full day")
        HOURS = "hours", _("By the hour")

    class Billing(models.TextChoices):
        TARIFF = "tariff", _("Tariff (invoiced by the régie)")
        PASS = "pass", _("Pass")
        EXEMPT = "exempt", _("Free (exemption)")
        INTERNAL = "internal", _("Internal use (not invoiced)")

    ACTIVE_STATUSES = [Status.CONFIRMED, Status.CHECKED_IN]

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("space"))
    # A deleted account leaves its bookings, anonymous, in the statistics.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coworking_bookings",
        verbose_name=_("member"),
    )
    guest_name = models.CharField(_("visitor's name"), max_length=150, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coworking_bookings_made",
        verbose_name=_("booked by"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    period = models.CharField(_("length"), max_length=10, choices=Period.choices)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    whole_room = models.BooleanField(_("whole room"), default=False, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    series = models.ForeignKey(
        RecurringBooking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
        verbose_name=_("recurring booking"),
    )
    billing = models.CharField(_("billing"), max_length=8, choices=Billing.choices, default=Billing.TARIFF)
    pass_used = models.ForeignKey(
        Pass, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings", verbose_name=_("pass")
    )
    pass_units = models.DecimalField(_("taken from the pass"), max_digits=5, decimal_places=1, default=ZERO)
    price = models.DecimalField(_("price (EUR)"), max_digits=8, decimal_places=2, default=ZERO)
    tariff = models.ForeignKey(
        Tariff, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings", verbose_name=_("tariff")
    )
    tariff_category = models.CharField(_("tariff category"), max_length=10, choices=Tariff.Category.choices, blank=True)
    invoiced_at = models.DateTimeField(
        _("sent to the régie at"),
        null=True,
        blank=True,
        help_text=_("Once sent to the régie for invoicing, a booking's price no longer changes."),
    )
    idempotency_key = models.CharField(_("form key"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start", "space"]
        indexes = [
            models.Index(fields=["space", "start", "end"], name="coworking_booking_space_time"),
            models.Index(fields=["member", "start"], name="coworking_booking_member"),
            models.Index(fields=["status", "start"], name="coworking_booking_status"),
        ]
        # On PostgreSQL, migration 0002 adds an exclusion constraint: no two active
        # whole-room bookings of one space overlap (btree_gist, tstzrange).
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="coworking_booking_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="coworking_booking_at_least_one_seat",
                violation_error_message=_("Book at least one seat."),
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="coworking_booking_idempotency_key",
                violation_error_message=_("This form was already sent."),
            ),
            models.UniqueConstraint(
                fields=["space", "member", "start"],
                condition=Q(status__in=["confirmed", "checked_in"], member__isnull=False),
                name="coworking_booking_once_per_member_and_start",
                violation_error_message=_("You already have a booking here at this time."),
            ),
        ]

    def __str__(self):
        return f"{self.space} — {self.who} — {timezone.localtime(self.start):%d/%m/%Y %H:%M}"

    def version_names(self):
        return [space_version(self.space_id)]

    def get_absolute_url(self):
        return reverse("coworking:booking", args=[self.pk])

    @property
    def who(self):
        if self.member_id:
            return str(self.member)
        return self.guest_name or self.purpose or "—"

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES

    @property
    def local_date(self):
        return timezone.localtime(self.start).date()

    def hours(self):
        return Decimal((self.end - self.start).total_seconds() / 3600).quantize(Decimal("0.01"))

    def change_deadline(self):
        return self.start - datetime.timedelta(hours=self.space.cancellation_notice_hours)

    def can_be_changed_by_member(self, now=None):
        return self.is_active and (now or timezone.now()) <= self.change_deadline()

    def check_in_opens_at(self):
        return self.start - datetime.timedelta(minutes=15)

    def can_check_in(self, now=None):
        now = now or timezone.now()
        return self.status == self.Status.CONFIRMED and self.check_in_opens_at() <= now < self.end

    def check_in(self, now=None):
        self.status = self.Status.CHECKED_IN
        self.checked_in_at = now or timezone.now()
        self.save(update_fields=["status", "checked_in_at"])

    def release(self, now=None):
        """Release this no-show unless it was checked in or cancelled meanwhile; True when released.

        Under the space's lock, as cancel() takes it, so that the version is renewed after it.
        """
        now = now or timezone.now()
        with transaction.atomic():
            Space.objects.select_for_update().get(pk=self.space_id)
            confirmed = Booking.objects.filter(pk=self.pk, status=self.Status.CONFIRMED)
            if not confirmed.update(status=self.Status.RELEASED, released_at=now):
                return False
            versions.renew(space_version(self.space_id))
        self.status, self.released_at = self.Status.RELEASED, now
        return True
