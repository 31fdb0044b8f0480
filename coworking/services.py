"""The one booking path: every booking, change, cancellation and release goes through here.

`book()` checks the rules that other bookings cannot change (times, opening
hours, closures, who may book, the tariff), then locks the space row, rechecks
what they can change (the seats or the room slot, the person's own bookings, a
pass's balance) and writes the booking, in one short transaction, so two
requests for the last seat or the same room slot never both succeed (on
PostgreSQL an exclusion constraint backs the rule for rooms). Errors are a
ValidationError keyed by the booking form's fields: "space", "date", "period",
"start_time", "end_time", "seats", "pass_used", "member" or "__all__".
"""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from core import dates, versions
from core.emails import send_templated_email
from coworking import calendar, pricing
from coworking.models import Booking, Closure, Exemption, Pass, RecurringBooking, Space, Tariff, space_version
from telecentre import freshness
from waitlist import services as waitlist

Period = Booking.Period


class Errors:
    """Collects errors per field, then raises them all at once."""

    def __init__(self):
        self.by_field = {}

    def add(self, field, message, code):
        self.by_field.setdefault(field, []).append(ValidationError(message, code=code))

    def __bool__(self):
        return bool(self.by_field)

    def raise_if_any(self):
        if self.by_field:
            raise ValidationError(self.by_field)


def _time_fields(period):
    return ("start_time", "end_time") if period == Period.HOURS else ("period", "period")


def _fmt_time(value):
    return formats.time_format(value, "TIME_FORMAT")


def _fmt_date(value):
    return dates.format_date(value, "DATE_FORMAT")


class SpaceRules:
    """What the rules read of a space that bookings never change: its opening hours, the closures ahead and
    the tariffs. Each part is read once, on first use, and kept on the space for the request."""

    def __init__(self, space):
        self.space = space
        space.booking_rules = self

    @cached_property
    def opening_hours(self):
        return list(self.space.opening_hours.all())

    @cached_property
    def closures(self):
        today = timezone.localdate()
        return list(Closure.objects.for_space(self.space).filter(end_date__gte=today - datetime.timedelta(days=1)))

    @cached_property
    def tariffs(self):
        return list(Tariff.objects.select_related("decision"))

    def hours_on(self, day):
        """(opens, closes) on that date, or None when closed that weekday or a public holiday."""
        return self.space.hours_on(day, self.opening_hours)

    def closure_on(self, day):
        return next((closure for closure in self.closures if closure.start_date <= day <= closure.end_date), None)

    def tariff(self, unit, day):
        """Tariff.in_force(unit, day), read from the tariffs kept here."""
        in_force = [tariff for tariff in self.tariffs if tariff.unit == unit and tariff.decision.is_in_force(day)]
        return max(in_force, key=lambda tariff: (tariff.decision.valid_from, tariff.decision_id), default=None)


def space_rules(space_id):
    """The SpaceRules of a space (None when there is none), its space included, read from the database: a
    change made by the staff applies to the very next booking."""
    space = Space.objects.filter(pk=space_id).first()
    return None if space is None else SpaceRules(space)


def rules_of(space):
    """The rules kept on this space, or read for it (see space_rules)."""
    return getattr(space, "booking_rules", None) or SpaceRules(space)


