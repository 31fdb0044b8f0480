"""The training contract of a self-paying trainee (L6353-3 to L6353-7), the agreement sent to a funder
(L6353-1, D6353-1) and the convocation: issued from the records, signed online, final only once signed."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from telecentre.training import services
from telecentre.training.models import Enrolment, Funder, TrainerProfile, TrainingContract
from telecentre.training.signatures import decode_signature
from tests.training.conftest import at
from tests.training.factories import (
    MONDAY,
    make_programme,
    make_session,
    pdf_text,
    signature_data_url,
)

pytestmark = pytest.mark.django_db

DETAILS = {"funding": Enrolment.Funding.PERSONAL, "trainee_status": Enrolment.TraineeStatus.INDIVIDUAL}
LATER = MONDAY + datetime.timedelta(days=28)  # the session starts four weeks after the enrolment


@pytest.fixture
def body(training_body):
    return training_body


@pytest.fixture
def course(body, trainer):
    TrainerProfile.objects.create(user=trainer, titles="Master en ingénierie de formation, 12 ans de conseil")
    programme = make_programme(
        title="Créer son activité en milieu rural",
        price=Decimal("1000"),
        access_delay="Une semaine",
        prerequisites="Avoir un projet",
        duration_hours=Decimal("16"),
    )
    return make_session(programme, days=(LATER, LATER + datetime.timedelta(days=1)), trainers=[trainer])


def sign(contract, now):
    return services.sign_contract(
        contract,
        decode_signature(signature_data_url()),
        document_hash=contract.document_hash,
        ip_address="203.0.113.7",
        user_agent="Firefox",
        now=now,
    )


def test_a_self_paying_trainee_holds_a_seat_until_the_contract_is_signed(
    course, alice, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment, _entry = services.enrol(course, alice, details=DETAILS)

    assert enrolment.status == Enrolment.Status.AWAITING
    assert course.seats_taken() == 1  # the held seat counts
    contract = enrolment.contract
    assert contract.kind == TrainingContract.Kind.CONTRACT and contract.price == Decimal("1000")
    assert contract.document_hash == TrainingContract.fingerprint(contract.terms)
    assert reverse("training:sign-contract", args=[enrolment.pk]) in mailoutbox[0].body
    # Not final: no attendance to sign, no convocation.
    assert not Enrolment.objects.enrolled().exists() and enrolment.convocation_sent_at is None

    frozen.move_to(at(MONDAY, 10))
    with django_capture_on_commit_callbacks(execute=True):
        sign(contract, at(MONDAY, 10))

    enrolment.refresh_from_db()
    contract.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert contract.withdrawal_deadline == datetime.date(2026, 3, 12)
    assert contract.signer_ip == "203.0.113.7" and contract.signature.read().startswith(b"\x89PNG")
    assert contract.countersigned_by_name == "Martine Delpuech"
    signed_mail = mailoutbox[-1]
    assert signed_mail.attachments[0][0] == f"contrat-{contract.number}.pdf"


def test_a_funded_trainee_is_enrolled_at_once(course, alice, frozen):
    enrolment, _entry = services.enrol(
        course, alice, details={**DETAILS, "funding": Enrolment.Funding.CPF, "file_number": "CPF-1"}
    )
    assert enrolment.status == Enrolment.Status.ENROLLED and not hasattr(enrolment, "contract")


def test_no_payment_before_the_end_of_the_withdrawal_period_then_30_percent_then_as_it_goes(course, alice, frozen):
    enrolment, _entry = services.enrol(course, alice, details=DETAILS)
    contract = enrolment.contract
    assert contract.payment_allowance(MONDAY).cap == 0  # not signed yet
    sign(contract, at(MONDAY, 10))
    contract.refresh_from_db()

    during = contract.payment_allowance(datetime.date(2026, 3, 12))
    assert during.cap == 0 and during.next_on == datetime.date(2026, 3, 13) and during.next_cap == Decimal("300")
    after = contract.payment_allowance(datetime.date(2026, 3, 13))
    assert after.cap == Decimal("300.00") and after.payable(Decimal("0")) == Decimal("300.00")
    assert after.next_on == LATER + datetime.timedelta(days=1)
    first_day = contract.payment_allowance(LATER + datetime.timedelta(days=1))
    assert first_day.cap == Decimal("650.00")  # 30 % plus half the balance once the first day is delivered
    assert first_day.payable(Decimal("300")) == Decimal("350.00")
    done = contract.payment_allowance(LATER + datetime.timedelta(days=2))
    assert done.cap == Decimal("1000") and done.next_on is None
    assert [(day, cap) for day, cap in contract.instalments()] == [
        (datetime.date(2026, 3, 13), Decimal("300.00")),
        (LATER + datetime.timedelta(days=1), Decimal("650.00")),
        (LATER + datetime.timedelta(days=2), Decimal("1000")),
    ]


def test_a_withdrawal_within_ten_days_frees_the_seat_and_nothing_is_payable(client, course, alice, frozen):
    enrolment, _entry = services.enrol(course, alice, details=DETAILS)
    sign(enrolment.contract, at(MONDAY, 10))
    # The trainee's own cancellation deadline is past; the withdrawal right still holds.
    course.cancellation_deadline = MONDAY - datetime.timedelta(days=1)
    course.save()
    frozen.move_to(at(datetime.date(2026, 3, 12), 20))
    client.force_login(alice)

    client.post(reverse("training:cancel", args=[enrolment.pk]), {"reason": "Rétractation"})

    enrolment.refresh_from_db()
    contract = TrainingContract.objects.get(enrolment=enrolment)
    assert enrolment.status == Enrolment.Status.CANCELLED and contract.withdrawn_at is not None
    assert contract.payment_allowance(LATER + datetime.timedelta(days=5)).cap == 0
    assert course.seats_taken() == 0


def test_a_contract_changed_since_it_was_read_is_not_signed(course, alice, frozen):
    enrolment, _entry = services.enrol(course, alice, details=DETAILS)
    contract = enrolment.contract
    with pytest.raises(Exception) as error:
        services.sign_contract(contract, decode_signature(signature_data_url()), document_hash="0" * 64)
    assert "relisez-le" in str(error.value)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.AWAITING


def test_force_majeure_makes_only_the_delivered_part_due(course, alice, frozen):
    enrolment, _entry = services.enrol(course, alice, details=DETAILS)
    contract = enrolment.contract
    sign(contract, at(MONDAY, 10))
    slot = course.slots.order_by("start").first()
    frozen.move_to(slot.start)
    services.sign(
        slot,
        Enrolment.objects.get(pk=enrolment.pk),
        decode_signature(signature_data_url()),
        by=alice,
        via="trainee",
        now=slot.start,
    )
    assert contract.due_on_abandonment() == Decimal("250.00")  # 4 hours of 16


def test_the_contract_pdf_carries_every_term_l6353_4_requires(client, course, alice, frozen):
    enrolment, _entry = services.enrol(course, alice, details=DETAILS)
    sign(enrolment.contract, at(MONDAY, 10))
    client.force_login(alice)

    text = pdf_text(client.get(reverse("training:contract-pdf", args=[enrolment.pk])).content)

    for expected in [
        "Contrat de formation professionnelle",
        "Hautes Terres Communauté",
        "84150123415",  # NDA
        "20006663700014",  # SIRET
        "Martine Delpuech, Vice-présidente chargée de la formation",
        "arrêté n° 2026-14",
        "Créer son activité en milieu rural",  # nature, duration and objectives
        "de nature : action de formation, au sens de l’article L6313-1",
        "16 heures",
        "Organiser son travail à distance",
        "Avoir un projet",  # level required
        "Maison des services, Murat",  # conditions of delivery
        "Master en ingénierie de formation",  # trainers' titles and qualifications
        "1 000,00 euros",  # price
        "au plus 30 % du prix",  # payment terms
        "lettre recommandée avec avis de réception",  # withdrawal
        "force majeure",  # abandonment
        "Règlement intérieur",
        "Article 5 — Sanctions",
        "Fait à Murat",
        enrolment.contract.document_hash,
    ]:
        assert expected in text, expected


def test_the_agreement_goes_to_the_funder_contact(
    client, course, alice, training_manager, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    enrolment, _entry = services.enrol(
        course,
        alice,
        details={**DETAILS, "funding": Enrolment.Funding.OPCO, "trainee_status": "employee", "employer": "Scierie"},
    )
    client.force_login(training_manager)
    refused = client.post(reverse("training:send-agreement", args=[enrolment.pk]), follow=True)
    assert "Choisissez d’abord le financeur" in refused.content.decode()
    enrolment.funder = Funder.objects.create(
        name="OPCO Atlas",
        address="25 quai Panhard, Paris",
        siret="",
        contact_name="Nadia Financeur",
        contact_email="nadia@opco.example",
    )
    enrolment.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:send-agreement", args=[enrolment.pk]))

    contract = TrainingContract.objects.get(enrolment=enrolment)
    assert contract.kind == TrainingContract.Kind.AGREEMENT and contract.sent_to == "nadia@opco.example"
    mail = mailoutbox[-1]
    assert mail.to == ["nadia@opco.example"]
    text = pdf_text(mail.attachments[0][1])
    for expected in [
        "Convention de formation",
        "OPCO Atlas",
        "25 quai Panhard",
        "Créer son activité en milieu rural",
        "1 000,00 euros",
        "16 heures",
        "84150123415",
    ]:
        assert expected in text, expected


def test_the_convocation_leaves_a_week_before_with_place_hours_access_and_contact(
    client, body, alice, trainer, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(days=(LATER,), trainers=[trainer], access="Parking place de l’Hôpital, entrée de plain-pied")
    enrolment, _entry = services.enrol(session, alice, details={**DETAILS, "funding": Enrolment.Funding.CPF})
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_convocations() == []
    frozen.move_to(at(LATER - datetime.timedelta(days=7), 9))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_convocations() == [enrolment]
        assert services.send_due_convocations() == []

    mail = mailoutbox[-1]
    assert mail.subject.startswith("Convocation") and "Parking place de l’Hôpital" in mail.body
    client.force_login(alice)
    text = pdf_text(client.get(reverse("training:convocation-pdf", args=[enrolment.pk])).content)
    for expected in [
        "Convocation",
        "08:30–12:30",
        "13:30–17:30",
        "Maison des services, Murat",
        "Parking place de l’Hôpital",
        "Thomas Lafon",
        "handicap@telecentre.example.org",
    ]:
        assert expected in text, expected


def test_the_contract_pages_are_404_for_other_people(client, course, alice, bob, frozen):
    enrolment, _entry = services.enrol(course, alice, details=DETAILS)
    client.force_login(bob)
    assert client.get(reverse("training:sign-contract", args=[enrolment.pk])).status_code == 404
    assert client.get(reverse("training:contract-pdf", args=[enrolment.pk])).status_code == 404


def test_the_contract_is_not_signed_without_the_box_ticked(client, course, alice, frozen):
    enrolment, _entry = services.enrol(course, alice, details=DETAILS)
    client.force_login(alice)
    url = reverse("training:sign-contract", args=[enrolment.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"signature": signature_data_url(), "document_hash": enrolment.contract.document_hash})

    assert "Règlement intérieur" in page and enrolment.contract.document_hash in page
    assert "Cochez la case pour confirmer" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.AWAITING and enrolment.contract.signed_at is None
