"""Occupancy agreements under loi n° 89-462: each legal type's rules, in the model, the database and the forms."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from housing.models import Application, OccupancyAgreement
from tests.housing.factories import make_application, make_caps, make_occupancy, make_unit

pytestmark = pytest.mark.django_db

D = datetime.date
RENTED = {"rent": Decimal("400")}


@pytest.fixture
def unit(db):
    make_caps()
    return make_unit(is_free=False, rent=Decimal("400"), furnished=True)


@pytest.fixture
def application(alice):
    return make_application(alice, kind="salaried", documents=("identity", "mobility"))


def mobility(application, **fields):
    proof = application.documents.get(kind="mobility")
    return {"legal_type": "mobility", "mobility_reason": "internship", "mobility_proof": proof, **RENTED, **fields}


def errors_of(excinfo):
    return excinfo.value.message_dict


def insert(**fields):
    """A row written straight to the database, past the model's clean()."""
    with pytest.raises(IntegrityError), transaction.atomic():
        OccupancyAgreement.objects.create(**fields)


# Bail meublé ---------------------------------------------------------------------------------------------


def test_a_furnished_lease_lasts_at_least_a_year_and_no_programme_cap_cuts_it(unit, alice):
    with pytest.raises(ValidationError) as excinfo:
        make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 7, 1), legal_type="furnished", profile="salaried", **RENTED)
    assert "at least one year" in errors_of(excinfo)["end_date"][0]
    assert "01/01/2027" in errors_of(excinfo)["end_date"][0]

    # Salaried teleworkers are capped at six months elsewhere; a furnished lease is not.
    lease = make_occupancy(
        unit, alice, D(2026, 1, 1), D(2027, 1, 1), legal_type="furnished", profile="salaried", **RENTED
    )
    assert lease.stay_limit is None
    assert lease.renews_tacitly


def test_a_student_s_furnished_lease_may_last_nine_months_and_does_not_renew_tacitly(unit, alice):
    fields = {"legal_type": "furnished", "occupant_is_student": True, **RENTED}
    with pytest.raises(ValidationError, match="nine months for a student"):
        make_occupancy(unit, alice, D(2026, 9, 1), D(2027, 5, 1), **fields)
    lease = make_occupancy(unit, alice, D(2026, 9, 1), D(2027, 6, 1), **fields)
    assert not lease.renews_tacitly


def test_the_student_term_belongs_to_the_furnished_lease_only(unit, alice):
    insert(
        unit=unit, occupant=alice, profile="creation", legal_type="art40v", start_date=D(2026, 1, 1),
        end_date=D(2026, 3, 1), stay_limit=D(2027, 7, 1), occupant_is_student=True, **RENTED,
    )  # fmt: skip


def test_a_furnished_lease_deposit_is_at_most_two_months_of_rent(unit, alice):
    fields = {"legal_type": "furnished", "rent": Decimal("300")}
    with pytest.raises(ValidationError) as excinfo:
        make_occupancy(unit, alice, D(2026, 1, 1), D(2027, 1, 1), deposit=Decimal("601"), **fields)
    assert errors_of(excinfo)["deposit"] == ["The deposit of a furnished lease cannot exceed two months of rent."]
    make_occupancy(unit, alice, D(2026, 1, 1), D(2027, 1, 1), deposit=Decimal("600"), **fields)
    insert(
        unit=make_unit(name="Autre"), occupant=alice, profile="creation", legal_type="furnished",
        start_date=D(2026, 1, 1), end_date=D(2027, 1, 1), rent=Decimal("300"), deposit=Decimal("601"),
    )  # fmt: skip


def test_a_furnished_lease_needs_a_furnished_unit(unit, alice):
    bare = make_unit(name="Logement nu", furnished=False, is_free=False, rent=Decimal("400"))
    with pytest.raises(ValidationError) as excinfo:
        make_occupancy(bare, alice, D(2026, 1, 1), D(2027, 1, 1), legal_type="furnished", **RENTED)
    assert "needs a furnished unit" in errors_of(excinfo)["unit"][0]


def test_the_maximum_stay_is_kept_only_by_the_types_that_allow_it(unit, alice):
    insert(
        unit=unit, occupant=alice, profile="creation", legal_type="furnished", start_date=D(2026, 1, 1),
        end_date=D(2027, 1, 1), stay_limit=D(2027, 7, 1), **RENTED,
    )  # fmt: skip
    insert(
        unit=unit, occupant=alice, profile="creation", legal_type="loan", start_date=D(2026, 1, 1),
        end_date=D(2026, 3, 1), stay_limit=None,
    )  # fmt: skip


