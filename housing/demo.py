"""Demo data for this app (called by `manage.py seed_demo`, must be idempotent).

Bridge housing in Murat, Allanche and Condat, an entrepreneur residence, the
grid in force, applications from amina@, pierre@, sarah@ and marc@, a past
committee with its decisions and letters, Marc in his unit, and a meeting to come.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from accounts.models import Commune, User
from committees import services
from committees.models import Attendance, Committee, Decision, Meeting, Membership
from housing import committee as housing_committee
from housing.letters import letter_context, letter_pdf
from housing.models import (
    Application,
    Criterion,
    EligibilityRule,
    NotificationLetter,
    OccupancyAgreement,
    ScoringGrid,
    StayCap,
    SupportingDocument,
    Unit,
    UnitPhoto,
)
from housing.scoring import run_scoring

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
    ("residence_long", "freelance", 12, None),
]

CRITERIA = [
    ("seniority", "1", "12", False, "Un point par mois d'attente, douze au plus."),
    ("children", "3", "9", False, "Trois points par enfant, neuf au plus."),
    ("housing_need", "10", None, False, "Sans logement stable aujourd'hui."),
    ("creation", "5", None, False, "Création ou reprise d'entreprise sur le territoire."),
    ("training", "4", None, False, "Formation au télétravail ou à la création suivie."),
    ("local_activity", "6", None, False, "Emploi ou activité déjà sur le territoire."),
    ("accessibility", "8", None, True, "Besoin d'un logement adapté, validé par un agent habilité."),
    ("refused_offers", "-5", "10", False, "Offre adaptée refusée sans motif légitime."),
]

UNITS = [
    # name, programme, layout, INSEE, m², rooms, capacity, furnished, accessible, workspace, free, rent, charges, colour
    ("Passerelle de la Place", "bridge", "F3", "15138", "64", 3, 4, True, False, True, True, "0", "45", "#7a9e7e"),
    ("Passerelle des Tilleuls", "bridge", "F2", "15003", "48", 2, 3, True, True, False, False, "244", "35", "#c08552"),
    ("Passerelle du Moulin", "bridge", "F4", "15054", "82", 4, 6, True, False, True, False, "380", "60", "#5b7db1"),
    (
        "Résidence d'entrepreneurs du Bailliage",
        "residence",
        "F2",
        "15138",
        "45",
        2,
        2,
        True,
        True,
        True,
        True,
        "0",
        "0",
        "#a05c7b",
    ),  # noqa: E501
]

MEMBERS = [
    ("Mme Colette Vidal", "Vice-présidente, Hautes Terres Communauté", Membership.Role.CHAIR),
    ("M. Bernard Roux", "Maire d'Allanche", Membership.Role.MEMBER),
    ("Mme Sylvie Pagès", "Conseillère communautaire, Condat", Membership.Role.MEMBER),
    ("M. Jean Chabrier", "Conseiller communautaire, Murat", Membership.Role.MEMBER),
    ("M. Paul Estival", "Conseiller communautaire, Marcenat", Membership.Role.MEMBER),
    ("Hélène Chassang", "Chargée du logement", Membership.Role.SECRETARY),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _photo(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (480, 320), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def seed_rules():
    for scheme, profile, months, days in CAPS:
        StayCap.objects.get_or_create(scheme=scheme, profile=profile, defaults={"max_months": months, "max_days": days})
    grid, created = ScoringGrid.objects.get_or_create(
        version=1,
        defaults={
            "title": "Grille d'attribution des logements passerelles et résidences d'entrepreneurs",
            "council_reference": "Délibération n° 2025-042",
            "council_date": datetime.date(2025, 3, 12),
            "effective_from": datetime.date(2025, 4, 1),
            "purpose": (
                "La grille classe les demandes éligibles pour aider la commission d'attribution. "
                "Elle ne décide pas : les élus décident et motivent par écrit tout écart avec ce classement."
            ),
        },
    )
    if created:
        for position, key in enumerate(EligibilityRule.Key.values, start=1):
            grid.rules.create(key=key, label=EligibilityRule.Key(key).label, position=position)
        for position, (key, points, ceiling, validation, explanation) in enumerate(CRITERIA, start=1):
            grid.criteria.create(
                key=key,
                label=Criterion.Key(key).label,
                explanation=explanation,
                points=Decimal(points),
                max_points=Decimal(ceiling) if ceiling else None,
                requires_validation=validation,
                position=position,
            )
        grid.publish()
    return grid


def seed_units(today):
    units = {}
    for name, programme, layout, insee, m2, rooms, cap, furn, acc, work, free, rent, charges, colour in UNITS:
        unit, created = Unit.objects.get_or_create(
            name=name,
            defaults={
                "programme": programme,
                "layout": layout,
                "commune": Commune.objects.get(insee_code=insee),
                "surface_m2": Decimal(m2),
                "rooms": rooms,
                "capacity": cap,
                "furnished": furn,
                "accessible": acc,
                "workspace": work,
                "is_free": free,
                "rent": Decimal(rent),
                "charges": Decimal(charges),
                "available_from": today,
                "description": "Logement meublé de la communauté de communes, proche des commerces.",
            },
        )
        if created:
            photo = UnitPhoto(unit=unit, alt_text=f"Façade du logement {name}")
            data = _photo(colour)
            photo.image.save(f"unit-{unit.pk}.jpg", ContentFile(data), save=False)
            photo.thumbnail.save(f"unit-{unit.pk}-thumb.jpg", ContentFile(data), save=False)
            photo.save()
        units[name] = unit
    return units


def seed_committees(officer):
    committee, created = Committee.objects.get_or_create(
        name="Commission d'attribution des logements passerelles",
        defaults={
            "kind": Committee.Kind.HOUSING,
            "description": "Cinq élus communautaires ; quorum : la majorité des membres votants.",
        },
    )
    if created:
        for name, organisation, role in MEMBERS:
            committee.memberships.create(
                name=name,
                organisation=organisation,
                role=role,
                user=officer if role == Membership.Role.SECRETARY else None,
            )
    delegated, created = Committee.objects.get_or_create(
        name="Décision déléguée — résidences courtes (48 h)",
        defaults={"kind": Committee.Kind.DELEGATED, "description": "Décision du vice-président délégué sous 48 h."},
    )
    if created:
        delegated.memberships.create(name="Mme Colette Vidal", organisation="Vice-présidente", role="chair")
    return committee


def _application(email, today, filed_days_ago, documents=("identity", "project"), **fields):
    user = User.objects.get(email=email)
    application, created = Application.objects.get_or_create(
        applicant=user,
        scheme=fields.pop("scheme", "bridge"),
        defaults={
            "project": user.installation_project,
            "household": user.household,
            "household_size": user.household.size,
            "children_count": user.household.members.filter(role="child").count(),
            "desired_start": today + datetime.timedelta(days=20),
            "desired_end": today + datetime.timedelta(days=20 + 300),
            "submitted_at": timezone.now() - datetime.timedelta(days=filed_days_ago),
            **fields,
        },
    )
    if created:
        for kind in documents:
            document = SupportingDocument(
                application=application,
                kind=kind,
                original_name=f"{kind}.pdf",
                content_type="application/pdf",
                size=len(PDF),
            )
            document.file.save(f"demo-{application.pk}-{kind}.pdf", ContentFile(PDF), save=False)
            document.save()
    return application


def seed_history(committee, units, officer, today):
    """A committee held two months ago: Marc got the Murat unit, Sarah is in reserve, Amina not allocated."""
    now = timezone.now()
    marc = _application("marc@demo.example", today, 150, housing_situation="temporary", training_completed=True)
    sarah = _application("sarah@demo.example", today, 110, local_activity=True, max_budget=Decimal("300"))
    amina = _application("amina@demo.example", today, 95, housing_situation="none", max_budget=Decimal("450"))
    run_scoring(run_by=officer, now=now - datetime.timedelta(days=64))
    meeting = Meeting.objects.create(
        committee=committee,
        starts_at=now - datetime.timedelta(days=60),
        place="Maison des services, Murat",
        status=Meeting.Status.OPEN,
        opened_at=now - datetime.timedelta(days=60),
    )
    for index, membership in enumerate(committee.memberships.order_by("pk")):
        Attendance.objects.create(meeting=meeting, membership=membership, status="excused" if index == 4 else "present")
    unit = units["Passerelle de la Place"]
    proposal = housing_committee.prepare_proposal(meeting, unit, today - datetime.timedelta(days=45), officer)
    services.declare_conflict(
        proposal.item, committee.memberships.get(name="M. Jean Chabrier"), "Voisin d'un des candidats"
    )
    reasons = {
        marc.pk: ("accepted", 1, "Projet de menuiserie avancé, famille avec enfant scolarisé à Murat."),
        sarah.pk: ("accepted", 2, "Projet solide ; rang de réserve si le premier candidat se désiste."),
        amina.pk: ("rejected", None, "Logement non attribué ; la demande reste examinée pour un autre logement."),
    }
    justification = (
        "Le logement de Murat est éloigné du projet de fromagerie à Condat : la commission préfère proposer "
        "à Mme Benali la Passerelle du Moulin à Condat, libre prochainement."
    )
    choices = [
        housing_committee.Choice(
            candidate=candidate,
            outcome=reasons[candidate.application_id][0],
            rank=reasons[candidate.application_id][1],
            reason=reasons[candidate.application_id][2],
            justification=justification if candidate.application_id == amina.pk else "",
        )
        for candidate in proposal.candidates.all()
        if candidate.application_id in reasons
    ]
    housing_committee.decide(proposal, choices, officer)
    services.close_meeting(meeting, officer)
    for decision in Decision.objects.current().filter(item=proposal.item):
        housing_committee.take_effect(decision, now)
        pdf = letter_pdf(letter_context(decision))
        letter = NotificationLetter(application_id=decision.subject_id, decision=decision)
        letter.file.save(f"decision-{decision.pk}.pdf", ContentFile(pdf), save=False)
        letter.save()
    Application.objects.filter(pk=marc.pk).update(allocated_at=now - datetime.timedelta(days=60))
    marc.refresh_from_db()
    start = today - datetime.timedelta(days=45)
    OccupancyAgreement.objects.allocate(
        OccupancyAgreement(
            unit=unit,
            application=marc,
            occupant=marc.applicant,
            scheme=marc.scheme,
            profile=marc.project.kind,
            legal_type=OccupancyAgreement.LegalType.LOAN,
            start_date=start,
            end_date=start + datetime.timedelta(days=365),
            charges=Decimal("45"),
            checkin_on=start,
            checkin_inventory="Logement propre, 3 clés remises, relevé des compteurs fait.",
            created_by=officer,
        )
    )


def seed(stdout):
    today = timezone.localdate()
    officer = User.objects.get(email="logement@telecentre.demo")
    with transaction.atomic():
        seed_rules()
        units = seed_units(today)
        committee = seed_committees(officer)
        if not committee.meetings.exists():
            seed_history(committee, units, officer, today)
            _application("pierre@demo.example", today, 40, housing_situation="temporary", max_budget=Decimal("500"))
            run_scoring(run_by=officer)
            Meeting.objects.create(
                committee=committee,
                starts_at=timezone.now() + datetime.timedelta(days=10),
                place="Maison des services, Murat",
            )
    stdout.write(
        f"  housing: {Unit.objects.count()} units, {Application.objects.count()} applications, "
        f"{Meeting.objects.filter(committee=committee).count()} committee meetings"
    )
