"""Volume data for the forum: ten yearly editions (the last one upcoming and open), their programmes and
50 000 registrations with their attendees and workshop seats, past ones checked in."""

import datetime
import secrets
import uuid

from forum.models import Attendee, Edition, Profile, Registration, Seat, Talk, Workshop

EDITIONS = 10
WORKSHOPS_PER_EDITION = 12
TALKS_PER_EDITION = 8
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def seed(scale):
    editions = seed_editions(scale)
    per_edition = max(1, scale.count(50_000) // len(editions))
    newcomers = scale.newcomer_ids()
    communes = scale.commune_ids()
    registrations = 0
    for edition in editions:
        first_id = (Registration.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        registrations += scale.insert_values(
            Registration, registration_rows(scale, edition, per_edition, newcomers, communes)
        )
        ids = list(Registration.objects.filter(edition=edition, pk__gte=first_id).values_list("pk", flat=True))
        seed_attendees_and_seats(scale, edition, ids)
        edition.recount_attendees()
    return f"{len(editions)} editions, {registrations} registrations, {Attendee.objects.count()} attendees"


def seed_editions(scale):
    this_year = scale.today.year
    editions = []
    for year in range(this_year - EDITIONS + 1, this_year + 1):
        upcoming = year == this_year
        start = scale.today + datetime.timedelta(days=45) if upcoming else datetime.date(year, 6, 12)
        edition, created = Edition.objects.get_or_create(
            year=year + (1 if upcoming and start.year > year else 0),
            defaults={
                "theme": "Vivre et travailler au pays",
                "start_date": start,
                "end_date": start + datetime.timedelta(days=1),
                "venue": "Halle de Murat",
                "capacity": 100_000,
                "registration_opens_at": scale.moment(start - datetime.timedelta(days=120), 9),
                "registration_closes_at": scale.moment(start, 9),
                "is_published": True,
            },
        )
        if created:
            seed_programme(scale, edition)
        editions.append(edition)
    return editions


def seed_programme(scale, edition):
    def slot(n, day_offset=0):
        day = edition.start_date + datetime.timedelta(days=day_offset)
        start = scale.moment(day, 9 + (n % 4) * 2)
        return start, start + datetime.timedelta(minutes=90)

    talks, workshops = [], []
    for n in range(TALKS_PER_EDITION):
        starts_at, ends_at = slot(n, n // 4)
        talks.append(
            Talk(
                edition=edition, title=f"Conférence {n + 1}", starts_at=starts_at, ends_at=ends_at, room="Grande salle"
            )
        )
    for n in range(WORKSHOPS_PER_EDITION):
        starts_at, ends_at = slot(n, n // 6)
        workshops.append(
            Workshop(
                edition=edition,
                title=f"Atelier {n + 1}",
                starts_at=starts_at,
                ends_at=ends_at,
                room=f"Salle {n % 3 + 1}",
                capacity=2_000,
                audiences=[scale.pick(Profile.values)],
            )
        )
    Talk.objects.bulk_create(talks)
    Workshop.objects.bulk_create(workshops)


def registration_rows(scale, edition, count, newcomers, communes):
    past = edition.end_date < scale.today
    opens = edition.registration_opens_at
    for n in range(count):
        created = opens + datetime.timedelta(minutes=n * 60 * 24 * 100 // count)
        with_account = scale.random.random() < 0.2
        yield {
            "edition_id": edition.pk,
            "user_id": scale.pick(newcomers) if with_account else None,
            "first_name": "Visiteur",
            "last_name": f"{edition.year}-{n}",
            "email": f"visitor{n}.{edition.year}@scale.example",
            "origin": "Murat",
            "origin_commune_id": scale.pick(communes),
            "status": Registration.Status.CANCELLED if scale.random.random() < 0.05 else Registration.Status.CONFIRMED,
            "token": secrets.token_urlsafe(32),
            "idempotency_key": uuid.UUID(int=scale.random.getrandbits(128)),
            "consent_at": created,
            "moving_consent_at": created if scale.random.random() < 0.1 else None,
            "created_at": created,
            "anonymised_at": created if past and edition.year < scale.today.year - 3 else None,
        }


def ticket_code(scale):
    return "".join(scale.pick(ALPHABET) for _ in range(10))


def seed_attendees_and_seats(scale, edition, registration_ids):
    past = edition.end_date < scale.today
    arrived = scale.moment(edition.start_date, 9)
    scale.insert_values(
        Attendee,
        (
            {
                "registration_id": registration_id,
                "first_name": "Visiteur",
                "last_name": str(registration_id),
                "profile": scale.pick(Profile.values),
                "is_booker": person == 0,
                "code": ticket_code(scale),
                "checked_in_at": arrived if past and scale.random.random() < 0.8 else None,
            }
            for registration_id in registration_ids
            for person in range(1 if scale.random.random() < 0.7 else scale.random.randint(2, 4))
        ),
    )
    workshops = list(Workshop.objects.filter(edition=edition).order_by("starts_at"))
    # Workshops at the same time are alternatives: each attendee takes at most one per time slot.
    by_time = {}
    for workshop in workshops:
        by_time.setdefault(workshop.starts_at, []).append(workshop)
    attendees = list(
        Attendee.objects.filter(
            registration__edition=edition, registration_id__gte=min(registration_ids, default=0)
        ).values_list("pk", "registration_id")
    )
    scale.insert_values(
        Seat,
        (
            {
                "workshop_id": scale.pick(choices).pk,
                "attendee_id": attendee_id,
                "registration_id": registration_id,
                "created_at": arrived - datetime.timedelta(days=30),
                "checked_in_at": arrived if past and scale.random.random() < 0.7 else None,
            }
            for attendee_id, registration_id in attendees
            for choices in by_time.values()
            if scale.random.random() < 0.25
        ),
    )
