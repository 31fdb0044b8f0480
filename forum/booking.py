"""Registering, changing workshops and cancelling: the write paths that must never oversell.

Each runs in one transaction that locks the rows whose capacity it uses, recounts, and only then writes;
seats freed go to the waiting list after the commit. Locks are always taken in the same order so that
concurrent writers queue instead of deadlocking: an existing registration, then workshops by id, then the
edition. The edition row holds the venue's running total of people; every registration changes it, so it
is locked last and held only until the commit. It is locked FOR NO KEY UPDATE, as an UPDATE locks it, so
inserting rows that point to the edition never waits.

A registration does everything it can before its transaction (validation, checks that need no lock,
matching the origin to a commune, building the rows), and everything it can after the commit (the email
with the tickets is rendered by the task worker): the locked part is the recount and the inserts.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Commune
from forum import tickets, waiting
from forum.models import Attendee, Edition, Registration, Seat, Workshop
from telecentre import freshness


@dataclass
class Outcome:
    registration: Registration
    created: bool = True
    seated: list = field(default_factory=list)
    waitlisted: list = field(default_factory=list)


def find_overlap(workshops):
    """The first pair of workshops whose times overlap, or None."""
    ordered = sorted(workshops, key=lambda w: w.starts_at)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.overlaps(later):
            return earlier, later
    return None


def overlap_error(pair):
    return ValidationError(
        _("“%(first)s” and “%(second)s” take place at the same time: choose one of them."),
        code="overlap",
        params={"first": pair[0].title, "second": pair[1].title},
    )


def full_error(workshop, remaining, people):
    return ValidationError(
        ngettext(
            "“%(title)s” has %(remaining)s seat left for your group of %(people)s. Choose another workshop, "
            "or tick “put us on the waiting list”.",
            "“%(title)s” has %(remaining)s seats left for your group of %(people)s. Choose another workshop, "
            "or tick “put us on the waiting list”.",
            remaining,
        ),
        code="full",
        params={"title": workshop.title, "remaining": remaining, "people": people},
    )


def duplicate_error():
    return ValidationError(
        _(
            "A registration already exists for this address: use the private link of your confirmation email "
            "to change it (you can ask for it again on the forum page)."
        ),
        code="duplicate_email",
    )


def closed_error():
    return ValidationError(_("Registration for this forum is closed."), code="closed")


def venue_full_error():
    return ValidationError(
        _("The venue is full: we cannot welcome more people this year. We hope to see you next year!"),
        code="venue_full",
    )


def lock_workshops(edition, ids):
    """Lock the edition's workshop rows in id order, so concurrent writers queue instead of deadlocking."""
    workshops = Workshop.objects.filter(edition=edition, pk__in=set(ids)).defer("description", "audiences")
    return list(workshops.select_for_update().order_by("pk"))


def free_seats_of(workshops):
    """{workshop id: seats free} of locked workshops, as WorkshopQuerySet.with_remaining() counts them.

    A query of its own, after the lock: a query that locked and counted at once would count what it saw
    before waiting for the lock, without the seats booked by the writer it waited for.
    """
    remaining = Workshop.objects.filter(pk__in=[w.pk for w in workshops]).with_remaining().order_by()
    return dict(remaining.values_list("pk", "remaining"))


def seat_where_free(registration, attendees, workshops):
    """Seat the attendees in those of the locked workshops with room for all of them; returns their ids."""
    free = free_seats_of(workshops)
    seated = {workshop.pk for workshop in workshops if free[workshop.pk] >= len(attendees)}
    Seat.objects.bulk_create(
        Seat(workshop_id=pk, attendee=attendee, registration=registration) for pk in seated for attendee in attendees
    )
    return seated


def match_commune(origin):
    """The commune an origin names ("Lyon", "lyon (69001)" or an INSEE code), if it is one we know."""
    text = origin.strip()
    if not text:
        return None
    name = text.split("(")[0].strip()
    return Commune.objects.filter(Q(name__iexact=name) | Q(insee_code=text) | Q(postal_code=text)).first()