def check_slot(space, start, end, period, errors, *, now, member_rules=True):
    """Times, opening hours, closures and booking-window rules (no capacity, no lock needed)."""
    rules = rules_of(space)
    start_field, end_field = _time_fields(period)
    if end <= start:
        errors.add(end_field, _("The end must be after the start."), "reversed")
        return
    local_start, local_end = timezone.localtime(start, calendar.PARIS), timezone.localtime(end, calendar.PARIS)
    day = local_start.date()
    if period == Period.HOURS:
        if space.is_zone or not space.hourly:
            errors.add("period", _("This space is booked by the half-day or the full day."), "not_hourly")
            return
        if start < now:
            errors.add(start_field, _("This time is already past: choose a later time."), "past")
            return
    elif end <= now:
        errors.add("date", _("This half-day is already over: choose a later date."), "past")
        return
    if local_end.date() != day:
        errors.add(end_field, _("A booking starts and ends on the same day."), "overnight")
        return
    holiday = calendar.public_holiday(day)
    if holiday:
        errors.add(
            "date",
            _("%(date)s is a public holiday (%(name)s): the telecentre is closed.")
            % {"date": _fmt_date(day), "name": holiday},
            "holiday",
        )
        return
    closure = rules.closure_on(day)
    if closure:
        errors.add(
            "date",
            _("%(space)s is closed on %(date)s (%(reason)s): choose another day.")
            % {"space": space, "date": _fmt_date(day), "reason": closure.reason},
            "closed",
        )
        return
    hours = rules.hours_on(day)
    if hours is None:
        errors.add(
            "date",
            _("%(space)s is closed on that day of the week: see its opening hours.") % {"space": space},
            "closed",
        )
        return
    opens, closes = hours
    if local_start.time() < opens or local_end.time() > closes:
        errors.add(
            start_field,
            _("Outside opening hours: %(space)s is open from %(opens)s to %(closes)s that day.")
            % {"space": space, "opens": _fmt_time(opens), "closes": _fmt_time(closes)},
            "outside_hours",
        )
        return
    if period == Period.HOURS:
        minutes = (end - start).total_seconds() / 60
        if minutes < space.min_minutes:
            errors.add(end_field, _("Book at least %(minutes)s minutes.") % {"minutes": space.min_minutes}, "too_short")
        elif minutes > space.max_minutes:
            errors.add(end_field, _("Book at most %(minutes)s minutes.") % {"minutes": space.max_minutes}, "too_long")
        grid = space.slot_minutes
        for field, moment in ((start_field, local_start), (end_field, local_end)):
            if (moment.hour * 60 + moment.minute) % grid or moment.second:
                errors.add(
                    field, _("Times go by steps of %(minutes)s minutes (e.g. 9:00, 9:30).") % {"minutes": grid}, "grid"
                )
    if member_rules:
        today = timezone.localdate(now)
        if day > today + datetime.timedelta(days=space.max_days_ahead):
            errors.add(
                "date",
                _("You can book at most %(days)s days ahead.") % {"days": space.max_days_ahead},
                "too_far",
            )
        if start >= now and start - now < datetime.timedelta(minutes=space.min_notice_minutes):
            errors.add(
                start_field,
                _("Book at least %(minutes)s minutes before the start.") % {"minutes": space.min_notice_minutes},
                "notice",
            )


def peak_seats(bookings, start, end):
    """The most seats taken at any moment of [start, end) by these bookings."""
    events = []
    for booking in bookings:
        events.append((max(booking.start, start), booking.seats))
        events.append((min(booking.end, end), -booking.seats))
    peak = taken = 0
    for _moment, delta in sorted(events, key=lambda event: (event[0], event[1])):
        taken += delta
        peak = max(peak, taken)
    return peak


def seats_free(space, start, end, exclude_pk=None, held=None):
    """Seats (zone) or 1/0 (room) still free on [start, end), live waiting-list offers counted as taken."""
    if held is None:
        held = waitlist.held_quantity(space, start, end)
    if space.is_zone:
        bookings = Booking.objects.filter(space=space).active().overlapping(start, end).exclude(pk=exclude_pk)
        return space.capacity - peak_seats(bookings.order_by().only("start", "end", "seats"), start, end) - held
    buffer = datetime.timedelta(minutes=space.buffer_minutes)
    clash = Booking.objects.filter(space=space).active().overlapping(start - buffer, end + buffer)
    return 0 if held or clash.exclude(pk=exclude_pk).exists() else 1


def _lock(space):
    """Lock the space row (bookings of the space queue here) and read again what staff may have changed."""
    row = Space.objects.select_for_update().filter(pk=space.pk).order_by().values_list("is_active", "capacity").first()
    if row is None:
        return False
    space.is_active, space.capacity = row
    return True


def holds_pass_or_exemption(user, day):
    """Holds a pass valid that day or an exemption covering it (who may book a pass holders' space)."""
    return (
        Pass.objects.filter(holder=user).valid_on(day).exists()
        or Exemption.objects.filter(member=user).covering(day).exists()
    )


