"""Demo data for this app (called by `manage.py seed_demo`, must be idempotent).

The Murat telecentre: an open space, two private offices, a meeting room, a
videoconference room and the training room, the council's tariff, a few passes
and bookings for today and the coming days.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from coworking import api, calendar, services
from coworking.models import Closure, OpeningHours, Pass, RecurringBooking, Space, Tariff, TariffDecision

WEEKDAYS = range(5)

# slug, name, kind, capacity, hourly, audience, equipment, description
SPACES = [
    (
        "open-space",
        "Open space La Cocotte",
        Space.Kind.OPEN_SPACE,
        8,
        False,
        Space.Audience.PUBLIC,
        "Fibre optique\nÉcrans 24 pouces\nImprimante partagée\nCoin café",
        "Huit postes libres au rez-de-chaussée de la COcotte numérique, vue sur le rocher de Bonnevie.",
    ),
    (
        "bureau-plomb",
        "Bureau Plomb du Cantal",
        Space.Kind.PRIVATE_OFFICE,
        2,
        False,
        Space.Audience.PUBLIC,
        "Deux postes\nArmoire fermant à clé",
        "Bureau privatif pour deux personnes.",
    ),
    (
        "bureau-puy-mary",
        "Bureau Puy Mary",
        Space.Kind.PRIVATE_OFFICE,
        1,
        False,
        Space.Audience.PASS_HOLDERS,
        "Un poste\nÉcran 27 pouces",
        "Bureau individuel calme, réservé aux adhérents.",
    ),
    (
        "salle-bredons",
        "Salle de réunion Bredons",
        Space.Kind.MEETING_ROOM,
        10,
        True,
        Space.Audience.PUBLIC,
        "Grand écran\nTableau blanc\nPaperboard",
        "Salle de réunion pour dix personnes.",
    ),
    (
        "salle-visio",
        "Salle visio Chastel",
        Space.Kind.VISIO_ROOM,
        4,
        True,
        Space.Audience.PUBLIC,
        "Caméra grand angle\nMicro de conférence\nÉcran 55 pouces",
        "Petite salle équipée pour les visioconférences.",
    ),
    (
        "salle-formation",
        "Salle de formation",
        Space.Kind.TRAINING_ROOM,
        15,
        True,
        Space.Audience.STAFF,
        "Vidéoprojecteur\n15 postes portables\nTableau blanc",
        "Salle des formations au télétravail ; réservée par l’équipe.",
    ),
]

TARIFF = [
    (Tariff.Unit.HOUR, "Heure de salle", "5", "8"),
    (Tariff.Unit.HALF_DAY, "Demi-journée", "10", "12"),
    (Tariff.Unit.DAY, "Journée", "20", "25"),
    (Tariff.Unit.WEEK, "Semaine", "80", "95"),
    (Tariff.Unit.MONTH, "Mois (1 à 2 jours par semaine)", "100", "120"),
]


def _user(email):
    return User.objects.filter(email=email).first()


def _open_days(space, start, count):
    """The next `count` days from start when space is open."""
    days, day = [], start
    while len(days) < count and day < start + datetime.timedelta(days=60):
        if space.hours_on(day) and not space.closure_on(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _book(space, start, end, key, **kwargs):
    """1 if a booking was made, 0 if it already existed or cannot be made (past half-day, closed day)."""
    try:
        booking = services.book(space, start, end, idempotency_key=f"demo-{key}", staff=True, **kwargs)
    except ValidationError:
        return 0
    return 0 if booking.replayed else 1


def seed(stdout):
    today = timezone.localdate()
    staff = _user("coworking@telecentre.demo")
    decision, _created = TariffDecision.objects.get_or_create(
        reference="Délibération n° 2023-047",
        defaults={
            "decided_on": datetime.date(2023, 6, 29),
            "valid_from": datetime.date(2023, 7, 1),
            "notes": "Conseil communautaire de Hautes Terres Communauté : tarifs du télécentre.",
        },
    )
    for unit, label, member, public in TARIFF:
        Tariff.objects.get_or_create(
            decision=decision,
            unit=unit,
            defaults={"label": label, "newcomer_price": Decimal(member), "public_price": Decimal(public)},
        )
    spaces = {}
    for position, (slug, name, kind, capacity, hourly, audience, equipment, description) in enumerate(SPACES):
        space, created = Space.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "capacity": capacity,
                "hourly": hourly,
                "audience": audience,
                "equipment": equipment,
                "description": description,
                "position": position,
                "buffer_minutes": 15 if hourly else 0,
                "check_in_required": kind != Space.Kind.TRAINING_ROOM,
            },
        )
        if created:
            for weekday in WEEKDAYS:
                OpeningHours.objects.create(
                    space=space, weekday=weekday, opens=datetime.time(8, 30), closes=datetime.time(18, 0)
                )
            if kind == Space.Kind.OPEN_SPACE:
                OpeningHours.objects.create(
                    space=space, weekday=5, opens=datetime.time(8, 30), closes=datetime.time(12, 30)
                )
        spaces[slug] = space
    Closure.objects.get_or_create(
        space=None,
        start_date=datetime.date(today.year, 12, 24),
        defaults={"end_date": datetime.date(today.year, 12, 31), "reason": "Fermeture de fin d’année"},
    )

    julien, sarah, marc = _user("julien@demo.example"), _user("sarah@demo.example"), _user("marc@demo.example")
    first_of_month = today.replace(day=1)
    membership, _created = Pass.objects.get_or_create(
        holder=julien,
        label="Abonnement mensuel",
        valid_from=first_of_month,
        defaults={
            "kind": Pass.Kind.MEMBERSHIP,
            "valid_until": (first_of_month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1),
            "allowance": Decimal("8"),
            "price": Decimal("100"),
            "tariff": decision.tariffs.get(unit=Tariff.Unit.MONTH),
            "sold_by": staff,
        },
    )
    carnet, _created = Pass.objects.get_or_create(
        holder=sarah,
        label="Carnet de 10 journées",
        defaults={
            "kind": Pass.Kind.CARNET,
            "valid_from": first_of_month,
            "valid_until": first_of_month + datetime.timedelta(days=180),
            "allowance": Decimal("10"),
            "price": Decimal("180"),
            "sold_by": staff,
        },
    )
    api.grant_training_exemption(marc, reason="Formation au télétravail indépendant", start=today)

    open_space = spaces["open-space"]
    days = _open_days(open_space, today, 5)
    plan = [
        ("claire@demo.example", "morning", None),
        ("julien@demo.example", "day", membership),
        ("amina@demo.example", "afternoon", None),
        ("sarah@demo.example", "morning", carnet),
        ("marc@demo.example", "day", None),
    ]
    booked = 0
    for offset, day in enumerate(days):
        for index, (email, period, pass_used) in enumerate(plan):
            if (index + offset) % 2:  # not everyone every day
                continue
            member = _user(email)
            start, end = calendar.half_day_bounds(day, period)
            key = f"{email}-{day}-{period}"
            booked += _book(open_space, start, end, key, member=member, booked_by=member, pass_used=pass_used)
    pierre = _user("pierre@demo.example")
    for day in _open_days(spaces["salle-bredons"], today + datetime.timedelta(days=1), 1):
        start, end = calendar.local(day, datetime.time(10)), calendar.local(day, datetime.time(12))
        booked += _book(spaces["salle-bredons"], start, end, f"pierre-{day}", member=pierre, booked_by=staff)
    for day in _open_days(spaces["bureau-plomb"], today, 2):
        start, end = calendar.half_day_bounds(day, "day")
        booked += _book(spaces["bureau-plomb"], start, end, f"nicolas-{day}", member=_user("nicolas@demo.example"))

    laura = _user("laura@demo.example")
    if not RecurringBooking.objects.filter(member=laura).exists():
        try:
            services.book_series(
                open_space,
                laura,
                "morning",
                [1, 3],
                today + datetime.timedelta(days=1),
                today + datetime.timedelta(days=28),
                booked_by=laura,
                staff=True,
            )
        except ValidationError:
            pass
    # A database seeded before exemptions re-priced bookings: Laura's free period now prices hers at 0 €.
    if laura.coworking_exemptions.exists():
        services.reprice_bookings(laura)
    stdout.write(f"  coworking: {len(spaces)} spaces, tariff {decision.reference}, {booked} new bookings")