def commune_id(origin):
    """The id of the commune an origin names, or None; remembered until the communes change (most visitors
    of a rush come from the same few communes)."""
    if not origin.strip():
        return None
    return freshness.cached_fragments([commune_fragment(origin)])[0][0]


def commune_fragment(origin):
    """The cached fragment behind commune_id(origin), to fetch with others (freshness.cached_fragments).

    The view fetches it before the form is validated: an origin the form will refuse (too long, with a NUL
    character) is matched to nothing, without a query.
    """
    text = origin.strip()

    def match():
        plausible = len(text) <= Registration._meta.get_field("origin").max_length and "\x00" not in text
        return (getattr(match_commune(text), "pk", None) if plausible else None,)

    digest = hashlib.sha256(text.encode(errors="replace")).hexdigest()[:32]
    return ("forum-commune", ["accounts"], match, (digest,))


def register(edition, *, booker, people, workshop_ids, waitlist_if_full, idempotency_key, user=None, language="fr"):
    """Create a registration for `people` (dicts; the first is the booker) with seats in the chosen workshops.

    The booker's origin is matched to a commune, unless the caller did (booker["origin_commune_id"]).

    The email with the tickets is queued with the registration (forum/tickets.py).
    A replayed idempotency key returns the first registration (created=False).
    Raises ValidationError (nothing written) when registration is closed, the
    venue is full, workshops overlap, a workshop is full and the group did not
    ask for its waiting list, or the address is already registered.
    """
    now = timezone.now()
    registration = Registration(
        edition=edition,
        user=user if user is not None and user.is_authenticated else None,
        first_name=booker["first_name"],
        last_name=booker["last_name"],
        email=booker["email"].strip().lower(),
        origin=booker.get("origin", ""),
        origin_commune_id=(
            booker["origin_commune_id"] if "origin_commune_id" in booker else commune_id(booker.get("origin", ""))
        ),
        accessibility_needs=booker.get("accessibility_needs", ""),
        idempotency_key=idempotency_key,
        language=language,
        consent_at=now,
        moving_consent_at=now if booker.get("thinking_of_moving") else None,
        source=booker.get("source", Registration.Source.ONLINE),
    )
    attendees = [
        Attendee(
            first_name=person["first_name"],
            last_name=person["last_name"],
            email=person.get("email", ""),
            profile=person["profile"],
            is_booker=index == 0,
        )
        for index, person in enumerate(people)
    ]
    try:
        with transaction.atomic():
            return _register(edition, registration, attendees, workshop_ids, waitlist_if_full)
    except IntegrityError:
        # The unique constraints answer a replayed form (idempotency key) and an address already registered
        # (edition, email), even when both copies are sent at the same moment: no query needs to ask first.
        existing = Registration.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return Outcome(existing, created=False)
        raise duplicate_error() from None


def _register(edition, registration, attendees, workshop_ids, waitlist_if_full):
    # The rows first: a replay or an address already registered fails here at once (see register()); a copy
    # sent at the same moment waits on the unique index, holding no lock, until the first one commits.
    registration.save(force_insert=True)
    for attendee in attendees:
        attendee.registration = registration
    Attendee.objects.bulk_create(attendees)
    tickets.queue_ticket(registration)
    outcome = Outcome(registration)
    if workshop_ids:
        _take_seats(edition, registration, attendees, workshop_ids, waitlist_if_full, outcome)
    _count_in_venue(edition, len(attendees))
    return outcome


def _take_seats(edition, registration, attendees, workshop_ids, waitlist_if_full, outcome):
    """Seat the group in the workshops that have room, the waiting list of the others (workshops locked)."""
    workshops = lock_workshops(edition, workshop_ids)
    if len(workshops) != len(set(workshop_ids)):
        raise ValidationError(_("One of the workshops chosen is not in this forum's programme."), code="unknown")
    pair = find_overlap(workshops)
    if pair:
        raise overlap_error(pair)
    people = len(attendees)
    seated = seat_where_free(registration, attendees, workshops)
    full = [w for w in workshops if w.pk not in seated]
    if full and not waitlist_if_full:
        raise full_error(full[0], free_seats_of(full[:1])[full[0].pk], people)
    outcome.seated = [w for w in workshops if w.pk in seated]
    for workshop in full:
        waiting.join(workshop, registration, people)
        outcome.waitlisted.append(workshop)


