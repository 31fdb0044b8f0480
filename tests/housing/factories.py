"""Builders for housing tests: a published grid, caps, units, applications with their documents."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from housing.models import (
    Application,
    Criterion,
    EligibilityRule,
    OccupancyAgreement,
    ScoringGrid,
    StayCap,
    SupportingDocument,
    Unit,
)
from tests.factories import make_commune, make_household, make_project

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CRITERIA = [
    # key, points per unit, ceiling, needs validation
    ("seniority", "1", "12", False),
    ("children", "3", "9", False),
    ("housing_need", "10", None, False),
    ("creation", "5", None, False),
    ("training", "4", None, False),
    ("local_activity", "6", None, False),
    ("accessibility", "8", None, True),
    ("refused_offers", "-5", "10", False),
]

CAPS = [
    ("bridge", "creation", 18, None),
    ("bridge", "takeover", 18, None),
    ("bridge", "freelance", 12, None),
    ("bridge", "salaried", 6, None),
    ("residence_short", "creation", None, 14),
    ("residence_short", "takeover", None, 14),
    ("residence_short", "freelance", None, 14),
    ("residence_long", "creation", 12, None),
    ("residence_long", "takeover", 12, None),
]


def make_caps():
    for scheme, profile, months, days in CAPS:
        StayCap.objects.get_or_create(scheme=scheme, profile=profile, defaults={"max_months": months, "max_days": days})


def make_grid(version=1, publish=True, criteria=CRITERIA):
    grid = ScoringGrid.objects.create(
        version=version,
        title="Grille d'attribution des logements passerelles",
        council_reference=f"Délibération n° 2025-0{40 + version}",
        council_date=datetime.date(2025, 3, 12),
        effective_from=datetime.date(2025, 4, 1),
        purpose="Classer les demandes éligibles pour aider la commission.",
    )
    for position, key in enumerate(EligibilityRule.Key.values, start=1):
        grid.rules.create(key=key, label=EligibilityRule.Key(key).label, position=position)
    for position, (key, points, ceiling, validation) in enumerate(criteria, start=1):
        grid.criteria.create(
            key=key,
            label=Criterion.Key(key).label,
            points=Decimal(points),
            max_points=Decimal(ceiling) if ceiling else None,
            requires_validation=validation,
            position=position,
        )
    make_caps()
    if publish:
        grid.publish()
    return grid


def make_unit(name="Passerelle du Bourg", programme="bridge", commune=None, **fields):
    fields.setdefault("layout", "F3")
    fields.setdefault("surface_m2", Decimal("62"))
    fields.setdefault("rooms", 3)
    fields.setdefault("capacity", 4)
    fields.setdefault("is_free", True)
    return Unit.objects.create(name=name, programme=programme, commune=commune or make_commune(), **fields)


def make_application(user, kind="creation", documents=("identity", "project"), commune=None, members=(), **fields):
    project = getattr(user, "installation_project", None) or make_project(
        user, kind=kind, target_commune=commune or make_commune()
    )
    household = getattr(user, "household", None) or make_household(user, members)
    today = timezone.localdate()
    fields.setdefault("desired_start", today + datetime.timedelta(days=30))
    fields.setdefault("desired_end", today + datetime.timedelta(days=30 + 180))
    fields.setdefault("household_size", 1 + len(members))
    application = Application.objects.create(applicant=user, project=project, household=household, **fields)
    for kind_ in documents:
        add_document(application, kind_)
    return application


def add_document(application, kind="identity"):
    document = SupportingDocument(
        application=application, kind=kind, original_name=f"{kind}.pdf", content_type="application/pdf", size=len(PDF)
    )
    document.file.save(f"{kind}.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def make_occupancy(unit, occupant, start, end, legal_type="loan", profile="creation", **fields):
    agreement = OccupancyAgreement(
        unit=unit,
        occupant=occupant,
        start_date=start,
        end_date=end,
        legal_type=legal_type,
        profile=profile,
        scheme=fields.pop("scheme", "bridge"),
        **fields,
    )
    return OccupancyAgreement.objects.allocate(agreement)
