"""Demo data for this app (called by `manage.py seed_demo`, must be idempotent).

This year's forum in Murat about six weeks from today, with talks, workshops,
exhibitors and some registrations; last year's edition with check-ins, so the
statistics and certificates have something to show.
"""

import datetime
import uuid

from django.utils import timezone

from accounts.models import Commune, User
from forum.models import Attendee, Edition, Exhibitor, Registration, Seat, Speaker, Talk, Workshop

THEME = "Travailler autrement à la campagne"

SPEAKERS = [
    ("Anne Vidal", "Hautes Terres Communauté", "Chargée de l'accueil des nouveaux actifs."),
    ("Bruno Lacombe", "Coopérative d'activité du Cantal", "Accompagne les créateurs d'entreprise depuis quinze ans."),
    ("Inès Fabre", "Télétravailleuse à Allanche", "Développeuse, installée dans le Cézallier depuis 2021."),
    ("Jean-Marc Rouchy", "Maire délégué", "Élu en charge de l'attractivité du territoire."),
]

# title, kind, start, end, room, capacity, audiences, speakers (indexes)
TALKS = [
    ("S'installer dans le Cantal : témoignages", "talk", (10, 0), (11, 0), "Grande salle", 200, [], [0, 2]),
    ("Attirer des actifs en zone rurale", "round_table", (11, 15), (12, 30), "Grande salle", 200, ["elected"], [0, 3]),
    ("Le télétravail, cinq ans après", "talk", (14, 0), (15, 0), "Grande salle", 200, [], [2]),
]
WORKSHOPS = [
    ("Créer son activité en milieu rural", (14, 0), (15, 30), "Salle du conseil", 20, ["entrepreneur", "curious"], [1]),
    ("Négocier son télétravail avec son employeur", (14, 0), (15, 30), "Salle Cézallier", 15, ["employee"], [2]),
    ("Recruter des télétravailleurs", (16, 0), (17, 0), "Salle du conseil", 12, ["employer"], [0]),
    ("Visite du télécentre de Murat", (16, 0), (17, 0), "Télécentre", 8, [], [0]),
]
EXHIBITORS = [
    (
        "A1",
        "Télécentre de Murat",
        "Coworking, formations et accueil des nouveaux actifs.",
        "https://www.hautesterres.fr",
    ),
    ("A2", "Cantal Attractivité", "Emplois, logements et services du département.", ""),
    ("B1", "Chambre de commerce et d'industrie", "Création et reprise d'entreprise.", ""),
]

# email, first name, last name, profile, origin, people, workshop indexes, thinking of moving
REGISTRATIONS = [
    ("claire@demo.example", "Claire", "Lefèvre", "teleworker", "Lyon", 1, [0], True),
    ("julien@demo.example", "Julien", "Moreau", "employee", "Paris", 3, [1, 3], True),
    ("sylvie.roche@demo.example", "Sylvie", "Roche", "elected", "Allanche", 1, [2], False),
    ("martin.aubert@demo.example", "Martin", "Aubert", "employer", "Clermont-Ferrand", 2, [2], False),
    ("lucie.baud@demo.example", "Lucie", "Baud", "curious", "Murat", 1, [3], False),
    ("tom.keller@demo.example", "Tom", "Keller", "entrepreneur", "Belgique", 1, [0], True),
]


def _at(day, hour_minute):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(*hour_minute)))


def _edition(year, day, published=True):
    now = timezone.now()
    edition, _created = Edition.objects.get_or_create(
        year=year,
        defaults={
            "theme": THEME,
            "start_date": day,
            "end_date": day,
            "venue": "Salle polyvalente, Murat",
            "venue_address": "Place de l'Hôtel de ville, 15300 Murat",
            "capacity": 300,
            "registration_opens_at": min(
                now - datetime.timedelta(days=14), _at(day, (8, 0)) - datetime.timedelta(days=60)
            ),
            "registration_closes_at": _at(day - datetime.timedelta(days=1), (20, 0)),
            "is_published": published,
            "description": "Une journée pour découvrir le territoire, rencontrer employeurs, élus et télétravailleurs.",
        },
    )
    return edition


def _programme(edition, speakers):
    for title, kind, start, end, room, capacity, audiences, who in TALKS:
        talk, created = Talk.objects.get_or_create(
            edition=edition,
            title=title,
            defaults={
                "kind": kind,
                "starts_at": _at(edition.start_date, start),
                "ends_at": _at(edition.start_date, end),
                "room": room,
                "capacity": capacity,
                "audiences": audiences,
            },
        )
        if created:
            talk.speakers.set([speakers[i] for i in who])
    workshops = []
    for title, start, end, room, capacity, audiences, who in WORKSHOPS:
        workshop, created = Workshop.objects.get_or_create(
            edition=edition,
            title=title,
            defaults={
                "starts_at": _at(edition.start_date, start),
                "ends_at": _at(edition.start_date, end),
                "room": room,
                "capacity": capacity,
                "audiences": audiences,
            },
        )
        if created:
            workshop.speakers.set([speakers[i] for i in who])
        workshops.append(workshop)
    for stand, name, description, website in EXHIBITORS:
        Exhibitor.objects.get_or_create(
            edition=edition, stand=stand, defaults={"name": name, "description": description, "website": website}
        )
    return workshops


def _registrations(edition, workshops, checked_in):
    """Registrations written directly (the demo bypasses opening dates); seats within capacity by construction."""
    communes = {c.name.lower(): c for c in Commune.objects.all()}
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.example")}
    for index, (email, first, last, profile, origin, people, chosen, moving) in enumerate(REGISTRATIONS):
        registration, created = Registration.objects.get_or_create(
            edition=edition,
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "user": users.get(email),
                "origin": origin,
                "origin_commune": communes.get(origin.lower()),
                "idempotency_key": uuid.uuid4(),
                "consent_at": timezone.now(),
                "moving_consent_at": timezone.now() if moving else None,
            },
        )
        if not created:
            continue
        names = [first] + ["Sophie", "Hugo", "Léa"][: people - 1]
        attendees = [
            Attendee.objects.create(
                registration=registration,
                first_name=name,
                last_name=last,
                profile=profile if n == 0 else "curious",
                is_booker=n == 0,
                checked_in_at=_at(edition.start_date, (9, 30)) if checked_in and index % 3 != 2 else None,
            )
            for n, name in enumerate(names)
        ]
        for i in chosen:
            for attendee in attendees:
                Seat.objects.create(
                    workshop=workshops[i],
                    attendee=attendee,
                    registration=registration,
                    checked_in_at=workshops[i].starts_at if attendee.checked_in_at else None,
                )
    edition.recount_attendees()


def seed(stdout):
    today = timezone.localdate()
    speakers = [
        Speaker.objects.get_or_create(name=name, defaults={"organisation": org, "bio": bio})[0]
        for name, org, bio in SPEAKERS
    ]
    this_day = today + datetime.timedelta(weeks=6)
    last_day = this_day - datetime.timedelta(weeks=52)
    current = _edition(this_day.year, this_day)
    previous = _edition(current.year - 1, last_day)
    _registrations(current, _programme(current, speakers), checked_in=False)
    _registrations(previous, _programme(previous, speakers), checked_in=True)
    stdout.write(f"  forum: editions {previous.year} and {current.year} ({current.start_date:%d/%m/%Y}, Murat).")
