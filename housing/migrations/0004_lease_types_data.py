"""Existing agreements under the lease types of loi n° 89-462.

- A rent-free occupancy (free of charge, or no rent) becomes a free loan agreement (prêt à usage).
- A furnished lease loses its maximum stay; a term shorter than the legal year is the legal year
  (the shorter clause has no effect), provided the unit is free until then.
- A mobility lease's free-text reason is mapped to the list of art. 25-12 and linked to the
  application's proof of eligibility.
- A precarious agreement that is over keeps a note that its cause was not recorded.

Anything that cannot be mapped stops the migration with the list of agreements to fix first.
"""

import calendar

from django.db import migrations

# Keywords of the old free text, checked in this order.
REASONS = [
    ("apprenti", "apprenticeship"),
    ("alternance", "apprenticeship"),
    ("stage", "internship"),
    ("stagiaire", "internship"),
    ("intern", "internship"),
    ("civique", "civic_service"),
    ("civic", "civic_service"),
    ("mutation", "professional_move"),
    ("transfer", "professional_move"),
    ("mission", "temporary_assignment"),
    ("assignment", "temporary_assignment"),
    ("étud", "studies"),
    ("etud", "studies"),
    ("stud", "studies"),
    ("formation", "training"),
    ("training", "training"),
]
NOT_RECORDED = "Non renseignée (convention antérieure à l'obligation de l'indiquer)."


def add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def map_reason(text):
    text = text.lower()
    return next((reason for keyword, reason in REASONS if keyword in text), None)


def migrate(apps, schema_editor):
    Agreement = apps.get_model("housing", "OccupancyAgreement")
    Document = apps.get_model("housing", "SupportingDocument")
    problems = []
    for agreement in Agreement.objects.select_related("unit", "occupant").order_by("pk"):
        label = f"#{agreement.pk} ({agreement.occupant.email}, {agreement.unit.name}, {agreement.start_date})"
        if agreement.is_free or not agreement.rent:
            agreement.legal_type, agreement.rent, agreement.mobility_reason = "loan", 0, ""
        elif agreement.legal_type == "mobility":
            reason = map_reason(agreement.mobility_reason)
            proof = (
                Document.objects.filter(application_id=agreement.application_id, kind="mobility")
                .order_by("-uploaded_at")
                .first()
            )
            if reason is None:
                problems.append(f"{label}: eligibility “{agreement.mobility_reason}” is not in art. 25-12")
            if proof is None:
                problems.append(f"{label}: mobility lease without a proof of eligibility in the application")
            if not agreement.unit.furnished:
                problems.append(f"{label}: mobility lease on an unfurnished unit")
            agreement.mobility_reason, agreement.mobility_proof = reason or "", proof
        else:
            agreement.mobility_reason = ""
        if agreement.legal_type == "furnished":
            agreement.stay_limit = None
            legal_end = add_months(agreement.start_date, 12)
            if agreement.end_date < legal_end and agreement.status == "active":
                clash = (
                    Agreement.objects.exclude(pk=agreement.pk)
                    .exclude(status="cancelled")
                    .filter(unit_id=agreement.unit_id, start_date__lt=legal_end, end_date__gt=agreement.start_date)
                )
                if clash.exists():
                    problems.append(f"{label}: furnished lease shorter than a year and the unit is taken after it")
                agreement.end_date = legal_end
            if agreement.deposit > 2 * agreement.rent:
                problems.append(f"{label}: furnished lease deposit above two months of rent")
            if not agreement.unit.furnished:
                problems.append(f"{label}: furnished lease on an unfurnished unit")
        if agreement.legal_type == "precarious" and not agreement.precarious_cause.strip():
            if agreement.status == "active":
                problems.append(f"{label}: precarious agreement without its objective cause")
            agreement.precarious_cause = NOT_RECORDED
        agreement.save()
    if problems:
        raise RuntimeError(
            "These occupancy agreements do not fit loi n° 89-462; correct them in the admin, then migrate again:\n"
            + "\n".join(problems)
        )


class Migration(migrations.Migration):
    dependencies = [("housing", "0003_lease_types_schema")]

    operations = [migrations.RunPython(migrate, migrations.RunPython.noop)]
