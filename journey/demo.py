"""Demo journeys: the demo newcomers' checklists at their stage, and 23 households installed over five years.

With accounts.demo's Laura, Nicolas and Élodie, the installed households add up to
Murat's order of magnitude: 25 entrepreneurs, 52 people, 16 children in a local school.
"""

import datetime

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum import luhn

from accounts import roles
from accounts.models import Commune, Household, InstallationProject, User
from committees.models import Committee, Meeting, Membership
from journey import selection, services
from journey.models import Arrival, Business, CheckIn, Closure, Document, Enquiry, Offer, StageChange, Step

DEMO_PASSWORD = "telecentre-demo"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
Stage = InstallationProject.Stage

FIRST_NAMES = [
    "Mathilde", "Bastien", "Nadia", "Yann", "Céline", "Olivier", "Manon", "Hugo", "Sophie", "Damien", "Aurélie",
    "Fabien", "Justine", "Romain", "Pauline", "Cédric", "Agathe", "Loïc", "Margot", "Thibault", "Anaïs", "Quentin",
    "Estelle",
]  # fmt: skip
LAST_NAMES = [
    "Aubert", "Barre", "Chevalier", "Delorme", "Estève", "Ferrand", "Gilles", "Hébrard", "Imbert", "Jouve", "Laporte",
    "Marty", "Noël", "Olivier", "Pagès", "Queyrel", "Roche", "Sabatier", "Teyssier", "Vidal", "Bouchet", "Carrier",
    "Valette",
]  # fmt: skip
ACTIVITIES = [
    ("Développement web", "62.01Z", "micro"), ("Architecture", "71.11Z", "eurl"), ("Menuiserie", "16.23Z", "sarl"),
    ("Traduction", "74.30Z", "micro"), ("Photographie", "74.20Z", "micro"), ("Conseil en gestion", "70.22Z", "sasu"),
    ("Boulangerie", "10.71C", "sarl"), ("Graphisme", "74.10Z", "micro"), ("Fromagerie", "10.51C", "ei"),
    ("Formation", "85.59A", "sasu"), ("Plomberie", "43.22A", "ei"), ("Comptabilité", "69.20Z", "eurl"),
]  # fmt: skip
ORIGINS = ["Lyon", "Paris", "Clermont-Ferrand", "Bordeaux", "Nantes", "Toulouse", "Lille", "Montpellier", "Belgique"]
COMMUNES = ["15138", "15003", "15054", "15101", "15114", "15141", "15162", "15225", "15061", "15001"]
CEASED = {4: 400, 11: 300, 17: 500}  # household index: days after creation the business ceased
FROM_FORUM = {0, 9}
CHILD_NAMES = [
    "Jules",
    "Louise",
    "Arthur",
    "Rose",
    "Gabin",
    "Alice",
    "Nathan",
    "Léna",
    "Sacha",
    "Zoé",
    "Malo",
    "Inès",
    "Tom",
]


def siret_for(n):
    base = f"8{n + 1000000:07d}"
    siren = base + luhn.calc_check_digit(base)
    nic = "0001"
    return siren + nic + luhn.calc_check_digit(siren + nic)


def _document(project, kind, status=Document.Status.VALIDATED, reason=""):
    if project.documents.filter(kind=kind).exists():
        return
    document = Document(
        project=project,
        kind=kind,
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        status=status,
        refusal_reason=reason,
        reviewed_at=timezone.now() if status != Document.Status.PENDING else None,
    )
    document.file.save(f"demo-{kind}.pdf", ContentFile(PDF), save=False)
    document.save()


def _steps(project, *keys):
    for key in keys:
        Step.objects.get_or_create(project=project, key=key)


def _selection_jury(referent, today):
    committee, _created = Committee.objects.get_or_create(
        name="Jury d'accueil des porteurs de projet",
        defaults={
            "kind": Committee.Kind.SELECTION,
            "description": "Élus de la communauté de communes, chambres consulaires et partenaires de l'accueil.",
        },
    )
    if not committee.memberships.exists():
        for name, organisation, role in [
            ("Jean Rouchy", "Communauté de communes", Membership.Role.CHAIR),
            ("Marie Chabrier", "Mairie de Murat", Membership.Role.MEMBER),
            ("Paul Delpeuch", "CCI du Cantal", Membership.Role.MEMBER),
            ("Anne Vermenouze", "Chambre de métiers", Membership.Role.MEMBER),
            ("Rémi Cabrol", "Télécentre", Membership.Role.SECRETARY),
        ]:
            committee.memberships.create(name=name, organisation=organisation, role=role)
    meeting = committee.meetings.filter(status=Meeting.Status.PLANNED).first()
    if meeting is None:
        starts = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=14), datetime.time(14)))
        meeting = committee.meetings.create(starts_at=starts, place="Maison des services, Murat")
    return meeting


