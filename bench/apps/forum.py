"""Forum scenarios: a registration POST (every request a new visitor, in one roomy workshop) and the rush
(workshops of 200 seats that 1 000 visitors try to register for at once).

Workshops and registrations of earlier benchmark runs are removed first, so the forum page stays the same
from one run to the next on a reused database.
"""

import datetime
import secrets

from django.contrib.contenttypes.models import ContentType

from bench.scenarios import Missing, lua_post, url
from forum.models import Edition, Registration, Seat, Workshop
from waitlist.models import WaitingListEntry

BENCH_TITLE = "Bench"
RUSH_WORKSHOPS = 3
RUSH_SEATS = 200
RUSH_REGISTRATIONS = 1000


def current_edition():
    edition = Edition.objects.current()
    if edition is None or not edition.registration_is_open():
        raise Missing("no forum edition open for registration (seed_scale opens one)")
    return edition


def clean_previous_runs(edition):
    workshops = Workshop.objects.filter(edition=edition, title__startswith=BENCH_TITLE)
    WaitingListEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Workshop), target_id__in=workshops.values("pk")
    ).delete()
    Seat.objects.filter(workshop__in=workshops).delete()
    Registration.objects.filter(edition=edition, email__startswith="bench-").delete()
    workshops.delete()


def new_workshop(edition, title, capacity, hour):
    starts_at = datetime.datetime.combine(edition.start_date, datetime.time(hour), tzinfo=datetime.UTC)
    return Workshop.objects.create(
        edition=edition,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=45),
        room="Bench",
        capacity=capacity,
    )


def form_body(workshop_lua, email_lua, key_lua):
    """The registration form as a Lua expression (one booker, no companion)."""
    return (
        '"first_name=Bench&last_name=Visitor&email=" .. '
        + email_lua
        + ' .. "&profile=teleworker&origin=Murat&accessibility_needs=&website=&consent=on&waitlist_if_full=on'
        + "&people-TOTAL_FORMS=0&people-INITIAL_FORMS=0&people-MIN_NUM_FORMS=0&people-MAX_NUM_FORMS=9"
        + '&workshops=" .. '
        + workshop_lua
        + ' .. "&idempotency_key=" .. '
        + key_lua
    )


def registration_post():
    edition = current_edition()
    clean_previous_runs(edition)
    workshop = new_workshop(edition, f"{BENCH_TITLE} workshop", 1_000_000, 7)
    nonce = secrets.randbits(32)
    body = form_body(
        f'"{workshop.pk}"',
        f'"bench-{nonce:08x}-" .. n .. "%40scale.example"',
        f'string.format("{nonce:08x}-0000-4000-8000-%012x", n)',
    )
    return {"path": url("forum:index"), "lua": lua_post(url("forum:index"), body)}


def rush_setup():
    """The rush's own workshops (200 seats each, at different times) and what each client posts."""
    edition = current_edition()
    workshops = [new_workshop(edition, f"{BENCH_TITLE} rush {n + 1}", RUSH_SEATS, 8 + n) for n in range(RUSH_WORKSHOPS)]
    nonce = secrets.randbits(32)
    return {
        "path": url("forum:index"),
        "edition": edition.pk,
        "workshops": [workshop.pk for workshop in workshops],
        "seats": RUSH_SEATS,
        "registrations": RUSH_REGISTRATIONS,
        "email_prefix": f"bench-rush-{nonce:08x}-",
        "key_prefix": f"{nonce:08x}-0000-4000-8000-",
    }


def verify_rush(setup):
    """After the rush: seats per workshop, registrations per address, and what became of each visitor."""
    workshops = {pk: Seat.objects.filter(workshop_id=pk).count() for pk in setup["workshops"]}
    emails = list(
        Registration.objects.filter(edition_id=setup["edition"], email__startswith=setup["email_prefix"]).values_list(
            "email", flat=True
        )
    )
    waiting = WaitingListEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Workshop),
        target_id__in=setup["workshops"],
        email__startswith=setup["email_prefix"],
    ).count()
    return {
        "seats": workshops,
        "oversold": [pk for pk, seats in workshops.items() if seats > setup["seats"]],
        "registrations": len(emails),
        "distinct": len(set(emails)),
        "waiting": waiting,
    }