def _check_person(space, member, start, errors, *, staff):
    """Who may book this space (its audience): read before the lock, bookings do not change it."""
    if space.audience == Space.Audience.STAFF and not staff:
        errors.add("space", _("Only the telecentre staff can book this space: ask them."), "staff_only")
    if member is None:
        return
    day = timezone.localtime(start).date()
    if space.audience == Space.Audience.PASS_HOLDERS and not staff and not holds_pass_or_exemption(member, day):
        errors.add(
            "space",
            _("This space is for pass holders: you need a pass, a membership or a free period valid that day."),
            "members_only",
        )


def _check_own_bookings(space, member, start, end, errors, *, now, staff):
    """The person's own bookings here (under the lock: two requests of one person are serialized)."""
    if member is None:
        return
    if Booking.objects.filter(space=space, member=member).active().overlapping(start, end).exists():
        errors.add(
            "date",
            _(
                "You already have a booking in %(space)s at that time: choose another half-day, "
                "or change that booking from “My coworking”."
            )
            % {"space": space},
            "duplicate",
        )
    limit = space.max_upcoming_per_person
    if (
        limit
        and not staff
        and Booking.objects.filter(space=space, member=member).active().upcoming(now).count() >= limit
    ):
        errors.add(
            "space",
            _("You already have %(count)s upcoming bookings here, the most allowed: cancel one first.")
            % {"count": limit},
            "limit",
        )


def _pass_price(space, start, end, period, *, member, pass_used, seats):
    """Billing from a pass: locked, its balance read from its active bookings (under the space lock)."""
    errors = Errors()
    day = timezone.localtime(start).date()
    pass_used = Pass.objects.select_for_update().get(pk=pass_used.pk)
    consumed = Booking.objects.filter(pass_used=pass_used).active().aggregate(total=Sum("pass_units"))["total"]
    pass_used.used_units = consumed or Decimal("0")
    units = pass_used.units_for(start, end, period)
    if pass_used.holder_id != getattr(member, "pk", None):
        errors.add("pass_used", _("This pass belongs to someone else."), "not_yours")
    elif not pass_used.valid_from <= day <= pass_used.valid_until:
        errors.add(
            "pass_used",
            _("This booking is beyond your pass: it is valid from %(start)s to %(end)s.")
            % {"start": _fmt_date(pass_used.valid_from), "end": _fmt_date(pass_used.valid_until)},
            "beyond_validity",
        )
    elif units is None:
        errors.add("pass_used", _("This pass covers half-days and days, not hourly bookings."), "wrong_unit")
    elif pass_used.remaining() < units * seats:
        errors.add(
            "pass_used",
            _("Only %(remaining)s %(unit)s left on this pass.")
            % {"remaining": formats.number_format(pass_used.remaining()), "unit": pass_used.get_unit_display()},
            "used_up",
        )
    errors.raise_if_any()
    return {"billing": Booking.Billing.PASS, "pass_used": pass_used, "pass_units": units * seats}


def full_message(space):
    if space.is_zone:
        return _("No seat left in %(space)s for this slot: choose another one or join the waiting list.") % {
            "space": space
        }
    return _("%(space)s is already booked at that time: choose another slot or join the waiting list.") % {
        "space": space
    }