def _demo_newcomers(referent, today):
    projects = {
        p.newcomer.email.split("@")[0]: p
        for p in InstallationProject.objects.filter(newcomer__email__endswith="@demo.example").select_related(
            "newcomer"
        )
    }
    for name in ("claire", "julien", "amina", "pierre", "sarah", "marc", "laura", "nicolas", "elodie"):
        project = projects.get(name)
        if project is None:
            continue
        stage_index = list(Stage.values).index(project.stage)
        if not project.enquiries.exists():
            Enquiry.objects.create(
                first_name=project.newcomer.first_name,
                last_name=project.newcomer.last_name,
                email=project.newcomer.email,
                source=[Enquiry.Source.WEBSITE, Enquiry.Source.FORUM, Enquiry.Source.PHONE][stage_index % 3],
                status=Enquiry.Status.CONVERTED,
                project=project,
                created_at=timezone.now() - datetime.timedelta(days=60 + 90 * stage_index),
            )
        if not project.description:
            project.description = f"{project.sector} : projet d'installation dans le Cantal."
            project.save(update_fields=["description"])
        _steps(project, "information_meeting")
        if stage_index >= 1:
            _steps(project, "diagnosis", "training")
        if stage_index >= 2:
            _steps(project, "immersion", "business_plan_review")
            _document(project, Document.Kind.BUSINESS_PLAN)
        if stage_index == 2:
            _document(project, Document.Kind.CV, Document.Status.PENDING)
            _document(
                project,
                Document.Kind.IDENTITY,
                Document.Status.REFUSED,
                "La pièce d'identité est expirée : envoyez une pièce en cours de validité.",
            )
        if stage_index >= 3:
            for kind in (Document.Kind.APPLICATION, Document.Kind.IDENTITY, Document.Kind.CV):
                _document(project, kind)
        if name == "pierre":
            selection.put_on_agenda(project, _selection_jury(referent, today))
        if stage_index >= 4:
            Offer.objects.get_or_create(
                project=project,
                defaults={
                    "residence": name == "marc",
                    "coworking_pass": True,
                    "training": True,
                    "made_on": today - datetime.timedelta(days=30),
                    "accepted_on": None if name == "sarah" else today - datetime.timedelta(days=25),
                    "details": "Pass coworking gratuit deux ans, formation au télétravail.",
                },
            )
        if name == "marc":
            _document(project, Document.Kind.CONVENTION)
    return projects


def _install(project, arrival, business, referent, today, close=None):
    """Record the arrival and business, schedule the follow-up and mark the past check-ins done."""
    Arrival.objects.get_or_create(
        project=project,
        defaults={"arrival_date": arrival, "commune": project.target_commune, "housing": "bridge"},
    )
    if business:
        Business.objects.get_or_create(project=project, defaults=business)
    project.refresh_from_db()
    checkins = services.schedule_checkins(project)
    ceased = business.get("ceased_on") if business else None
    for index, checkin in enumerate(checkins):
        # Leave the most recent past check-in of every fifth household overdue for the referent's dashboard.
        overdue_on_purpose = project.pk % 3 == 0 and checkin.due_on > today - datetime.timedelta(days=120)
        if checkin.done_on or checkin.due_on >= today - datetime.timedelta(days=7) or overdue_on_purpose:
            continue
        active = ceased is None or ceased > checkin.due_on
        CheckIn.objects.filter(pk=checkin.pk).update(
            done_on=checkin.due_on + datetime.timedelta(days=3),
            business_active=active if business else None,
            jobs=(business or {}).get("jobs") if active and business else (0 if business else None),
            turnover_band=["none", "lt10k", "lt30k", "lt30k", "lt80k", "lt80k"][index] if business else "",
            still_in_territory=True,
            housing="bridge" if checkin.months < 12 else "renting" if checkin.months < 24 else "owner",
            recorded_by=referent,
        )
    if close:
        Closure.objects.get_or_create(project=project, defaults={"outcome": close, "closed_on": today})
        InstallationProject.objects.filter(pk=project.pk).update(stage=Stage.CLOSED)