# Bail mobilité -------------------------------------------------------------------------------------------


def test_a_mobility_lease_needs_a_furnished_unit(alice, application, unit):
    bare = make_unit(name="Logement nu", furnished=False, is_free=False, rent=Decimal("400"))
    with pytest.raises(ValidationError) as excinfo:
        make_occupancy(bare, alice, D(2026, 1, 1), D(2026, 4, 1), application=application, **mobility(application))
    assert "needs a furnished unit" in errors_of(excinfo)["unit"][0]


def test_a_mobility_lease_lasts_one_to_ten_months(unit, alice, application):
    fields = {"application": application, **mobility(application)}
    with pytest.raises(ValidationError, match="from 1 to 10 months"):
        make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 1, 20), **fields)
    with pytest.raises(ValidationError, match="from 1 to 10 months"):
        make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 11, 2), profile="creation", **fields)
    assert make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 11, 1), profile="creation", **fields).stay_limit


def test_a_mobility_lease_takes_no_deposit_and_has_a_rent(unit, alice, application):
    fields = {"application": application, **mobility(application)}
    with pytest.raises(ValidationError) as excinfo:
        make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 4, 1), deposit=Decimal("300"), **fields)
    assert errors_of(excinfo)["deposit"] == ["A mobility lease cannot ask for a deposit."]
    with pytest.raises(ValidationError) as excinfo:
        make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 4, 1), **{**fields, "rent": Decimal("0")})
    assert "free loan agreement" in errors_of(excinfo)["rent"][0]


def test_the_database_refuses_a_deposit_on_a_mobility_lease(unit, alice, application):
    insert(
        unit=unit, occupant=alice, application=application, profile="creation", start_date=D(2026, 1, 1),
        end_date=D(2026, 3, 1), stay_limit=D(2027, 7, 1), deposit=Decimal("100"), **mobility(application),
    )  # fmt: skip


def test_a_mobility_lease_eligibility_comes_from_the_legal_list(unit, alice, application):
    fields = {"application": application, **mobility(application)}
    with pytest.raises(ValidationError) as excinfo:
        make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 4, 1), **{**fields, "mobility_reason": "Stage"})
    assert "is not a valid choice" in errors_of(excinfo)["mobility_reason"][0]
    with pytest.raises(ValidationError) as excinfo:
        make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 4, 1), **{**fields, "mobility_reason": ""})
    assert "situation that makes the occupant eligible" in errors_of(excinfo)["mobility_reason"][0]
    assert set(OccupancyAgreement.MobilityReason.values) == {
        "training", "studies", "apprenticeship", "internship", "civic_service", "professional_move",
        "temporary_assignment",
    }  # fmt: skip


def test_a_mobility_lease_needs_the_application_s_proof_of_eligibility(unit, alice, bob, application):
    fields = {"application": application, **mobility(application)}
    with pytest.raises(ValidationError) as excinfo:
        make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 4, 1), **{**fields, "mobility_proof": None})
    assert "proves the occupant's eligibility" in errors_of(excinfo)["mobility_proof"][0]

    identity = application.documents.get(kind="identity")
    others = make_application(bob, documents=("mobility",)).documents.get()
    for wrong, message in ((identity, "is not a valid choice"), (others, "from this application's documents")):
        with pytest.raises(ValidationError) as excinfo:
            make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 4, 1), **{**fields, "mobility_proof": wrong})
        assert message in errors_of(excinfo)["mobility_proof"][0]
    assert not OccupancyAgreement.objects.exists()
    insert(
        unit=unit, occupant=alice, application=application, profile="creation", start_date=D(2026, 1, 1),
        end_date=D(2026, 3, 1), stay_limit=D(2027, 7, 1), **{**mobility(application), "mobility_proof": None},
    )  # fmt: skip


def test_a_mobility_lease_is_changed_once_and_never_beyond_ten_months_in_all(unit, alice, application):
    lease = make_occupancy(
        unit, alice, D(2026, 1, 1), D(2026, 5, 1), profile="creation", application=application, **mobility(application)
    )
    with pytest.raises(ValidationError, match="from 1 to 10 months in all"):
        lease.renew(D(2026, 11, 2))
    amended = lease.renew(D(2026, 9, 1))
    assert amended.mobility_proof == lease.mobility_proof
    with pytest.raises(ValidationError, match="cannot be renewed"):
        amended.renew(D(2026, 10, 1))
    assert OccupancyAgreement.objects.count() == 2