def book(
    space,
    start,
    end,
    *,
    member=None,
    guest_name="",
    booked_by=None,
    seats=1,
    purpose="",
    pass_used=None,
    idempotency_key="",
    series=None,
    staff=False,
    internal=False,
    check_in=False,
    from_waitlist=False,
    now=None,
):
    """Book space for [start, end); returns the booking, marked `replayed` when idempotency_key made it earlier.

    staff: booked by the telecentre (on behalf, walk-in): window, notice and per-person limits do not apply.
    internal: not invoiced (training sessions). from_waitlist: an accepted offer, notice does not apply.

    The rules that read only the space's settings, its opening hours and closures, who may book it and
    the tariff are checked first, without the lock: other bookings do not change them. Then, in one
    transaction, the space row is locked and what other bookings can change is rechecked (seats or room
    slot, the person's own bookings, a pass's balance) before the booking is written: the lock is held
    for a few indexed queries only.
    """
    now = now or timezone.now()
    period = calendar.period_of(start, end)
    try:
        booking = _book(
            space,
            start,
            end,
            period,
            now=now,
            member=member,
            guest_name=guest_name,
            booked_by=booked_by,
            seats=seats,
            purpose=purpose,
            pass_used=pass_used,
            idempotency_key=idempotency_key,
            series=series,
            staff=staff,
            internal=internal,
            check_in=check_in,
            from_waitlist=from_waitlist,
        )
    except (ValidationError, IntegrityError) as error:
        # A replayed form (double click, back and resend) is refused as a duplicate or by the unique key:
        # it gets the booking it made. The transaction is over, so the first request's booking is seen.
        earlier = Booking.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if earlier is not None:
            earlier.replayed = True
            return earlier
        if isinstance(error, ValidationError):
            raise
        # The database refused an overlap the recheck did not see (exclusion or unique constraint).
        raise ValidationError({"period" if period != Period.HOURS else "start_time": full_message(space)}) from None
    booking.replayed = False
    return booking


def _book(
    space, start, end, period, *, now, member, pass_used, seats, staff, internal, check_in, from_waitlist, **fields
):
    """book() without the replay: fields are the booking's other columns (guest_name, booked_by...)."""
    errors = Errors()
    if not space.is_active:
        errors.add("space", _("This space cannot be booked at the moment."), "inactive")
    if seats < 1 or (not space.is_zone and seats != 1):
        errors.add("seats", _("A room is booked whole: one booking, whatever the number of people."), "seats")
    if member is None and not fields["guest_name"] and not internal:
        errors.add("member", _("Say who the booking is for: a member or a visitor's name."), "nobody")
    check_slot(space, start, end, period, errors, now=now, member_rules=not (staff or internal or from_waitlist))
    errors.raise_if_any()
    _check_person(space, member, start, errors, staff=staff or internal)
    with transaction.atomic():
        # The portal's fragments showing bookings are renewed now and at the commit, before the lock rather than
        # by the save's signal under it (telecentre/freshness.py); the grid's version is renewed after the insert.
        freshness.bump(*freshness.scopes_of(Booking))
        if not _lock(space) or not space.is_active:  # closed (or deleted) meanwhile
            errors.add("space", _("This space cannot be booked at the moment."), "inactive")
        _check_own_bookings(space, member, start, end, errors, now=now, staff=staff or internal)
        # The rule the pages show, recounted under the lock.
        if seats_free(space, start, end) < seats:
            errors.add("period" if period != Period.HOURS else "start_time", full_message(space), "full")
        errors.raise_if_any()
        # The one price rule (coworking.pricing), the tariff from the cached rules; a pass is locked and
        # its balance read now, under the space lock.
        quote = pricing.quote(
            space,
            start,
            end,
            period,
            member=member,
            seats=seats,
            pass_used=pass_used,
            internal=internal,
            tariff_of=rules_of(space).tariff,
        )
        price = quote.booking_fields()
        if quote.billing == Booking.Billing.PASS:
            price.update(_pass_price(space, start, end, period, member=member, pass_used=pass_used, seats=seats))
        booking = Booking(
            space=space,
            member=member,
            start=start,
            end=end,
            period=period,
            seats=seats,
            whole_room=not space.is_zone,
            created_at=now,
            **fields,
            **price,
        )
        if check_in:
            booking.status = Booking.Status.CHECKED_IN
            booking.checked_in_at = now
        Booking.objects.bulk_create([booking])
        versions.renew(space_version(space.pk))
    return booking


def offer_freed_place(booking, now=None):
    """A place freed before its end goes to the waiting list for that slot."""
    now = now or timezone.now()
    if booking.end > now:
        return waitlist.release(booking.space, booking.start, booking.end)
    return []


