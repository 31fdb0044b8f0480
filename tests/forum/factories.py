"""Builders for forum test data."""

import datetime
import itertools
import uuid

from django.utils import timezone

from forum import booking
from forum.models import Edition, Talk, Workshop

_years = itertools.count(2040)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_edition(days_ahead=40, **fields):
    today = timezone.localdate()
    day = fields.pop("start_date", today + datetime.timedelta(days=days_ahead))
    now = timezone.now()
    values = {
        "year": next(_years),
        "theme": "Travailler autrement à la campagne",
        "start_date": day,
        "end_date": day,
        "venue": "Salle des fêtes, Murat",
        "capacity": 300,
        "registration_opens_at": now - datetime.timedelta(days=30),
        "registration_closes_at": at(day, 8),
        "is_published": True,
    }
    values.update(fields)
    return Edition.objects.create(**values)


def make_workshop(edition, title="Atelier", start=(14, 0), end=(15, 30), capacity=20, **fields):
    return Workshop.objects.create(
        edition=edition,
        title=title,
        starts_at=at(edition.start_date, *start),
        ends_at=at(edition.start_date, *end),
        room=fields.pop("room", "Salle 1"),
        capacity=capacity,
        **fields,
    )


def make_talk(edition, title="Conférence", start=(10, 0), end=(11, 0), **fields):
    return Talk.objects.create(
        edition=edition,
        title=title,
        starts_at=at(edition.start_date, *start),
        ends_at=at(edition.start_date, *end),
        room=fields.pop("room", "Grande salle"),
        **fields,
    )


def person(first_name="Claire", last_name="Lefèvre", profile="teleworker", **fields):
    return {"first_name": first_name, "last_name": last_name, "profile": profile, **fields}


def make_registration(edition, email=None, people=1, workshops=(), waitlist_if_full=True, **booker):
    """A registration made through the booking service (as the form does)."""
    email = email or f"visitor-{uuid.uuid4().hex[:8]}@example.org"
    booker = {"first_name": "Claire", "last_name": "Lefèvre", "email": email, "origin": "Lyon", **booker}
    group = [person(booker["first_name"], booker["last_name"])] + [
        person(f"Enfant{n}", booker["last_name"], "curious") for n in range(1, people)
    ]
    return booking.register(
        edition,
        booker=booker,
        people=group,
        workshop_ids=[w.pk for w in workshops],
        waitlist_if_full=waitlist_if_full,
        idempotency_key=uuid.uuid4(),
    ).registration


def form_data(edition, **overrides):
    """POST data of the public registration form for one person."""
    data = {
        "first_name": "Claire",
        "last_name": "Lefèvre",
        "email": "claire@example.org",
        "profile": "teleworker",
        "origin": "Lyon",
        "accessibility_needs": "",
        "consent": "on",
        "waitlist_if_full": "on",
        "idempotency_key": str(uuid.uuid4()),
        "website": "",
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "9",
        "people-0-first_name": "",
        "people-0-last_name": "",
        "people-0-profile": "curious",
        "people-0-email": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def add_people(data, *names):
    """Add group members (first name, last name) to form data."""
    data["people-TOTAL_FORMS"] = str(len(names) or 1)
    for index, (first, last) in enumerate(names):
        data[f"people-{index}-first_name"] = first
        data[f"people-{index}-last_name"] = last
        data[f"people-{index}-profile"] = "curious"
        data[f"people-{index}-email"] = ""
    return data