def _installed_households(referent, today):
    communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=COMMUNES)}
    child = 0
    for i in range(23):
        email = f"installe{i + 1:02d}@demo.example"
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"first_name": FIRST_NAMES[i], "last_name": LAST_NAMES[i], "email_confirmed_at": timezone.now()},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        arrival = today - datetime.timedelta(days=60 + 70 * i)
        sector, naf, legal_form = ACTIVITIES[i % len(ACTIVITIES)]
        following = (today - arrival).days < 3 * 365 + 30
        project, created = InstallationProject.objects.get_or_create(
            newcomer=user,
            defaults={
                "kind": "creation" if i % 3 else "freelance",
                "sector": sector,
                "description": f"{sector} installée dans le Cantal.",
                "stage": Stage.FOLLOWED_UP if following else Stage.INSTALLED,
                "target_commune": communes[COMMUNES[i % len(COMMUNES)]],
                "referent": referent,
            },
        )
        household, household_created = Household.objects.get_or_create(
            owner=user, defaults={"origin": ORIGINS[i % len(ORIGINS)]}
        )
        if household_created:
            if i < 8:
                household.members.create(first_name="Conjoint·e", role="partner")
            for _n in range(2 if i < 5 else 1 if i < 8 else 0):
                household.members.create(
                    first_name=CHILD_NAMES[child % len(CHILD_NAMES)],
                    role="child",
                    birth_year=today.year - 6 - child % 8,
                    schooling="enrolled",
                    school_name="École de Murat" if child % 2 else "École d'Allanche",
                )
                child += 1
        if i in FROM_FORUM and not project.enquiries.exists():
            Enquiry.objects.create(
                first_name=user.first_name,
                last_name=user.last_name,
                email=email,
                source=Enquiry.Source.FORUM,
                status=Enquiry.Status.CONVERTED,
                project=project,
                created_at=timezone.make_aware(
                    datetime.datetime.combine(arrival - datetime.timedelta(days=200), datetime.time(11))
                ),
            )
        creation = min(arrival + datetime.timedelta(days=30), today - datetime.timedelta(days=1))
        business = {
            "name": f"{sector} {user.last_name}",
            "siret": siret_for(i),
            "siren": siret_for(i)[:9],
            "legal_form": legal_form,
            "naf_code": naf,
            "creation_date": creation,
            "origin": "moved" if i % 4 == 0 else "created",
            "jobs": 1 + i % 3,
            "ceased_on": creation + datetime.timedelta(days=CEASED[i]) if i in CEASED else None,
        }
        if business["ceased_on"] and business["ceased_on"] >= today:
            business["ceased_on"] = None
        _install(project, arrival, business, referent, today)
        if not project.stage_changes.exists():
            StageChange.objects.create(
                project=project, from_stage=Stage.IN_RESIDENCE, to_stage=Stage.INSTALLED, changed_by=referent
            )


def _unconverted_enquiries(today):
    if Enquiry.objects.filter(status__in=[Enquiry.Status.NEW, Enquiry.Status.DROPPED]).exists():
        return
    people = [
        ("Lucas", "Marchand", "forum"), ("Eva", "Perrin", "forum"), ("Adrien", "Colin", "website"),
        ("Julie", "Renaud", "phone"), ("Maxime", "Brun", "immersion"), ("Camille", "Gautier", "forum"),
        ("Léa", "Roussel", "website"), ("Antoine", "Meunier", "forum"),
    ]  # fmt: skip
    for n, (first, last, source) in enumerate(people):
        Enquiry.objects.create(
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower()}@demo.example",
            source=source,
            status=Enquiry.Status.DROPPED if n % 4 == 3 else Enquiry.Status.NEW,
            origin=ORIGINS[n % len(ORIGINS)],
            notes="Rencontré au forum du télétravail." if source == "forum" else "",
            created_at=timezone.now() - datetime.timedelta(days=5 + 40 * n),
        )


def seed(stdout):
    today = timezone.localdate()
    group = Group.objects.get(name=roles.GROUP_NAMES[roles.NEWCOMER_REFERENT])
    referent = group.user_set.filter(email="accueil@telecentre.demo").first() or group.user_set.first()
    projects = _demo_newcomers(referent, today)
    if "laura" in projects:
        _install(projects["laura"], today - datetime.timedelta(days=240), None, referent, today)
    if "nicolas" in projects:
        _install(
            projects["nicolas"],
            today - datetime.timedelta(days=600),
            {
                "name": "Nicolas Mercier Photographie",
                "siret": "73282932000074",
                "siren": "732829320",
                "legal_form": "micro",
                "naf_code": "74.20Z",
                "creation_date": today - datetime.timedelta(days=580),
                "origin": "created",
                "jobs": 1,
            },
            referent,
            today,
        )
    if "elodie" in projects:
        _install(
            projects["elodie"],
            today - datetime.timedelta(days=4 * 365),
            {
                "name": "Faure Conseil RH",
                "siret": siret_for(99),
                "siren": siret_for(99)[:9],
                "legal_form": "eurl",
                "naf_code": "70.22Z",
                "creation_date": today - datetime.timedelta(days=4 * 365 - 20),
                "origin": "moved",
                "jobs": 2,
            },
            referent,
            today,
            close=Closure.Outcome.SETTLED,
        )
    _installed_households(referent, today)
    _unconverted_enquiries(today)
    stdout.write(
        f"  journey: {Arrival.objects.count()} households installed, {Business.objects.count()} businesses, "
        f"{Enquiry.objects.count()} enquiries"
    )