def cancel(booking, *, by=None, staff=False, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        Space.objects.select_for_update().get(pk=booking.space_id)
        booking = Booking.objects.select_for_update().select_related("space").get(pk=booking.pk)
        if not booking.is_active:
            raise ValidationError(_("This booking is already cancelled."), code="not_active")
        if not staff and now > booking.change_deadline():
            raise ValidationError(
                _("Too late to cancel online: bookings can be cancelled until %(hours)s h before they start.")
                % {"hours": booking.space.cancellation_notice_hours},
                code="too_late",
            )
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.cancelled_by = by
        booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        offer_freed_place(booking, now)
    return booking


def change(booking, start, end, *, by=None, staff=False, now=None):
    """Move a booking to another slot: the old one is cancelled and the new one booked, or nothing at all."""
    now = now or timezone.now()
    with transaction.atomic():
        old = cancel(booking, by=by, staff=staff, now=now)
        new = book(
            old.space,
            start,
            end,
            member=old.member,
            guest_name=old.guest_name,
            booked_by=by,
            seats=old.seats,
            purpose=old.purpose,
            pass_used=old.pass_used,
            series=old.series,
            staff=staff,
            internal=old.billing == Booking.Billing.INTERNAL,
            now=now,
        )
    return new


# A series is written one occurrence per transaction, so a long one never holds the space (nor, on SQLite,
# the database) locked; a year is still the most one request writes, whatever the space's booking window.
LONGEST_SERIES = datetime.timedelta(days=366)


def series_last_day(space, starts_on, *, staff=False, now=None):
    """The last day a series starting on starts_on may reach: the space's booking window, a year at most."""
    last = starts_on + LONGEST_SERIES
    if not staff:
        last = min(last, timezone.localdate(now) + datetime.timedelta(days=space.max_days_ahead))
    return last


def book_series(
    space, member, period, weekdays, starts_on, ends_on, *, booked_by=None, staff=False, pass_used=None, now=None
):
    """Book every chosen weekday from starts_on to ends_on; closed days are skipped, any conflict books nothing.

    The series may not go beyond series_last_day(). Each occurrence is booked in its own short transaction
    (book() locks the space for a few statements only); if any is refused, those already written are
    deleted, so the series is still all or nothing. Returns (series, bookings, skipped_days).
    """
    errors = Errors()
    if ends_on < starts_on:
        errors.add("ends_on", _("The last day cannot be before the first day."), "reversed")
    if not weekdays:
        errors.add("weekdays", _("Choose at least one day of the week."), "no_weekday")
    last_day = series_last_day(space, starts_on, staff=staff, now=now)
    if ends_on > last_day:
        if last_day - starts_on < LONGEST_SERIES:
            message = _(
                "%(space)s can be booked at most %(days)s days ahead: choose a last day until %(date)s at the latest."
            ) % {"space": space, "days": space.max_days_ahead, "date": _fmt_date(last_day)}
        else:
            message = _("A series lasts a year at most: choose a last day until %(date)s at the latest.") % {
                "date": _fmt_date(last_day)
            }
        errors.add("ends_on", message, "too_far")
    errors.raise_if_any()
    bookings, skipped, conflicts = [], [], []
    series = RecurringBooking.objects.create(
        member=member,
        space=space,
        period=period,
        weekdays=sorted(weekdays),
        starts_on=starts_on,
        ends_on=ends_on,
        booked_by=booked_by,
    )
    for day in calendar.days_between(starts_on, ends_on):
        if day.weekday() not in weekdays:
            continue
        if calendar.public_holiday(day) or space.hours_on(day) is None or space.closure_on(day):
            skipped.append(day)
            continue
        start, end = calendar.half_day_bounds(day, period)
        try:
            bookings.append(
                book(
                    space,
                    start,
                    end,
                    member=member,
                    booked_by=booked_by,
                    pass_used=pass_used,
                    series=series,
                    staff=staff,
                    now=now,
                )
            )
        except ValidationError as error:
            conflicts.append((day, error.messages))
    if conflicts or not bookings:
        _withdraw_series(series)
    if conflicts:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("%(date)s: %(problem)s") % {"date": _fmt_date(day), "problem": " ".join(messages)}
                    for day, messages in conflicts
                ]
            }
        )
    if not bookings:
        raise ValidationError({"starts_on": _("No open day matches these weekdays in this period.")})
    return series, bookings, skipped


