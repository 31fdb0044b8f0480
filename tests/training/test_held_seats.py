"""A seat held for an unsigned training contract is not held for ever: after its last day to sign it goes to the
waiting list, and the trainee is told; a signed contract is never touched."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from telecentre.training import services
from telecentre.training.models import Enrolment
from telecentre.training.signatures import decode_signature
from tests.training.conftest import at
from tests.training.factories import MONDAY, make_programme, make_session, signature_data_url
from waitlist.models import WaitingListEntry

pytestmark = pytest.mark.django_db

DETAILS = {"funding": Enrolment.Funding.PERSONAL, "trainee_status": Enrolment.TraineeStatus.INDIVIDUAL}
LATER = MONDAY + datetime.timedelta(days=28)


def paid_session(**fields):
    programme = make_programme(price=Decimal("600"), access_delay="Une semaine", duration_hours=Decimal("7"))
    return make_session(programme, days=(LATER,), **fields)


def enrol(session, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.enrol(session, person, details=DETAILS)


def test_an_unsigned_seat_goes_to_the_waiting_list_after_its_last_day(
    alice, bob, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session = paid_session(capacity=1)
    held, _entry = enrol(session, alice, django_capture_on_commit_callbacks)
    _none, waiting = enrol(session, bob, django_capture_on_commit_callbacks)
    assert held.status == Enrolment.Status.AWAITING and waiting is not None
    assert held.contract.sign_by() == MONDAY + datetime.timedelta(days=7)
    assert "9 mars 2026" in mailoutbox[0].body  # the contract email says the last day to sign

    frozen.move_to(at(MONDAY + datetime.timedelta(days=7), 23))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.release_unsigned_seats() == []  # the last day itself is still the trainee's
    mailoutbox.clear()

    frozen.move_to(at(MONDAY + datetime.timedelta(days=8), 6))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("training_release_unsigned", stdout=io.StringIO())

    held.refresh_from_db()
    assert held.status == Enrolment.Status.CANCELLED
    assert held.cancellation_reason == "Contrat non signé au 09/03/2026."
    assert WaitingListEntry.objects.get(pk=waiting.pk).status != WaitingListEntry.Status.WAITING  # bob is served
    released = next(mail for mail in mailoutbox if mail.to == ["alice@example.org"])
    assert "n’a pas été signé" in released.body and "9 mars 2026" in released.body

    # Safe to run twice: nothing else moves, nobody is written to again.
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.release_unsigned_seats() == []
    assert len(mailoutbox) == sent


def test_a_signed_contract_keeps_its_seat(alice, frozen, django_capture_on_commit_callbacks):
    session = paid_session()
    enrolment, _entry = enrol(session, alice, django_capture_on_commit_callbacks)
    frozen.move_to(at(MONDAY + datetime.timedelta(days=6), 10))
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_contract(
            enrolment.contract,
            decode_signature(signature_data_url()),
            document_hash=enrolment.contract.document_hash,
            now=at(MONDAY + datetime.timedelta(days=6), 10),
        )

    frozen.move_to(at(MONDAY + datetime.timedelta(days=20), 6))
    assert services.release_unsigned_seats() == []
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ENROLLED


@pytest.mark.parametrize(
    ("deadline_in", "sign_within"),
    [(3, 3), (0, 2), (20, 7)],
    ids=["enrolment-deadline-first", "two-days-at-least", "a-week"],
)
def test_the_last_day_to_sign(alice, frozen, django_capture_on_commit_callbacks, deadline_in, sign_within):
    session = paid_session(enrolment_deadline=MONDAY + datetime.timedelta(days=deadline_in))
    enrolment, _entry = enrol(session, alice, django_capture_on_commit_callbacks)

    assert enrolment.contract.sign_by() == MONDAY + datetime.timedelta(days=sign_within)


def test_the_trainee_sees_the_last_day_to_sign(alice, alice_client, frozen, django_capture_on_commit_callbacks):
    enrolment, _entry = enrol(paid_session(), alice, django_capture_on_commit_callbacks)

    for page in (enrolment.get_absolute_url(), reverse("training:sign-contract", args=[enrolment.pk])):
        body = alice_client.get(page).content.decode()
        assert "Signez au plus tard le 9 mars 2026" in body
