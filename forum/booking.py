"""Registering, changing workshops and cancelling: the write paths that must never oversell.

Each runs in one transaction that locks the rows whose capacity it uses, in a
stable order (the edition first, then the workshops by id), recounts, and only
then writes. Seats freed go to the waiting list after the commit.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Commune
from forum import waiting
from forum.models import Attendee, Edition, Registration, Workshop


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


def lock_workshops(edition, ids):
    """Lock the workshop rows in id order so concurrent writers queue instead of deadlocking."""
    return list(Workshop.objects.select_for_update().filter(edition=edition, pk__in=ids).order_by("pk"))


def free_seats(workshop):
    """Recount a locked workshop: capacity minus seats booked and seats held by live offers."""
    return workshop.capacity - workshop.seats.count() - waiting.held(workshop)


def match_commune(origin):
    """The commune an origin names ("Murat", "murat (15300)" or an INSEE code), if it is one we know."""
    text = origin.strip()
    if not text:
        return None
    name = text.split("(")[0].strip()
    return Commune.objects.filter(Q(name__iexact=name) | Q(insee_code=text) | Q(postal_code=text)).first()


def register(edition, *, booker, people, workshop_ids, waitlist_if_full, idempotency_key, user=None, language="fr"):
    """Create a registration for `people` (dicts; the first is the booker) with seats in the chosen workshops.

    A replayed idempotency key returns the first registration (created=False).
    Raises ValidationError (nothing written) when registration is closed, the
    venue is full, workshops overlap, a workshop is full and the group did not
    ask for its waiting list, or the address is already registered.
    """
    existing = Registration.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return Outcome(existing, created=False)
    # Read before taking the edition lock, which every registration waits for: keep the locked part short.
    commune = match_commune(booker.get("origin", ""))
    try:
        with transaction.atomic():
            return _register(
                edition, booker, people, workshop_ids, waitlist_if_full, idempotency_key, user, language, commune
            )
    except IntegrityError:
        existing = Registration.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return Outcome(existing, created=False)
        raise duplicate_error() from None


def _register(edition, booker, people, workshop_ids, waitlist_if_full, idempotency_key, user, language, commune):
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    # A double submit waiting on the lock sees the first one's registration once it is committed.
    existing = Registration.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return Outcome(existing, created=False)
    if not edition.registration_is_open():
        raise ValidationError(_("Registration for this forum is closed."), code="closed")
    email = booker["email"].strip().lower()
    # Addresses are stored in lower case: the unique (edition, email) index answers this.
    if email and Registration.objects.confirmed().filter(edition=edition, email=email).exists():
        raise duplicate_error()
    if not edition.has_room_for(len(people)):
        raise ValidationError(
            _("The venue is full: we cannot welcome more people this year. We hope to see you next year!"),
            code="venue_full",
        )
    workshops = lock_workshops(edition, workshop_ids)
    if len(workshops) != len(set(workshop_ids)):
        raise ValidationError(_("One of the workshops chosen is not in this forum's programme."), code="unknown")
    pair = find_overlap(workshops)
    if pair:
        raise overlap_error(pair)
    remaining = {w.pk: free_seats(w) for w in workshops}
    full = [w for w in workshops if remaining[w.pk] < len(people)]
    if full and not waitlist_if_full:
        raise full_error(full[0], max(0, remaining[full[0].pk]), len(people))

    now = timezone.now()
    registration = Registration.objects.create(
        edition=edition,
        user=user if user is not None and user.is_authenticated else None,
        first_name=booker["first_name"],
        last_name=booker["last_name"],
        email=email,
        origin=booker.get("origin", ""),
        origin_commune=commune,
        accessibility_needs=booker.get("accessibility_needs", ""),
        idempotency_key=idempotency_key,
        language=language,
        consent_at=now,
        moving_consent_at=now if booker.get("thinking_of_moving") else None,
        source=booker.get("source", Registration.Source.ONLINE),
    )
    Attendee.objects.bulk_create(
        [
            Attendee(
                registration=registration,
                first_name=person["first_name"],
                last_name=person["last_name"],
                email=person.get("email", ""),
                profile=person["profile"],
                is_booker=index == 0,
            )
            for index, person in enumerate(people)
        ]
    )
    edition.add_to_total(len(people))
    outcome = Outcome(registration)
    for workshop in workshops:
        if workshop in full:
            waiting.join(workshop, registration, len(people))
            outcome.waitlisted.append(workshop)
        else:
            registration.add_seats(workshop)
            outcome.seated.append(workshop)
    return outcome


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
        full = [w for w in added if free_seats(w) < people]
        if full and not waitlist_if_full:
            raise full_error(full[0], max(0, free_seats(full[0])), people)
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
        # The edition first, as every write path locks it before its registrations (the venue's running total).
        edition = Edition.objects.select_for_update().get(pk=registration.edition_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration
        edition.add_to_total(-registration.attendees.count())
        freed = list(registration.workshops())
        registration.seats.all().delete()
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        waiting.withdraw_all(registration)
        waiting.release_on_commit(freed)
    return registration


def register_walk_in(edition, data, by=None):
    """Someone who turns up without registering: registered and checked in at once (venue capacity holds)."""
    commune = match_commune(data.get("origin", ""))
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        email = (data.get("email") or "").strip().lower()
        if email and Registration.objects.confirmed().filter(edition=edition, email=email).exists():
            raise duplicate_error()
        if not edition.has_room_for(1):
            raise ValidationError(_("The venue is full: no more people can come in."), code="venue_full")
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
        edition.add_to_total(1)
        return Attendee.objects.create(
            registration=registration,
            first_name=registration.first_name,
            last_name=registration.last_name,
            profile=data["profile"],
            is_booker=True,
            checked_in_at=now,
            checked_in_by=by,
        )


def recount_editions(edition_ids):
    """Put the editions' running totals of people right again after a change made by hand (admin)."""
    with transaction.atomic():
        for edition in Edition.objects.select_for_update().filter(pk__in=set(edition_ids)).order_by("pk"):
            edition.recount_attendees()