def _withdraw_series(series):
    """Undo a series that could not be booked whole: its occurrences and the series go, in one transaction."""
    with transaction.atomic():
        spaces = set(series.occurrences.values_list("space_id", flat=True))
        Booking.objects.filter(series=series).delete()
        series.delete()
        versions.renew(*map(space_version, spaces))


def cancel_range(series, first, last, *, by=None, staff=False, now=None):
    """Cancel the occurrences of a series from first to last (inclusive); returns how many."""
    occurrences = series.occurrences.active().filter(
        start__gte=calendar.local(first, datetime.time.min), start__lte=calendar.local(last, datetime.time.max)
    )
    with transaction.atomic():
        cancelled = [cancel(occurrence, by=by, staff=staff, now=now) for occurrence in occurrences]
    return len(cancelled)


def check_in_with_code(token, member, now=None):
    """The member scanned the space's QR code: check in their booking running now, if any."""
    now = now or timezone.now()
    space = Space.objects.filter(checkin_token=token).first()
    if space is None:
        return None, None
    candidates = Booking.objects.filter(space=space, member=member, status=Booking.Status.CONFIRMED)
    booking = candidates.overlapping(now, now + datetime.timedelta(minutes=15)).order_by("start").first()
    if booking is not None:
        booking.check_in(now)
    return space, booking


def release_no_shows(now=None):
    """Release bookings not checked in within their space's delay; free places go to the waiting list."""
    now = now or timezone.now()
    released = 0
    for booking in Booking.objects.no_shows_due(now):
        with transaction.atomic():
            if booking.release(now):
                released += 1
                offer_freed_place(booking, now)
    return released


# Exemptions: the one place they are granted, changed and ended, so the bookings they price follow.


def save_exemption(exemption, *, by=None):
    """Grant, extend or shorten an exemption, then re-price the person's bookings it changes.

    Re-priced: the person's active bookings not yet sent to the régie (Booking.invoiced_at empty), whatever
    their date, by the one price rule (coworking.pricing). The person is emailed what changed. Returns the
    re-priced bookings.
    """
    with transaction.atomic():
        if exemption.granted_by_id is None and by is not None:
            exemption.granted_by = by
        exemption.full_clean()
        exemption.save()
        return reprice_bookings(exemption.member, exemption=exemption)


def end_exemption(exemption, last_day, *, by=None):
    """End an exemption after last_day (withdrawn altogether if that is before it starts); re-price as above."""
    with transaction.atomic():
        if last_day < exemption.starts_on:
            member = exemption.member
            exemption.delete()
            return reprice_bookings(member)
        exemption.ends_on = last_day
        return save_exemption(exemption, by=by)


def reprice_bookings(member, *, exemption=None):
    """Apply the price rule again to member's active bookings not yet sent to the régie; email the changes."""
    bookings = (
        Booking.objects.select_for_update(of=("self",))
        .filter(member=member, invoiced_at__isnull=True)
        .active()
        .exclude(billing=Booking.Billing.INTERNAL)
        .select_related("space", "pass_used", "tariff")
        .order_by("start")
    )
    rules, repriced = {}, []
    for booking in bookings:
        space_rules_ = rules.setdefault(booking.space_id, rules_of(booking.space))
        quote = pricing.requote(booking, tariff_of=space_rules_.tariff)
        if quote.billing == Booking.Billing.PASS:
            continue
        new = quote.booking_fields() | {"pass_used": None, "pass_units": Decimal("0")}
        if all(getattr(booking, field) == value for field, value in new.items()):
            continue
        booking.price_before = booking.price
        for field, value in new.items():
            setattr(booking, field, value)
        repriced.append(booking)
    if repriced:
        freshness.bump(*freshness.scopes_of(Booking))
        Booking.objects.bulk_update(
            repriced, ["billing", "price", "tariff", "tariff_category", "pass_used", "pass_units"]
        )
        versions.renew(*{space_version(booking.space_id) for booking in repriced})  # the grid shows prices
        if member.email:
            send_templated_email(
                member.email,
                "coworking_repriced",
                {"member": member, "bookings": repriced, "exemption": exemption},
                language=member.preferred_language,
            )
    return repriced