# Convention d'occupation précaire and free loan ---------------------------------------------------------


def test_a_precarious_agreement_states_its_objective_cause(client, housing_officer, unit, alice):
    fields = {"legal_type": "precarious", **RENTED}
    with pytest.raises(ValidationError) as excinfo:
        make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 4, 1), precarious_cause="   ", **fields)
    assert "objective cause" in errors_of(excinfo)["precarious_cause"][0]
    insert(
        unit=unit, occupant=alice, profile="creation", start_date=D(2026, 1, 1), end_date=D(2026, 3, 1),
        stay_limit=D(2027, 7, 1), **fields,
    )  # fmt: skip
    cause = "Immeuble voué à la démolition (arrêté du 3 mars 2026)"
    make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 4, 1), precarious_cause=cause, **fields)
    client.force_login(housing_officer)
    with time_machine.travel(datetime.datetime(2026, 1, 5, 8, tzinfo=datetime.UTC)):
        page = client.get(reverse("housing:timeline")).content.decode()
    assert "Immeuble voué à la démolition" in page


def test_a_rent_free_occupancy_is_a_free_loan_never_a_lease(unit, alice):
    for legal_type in ("precarious", "art40v", "furnished"):
        with pytest.raises(ValidationError) as excinfo:
            make_occupancy(
                unit, alice, D(2026, 1, 1), D(2027, 1, 1), legal_type=legal_type, precarious_cause="Travaux", rent=0
            )
        assert "choose the free loan agreement" in errors_of(excinfo)["rent"][0]
    with pytest.raises(ValidationError) as excinfo:
        make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 4, 1), legal_type="loan", rent=Decimal("100"))
    assert "has no rent" in errors_of(excinfo)["rent"][0]
    insert(
        unit=unit, occupant=alice, profile="creation", legal_type="art40v", start_date=D(2026, 1, 1),
        end_date=D(2026, 3, 1), stay_limit=D(2027, 7, 1), rent=0,
    )  # fmt: skip
    loan = make_occupancy(unit, alice, D(2026, 1, 1), D(2026, 4, 1), legal_type="loan")
    assert loan.is_free and loan.stay_limit == D(2027, 7, 1)


# Staff screens -------------------------------------------------------------------------------------------


def test_the_staff_form_shows_each_refusal_next_to_its_field(client, housing_officer, unit, application):
    Application.objects.filter(pk=application.pk).update(status="allocated")
    client.force_login(housing_officer)
    url = reverse("housing:occupancy-create", args=[application.pk])
    data = {
        "unit": unit.pk, "legal_type": "mobility", "start_date": "2026-01-01", "end_date": "2026-04-01",
        "rent": "400", "charges": "0", "deposit": "400", "mobility_reason": "internship",
    }  # fmt: skip
    response = client.post(url, data)
    form = response.context["form"]
    assert set(form.errors) == {"deposit", "mobility_proof"}
    assert not form.non_field_errors()
    page = response.content.decode()
    assert 'id="error_1_id_deposit"' in page and 'id="error_1_id_mobility_proof"' in page
    proof = application.documents.get(kind="mobility")
    assert list(form.fields["mobility_proof"].queryset) == [proof]

    response = client.post(url, {**data, "deposit": "0", "mobility_proof": proof.pk})
    assert response.status_code == 302
    agreement = OccupancyAgreement.objects.get()
    assert (agreement.mobility_reason, agreement.mobility_proof) == ("internship", proof)


def test_the_admin_shows_the_missing_cause_next_to_its_field(admin_client, unit, alice):
    data = {
        "unit": unit.pk, "occupant": alice.pk, "scheme": "bridge", "profile": "creation", "legal_type": "precarious",
        "status": "active", "start_date": "2026-01-01", "end_date": "2026-04-01", "rent": "400", "charges": "0",
        "deposit": "0",
    }  # fmt: skip
    response = admin_client.post(reverse("admin:housing_occupancyagreement_add"), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["precarious_cause"]
    response = admin_client.post(
        reverse("admin:housing_occupancyagreement_add"), {**data, "precarious_cause": "Travaux"}
    )
    assert response.status_code == 302
    assert OccupancyAgreement.objects.get().stay_limit == D(2027, 7, 1)