def _count_in_venue(edition, people):
    """Add `people` (their rows already inserted) to the venue's total, if registration is open and they fit.

    The edition is locked last (see the module's lock order) and only until the commit.
    """
    edition = Edition.objects.select_for_update(no_key=True).get(pk=edition.pk)
    if not edition.registration_is_open():
        raise closed_error()
    if not edition.admit(people):
        raise venue_full_error()


def change_workshops(registration, workshop_ids, waitlist_if_full=False):
    """Replace the registration's workshops; seats given up go to the waiting list after commit."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.link_is_active():
            raise ValidationError(_("This registration can no longer be changed."), code="inactive")
        current = set(registration.seats.values_list("workshop_id", flat=True))
        wanted = set(workshop_ids)
        locked = lock_workshops(registration.edition, current | wanted)
        if len({w.pk for w in locked} & wanted) != len(wanted):
            raise ValidationError(_("One of the workshops chosen is not in this forum's programme."), code="unknown")
        chosen = [w for w in locked if w.pk in wanted]
        pair = find_overlap(chosen)
        if pair:
            raise overlap_error(pair)
        people = registration.attendees.count()
        added = [w for w in chosen if w.pk not in current]
        free = free_seats_of(added)
        full = [w for w in added if free[w.pk] < people]
        if full and not waitlist_if_full:
            raise full_error(full[0], free[full[0].pk], people)
        dropped = [w for w in locked if w.pk in current - wanted]
        registration.seats.filter(workshop__in=dropped).delete()
        outcome = Outcome(registration, created=False)
        for workshop in added:
            if workshop in full:
                waiting.join(workshop, registration, people)
                outcome.waitlisted.append(workshop)
            else:
                registration.add_seats(workshop)
                outcome.seated.append(workshop)
        waiting.release_on_commit(dropped)
    return outcome


def cancel(registration):
    """Cancel the whole registration: seats freed, waiting-list entries withdrawn."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration
        people = registration.attendees.count()
        freed = list(registration.workshops())
        registration.seats.all().delete()
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        waiting.withdraw_all(registration)
        # The edition last (see the module's lock order): the UPDATE locks its row until the commit.
        registration.edition.add_to_total(-people)
        waiting.release_on_commit(freed)
    return registration


def register_walk_in(edition, data, by=None):
    """Someone who turns up without registering: registered and checked in at once (venue capacity holds)."""
    commune = match_commune(data.get("origin", ""))
    with transaction.atomic():
        edition = Edition.objects.select_for_update(no_key=True).get(pk=edition.pk)
        email = (data.get("email") or "").strip().lower()
        if email and Registration.objects.confirmed().filter(edition=edition, email=email).exists():
            raise duplicate_error()
        now = timezone.now()
        registration = Registration.objects.create(
            edition=edition,
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            email=email,
            origin=data.get("origin", "").strip(),
            origin_commune=commune,
            source=Registration.Source.WALK_IN,
            consent_at=now,
        )
        attendee = Attendee.objects.create(
            registration=registration,
            first_name=registration.first_name,
            last_name=registration.last_name,
            profile=data["profile"],
            is_booker=True,
            checked_in_at=now,
            checked_in_by=by,
        )
        if not edition.admit(1):
            raise ValidationError(_("The venue is full: no more people can come in."), code="venue_full")
        return attendee


def recount_editions(edition_ids):
    """Put the editions' running totals of people right again after a change made by hand (admin)."""
    with transaction.atomic():
        for edition in Edition.objects.select_for_update(no_key=True).filter(pk__in=set(edition_ids)).order_by("pk"):
            edition.recount_attendees()
