"""The data migration maps existing agreements to the lease types of loi n° 89-462 and stops on what it cannot map."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_commune, make_user

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("housing", "0003_lease_types_schema")]
AFTER = [("housing", "0005_lease_types_constraints")]
D = datetime.date


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    apps = migrate(BEFORE)
    yield apps
    if ("housing", "0004_lease_types_data") not in MigrationExecutor(connection).loader.applied_migrations:
        apps.get_model("housing", "OccupancyAgreement").objects.all().delete()
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def make_rows(apps, *rows):
    # Only housing's tables are rolled back: people and communes are written with today's models.
    Unit = apps.get_model("housing", "Unit")
    Agreement = apps.get_model("housing", "OccupancyAgreement")
    commune = make_commune()
    created = []
    for n, fields in enumerate(rows):
        user = make_user()
        unit = Unit.objects.create(name=f"Logement {n}", commune_id=commune.pk, surface_m2=Decimal("40"))
        fields = {"profile": "creation", "start_date": D(2026, 1, 1), "stay_limit": D(2027, 7, 1), **fields}
        created.append(Agreement.objects.create(unit=unit, occupant_id=user.pk, **fields).pk)
    return created


def test_existing_agreements_are_mapped_to_the_legal_types(old_apps):
    free, furnished = make_rows(
        old_apps,
        {"legal_type": "precarious", "is_free": True, "end_date": D(2026, 6, 1), "charges": Decimal("45")},
        {"legal_type": "furnished", "rent": Decimal("400"), "end_date": D(2026, 7, 1)},
    )
    apps = migrate(AFTER)
    Agreement = apps.get_model("housing", "OccupancyAgreement")
    loan = Agreement.objects.get(pk=free)
    assert (loan.legal_type, loan.rent, loan.charges, loan.stay_limit) == ("loan", 0, Decimal("45"), D(2027, 7, 1))
    lease = Agreement.objects.get(pk=furnished)
    # The six-month clause had no effect: the lease runs its legal year, with no maximum stay.
    assert (lease.legal_type, lease.stay_limit, lease.end_date) == ("furnished", None, D(2027, 1, 1))


def test_the_migration_stops_on_agreements_it_cannot_map(old_apps):
    make_rows(
        old_apps,
        {"legal_type": "precarious", "rent": Decimal("200"), "end_date": D(2026, 6, 1)},
        {"legal_type": "mobility", "rent": Decimal("300"), "end_date": D(2026, 4, 1), "mobility_reason": "Vacances"},
    )
    with pytest.raises(RuntimeError) as excinfo:
        migrate(AFTER)
    message = str(excinfo.value)
    assert "precarious agreement without its objective cause" in message
    assert "eligibility “Vacances” is not in art. 25-12" in message
    assert "without a proof of eligibility" in message
