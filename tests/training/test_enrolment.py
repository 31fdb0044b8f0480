import datetime

import pytest
from django.urls import reverse

from telecentre.training.models import Enrolment
from tests.training.factories import MONDAY, NEXT_MONDAY, make_enrolment, make_programme, make_session
from waitlist import services as waitlist
from waitlist.models import WaitingListEntry

pytestmark = pytest.mark.django_db


def register(client, session, **data):
    data.setdefault("funding", "personal")
    data.setdefault("trainee_status", "individual")
    return client.post(reverse("training:enrol", args=[session.pk]), data, follow=True)


def test_a_self_paying_newcomer_is_sent_to_the_contract_before_the_enrolment_is_final(
    alice_client, alice, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session()
    with django_capture_on_commit_callbacks(execute=True):
        response = register(alice_client, session)

    enrolment = Enrolment.objects.get(session=session, trainee=alice)
    assert enrolment.status == Enrolment.Status.AWAITING
    assert response.redirect_chain[-1][0] == reverse("training:sign-contract", args=[enrolment.pk])
    assert "Votre place est réservée" in response.content.decode()
    assert "Votre contrat de formation à signer" in mailoutbox[0].subject


def test_a_newcomer_registers_directly_and_gets_a_confirmation(
    alice_client, alice, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(make_programme(free_for_newcomers=True, funding_personal=False))
    with django_capture_on_commit_callbacks(execute=True):
        response = register(alice_client, session, funding="free_newcomer")

    enrolment = Enrolment.objects.get(session=session, trainee=alice)
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert "Vous êtes inscrit" in response.content.decode()
    assert [m.to for m in mailoutbox] == [["alice@example.org"]] * 2
    assert "Inscription confirmée" in mailoutbox[0].subject
    # The session starts within a week: the convocation leaves at once.
    assert mailoutbox[1].subject.startswith("Convocation") and enrolment.convocation_sent_at is not None


def test_enrolling_twice_is_refused_and_nothing_is_written(alice_client, alice, frozen):
    session = make_session()
    make_enrolment(session, alice)

    response = register(alice_client, session)

    assert "Vous êtes déjà inscrit" in response.content.decode()
    assert Enrolment.objects.filter(session=session, trainee=alice).count() == 1
    assert not WaitingListEntry.objects.exists()


def test_enrolling_past_the_deadline_is_refused(alice_client, alice, frozen):
    session = make_session(enrolment_deadline=MONDAY - datetime.timedelta(days=1))

    response = register(alice_client, session)

    assert "Les inscriptions à cette session ont fermé le 01/03/2026" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_full_session_puts_the_person_on_the_waiting_list_and_says_so(alice_client, alice, bob, frozen):
    session = make_session(capacity=1)
    make_enrolment(session, bob)

    response = register(alice_client, session)

    body = response.content.decode()
    assert "Cette session est complète : vous êtes sur la liste d’attente, en position 1" in body
    assert not Enrolment.objects.filter(trainee=alice).exists()
    entry = WaitingListEntry.objects.get(user=alice)
    assert entry.target == session and entry.payload["funding"] == "personal"


def test_joining_the_waiting_list_twice_is_refused(alice_client, alice, bob, frozen):
    session = make_session(capacity=1)
    make_enrolment(session, bob)
    register(alice_client, session)

    response = register(alice_client, session)

    assert "Vous êtes déjà sur la liste d’attente de cette session" in response.content.decode()
    assert WaitingListEntry.objects.filter(user=alice).count() == 1


def test_a_cpf_enrolment_needs_its_file_number_and_keeps_what_was_typed(alice_client, alice, frozen):
    session = make_session(make_programme(cpf_code="RS5678"))

    response = register(alice_client, session, funding="cpf", adaptation_needed="on", adaptation_measure="")

    body = response.content.decode()
    assert "Indiquez votre numéro de dossier CPF" in body
    assert "Décrivez l’aménagement dont vous avez besoin" in body
    assert not Enrolment.objects.exists()


def test_funding_lines_offered_are_those_of_the_programme(alice_client, frozen):
    session = make_session(make_programme(funding_personal=False, funding_france_travail=True))

    response = register(alice_client, session, funding="personal")

    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_selective_programme_takes_applications_and_staff_decide_with_a_reason(
    client, alice, training_manager, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(make_programme(selective=True))
    client.force_login(alice)
    missing = register(client, session)
    assert "Ce champ est obligatoire" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        register(client, session, application_text="Je veux devenir traductrice indépendante à Murat.")
    enrolment = Enrolment.objects.get(trainee=alice)
    assert enrolment.status == Enrolment.Status.APPLIED
    assert "Candidature reçue" in mailoutbox[-1].subject

    client.force_login(training_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training:decide", args=[enrolment.pk]), {"decision": "refuse", "reason": "Projet pas encore mûr."}
        )

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.REFUSED
    assert enrolment.decided_by == training_manager and enrolment.decision_reason == "Projet pas encore mûr."
    assert "Projet pas encore mûr." in mailoutbox[-1].body


def test_a_decision_needs_a_reason(client, alice, training_manager, frozen):
    session = make_session(make_programme(selective=True))
    enrolment = make_enrolment(session, alice, Enrolment.Status.APPLIED, application_text="Projet")
    client.force_login(training_manager)

    client.post(reverse("training:decide", args=[enrolment.pk]), {"decision": "accept", "reason": ""})

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.APPLIED and enrolment.decided_at is None


def test_a_selected_candidate_goes_to_the_waiting_list_when_the_session_is_full(
    client, alice, bob, training_manager, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(make_programme(selective=True), capacity=1)
    make_enrolment(session, bob)
    enrolment = make_enrolment(session, alice, Enrolment.Status.APPLIED, application_text="Projet")
    client.force_login(training_manager)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:decide", args=[enrolment.pk]), {"decision": "accept", "reason": "Beau projet."})

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.APPLIED and enrolment.decided_at is not None
    entry = WaitingListEntry.objects.get(user=alice)
    assert entry.payload == {"enrolment": enrolment.pk}
    assert "numéro 1 sur la liste d’attente" in mailoutbox[-1].body


def test_a_newcomer_cancels_before_the_deadline_and_the_seat_is_offered_in_arrival_order(
    client, alice, bob, carol, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    enrolment = make_enrolment(session, alice)
    first = waitlist.join(session, user=bob, payload={"funding": "personal"})
    frozen.shift(60)
    waitlist.join(session, user=carol, payload={"funding": "personal"})
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:cancel", args=[enrolment.pk]), {"reason": "Empêchement"})

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED and enrolment.cancellation_reason == "Empêchement"
    first.refresh_from_db()
    assert first.status == WaitingListEntry.Status.OFFERED
    assert first.offer_expires_at - first.offered_at == datetime.timedelta(hours=48)
    assert WaitingListEntry.objects.get(user=carol).status == WaitingListEntry.Status.WAITING
    offer = [m for m in mailoutbox if m.to == ["bob@example.org"]]
    assert len(offer) == 1 and first.get_absolute_url() in offer[0].body


def test_accepting_the_offer_enrols_the_person_and_emails_them(
    client, alice, bob, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    enrolment = make_enrolment(session, alice)
    entry = waitlist.join(session, user=bob, payload={"funding": "free_newcomer", "file_number": ""})
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(alice)
        client.post(reverse("training:cancel", args=[enrolment.pk]))
    client.force_login(bob)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("waitlist:accept", args=[entry.token]))

    assert response.status_code == 302 and response.url == reverse("training:mine")
    promoted = Enrolment.objects.get(trainee=bob, session=session)
    assert promoted.status == Enrolment.Status.ENROLLED
    assert any("une place s’est libérée" in m.body.lower() for m in mailoutbox if m.to == ["bob@example.org"])
    assert session.seats_left() == 0


def test_an_unanswered_offer_expires_and_passes_to_the_next_person(
    alice, bob, carol, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    enrolment = make_enrolment(session, alice)
    first = waitlist.join(session, user=bob)
    frozen.shift(60)
    second = waitlist.join(session, user=carol)
    from telecentre.training import services

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_enrolment(enrolment, by=alice)
    frozen.shift(datetime.timedelta(hours=49))
    with django_capture_on_commit_callbacks(execute=True):
        waitlist.expire_offers()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitingListEntry.Status.EXPIRED
    assert second.status == WaitingListEntry.Status.OFFERED
    assert mailoutbox[-1].to == ["carol@example.org"]


def test_cancelling_after_the_deadline_is_refused(alice_client, alice, frozen):
    session = make_session(cancellation_deadline=MONDAY - datetime.timedelta(days=1))
    enrolment = make_enrolment(session, alice)

    response = alice_client.post(reverse("training:cancel", args=[enrolment.pk]), follow=True)

    assert "Le dernier jour pour annuler était le 01/03/2026" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_funded_trainees_have_no_contract_to_sign(alice_client, alice, frozen):
    session = make_session(make_programme(funding_opco=True))
    enrolment = make_enrolment(session, alice, funding=Enrolment.Funding.OPCO)

    assert alice_client.get(reverse("training:sign-contract", args=[enrolment.pk])).status_code == 404
    assert not enrolment.needs_contract and enrolment.needs_agreement


def test_another_newcomer_s_enrolment_is_404(client, alice, bob, frozen):
    enrolment = make_enrolment(make_session(), alice)
    client.force_login(bob)

    assert client.get(reverse("training:my-enrolment", args=[enrolment.pk])).status_code == 404
    assert client.post(reverse("training:cancel", args=[enrolment.pk])).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_state_changes_refuse_get(alice_client, alice, frozen):
    enrolment = make_enrolment(make_session(), alice)
    assert alice_client.get(reverse("training:cancel", args=[enrolment.pk])).status_code == 405


def test_my_trainings_lists_enrolments_and_waiting_positions(alice_client, alice, bob, frozen):
    full = make_session(capacity=1, days=(NEXT_MONDAY,))
    make_enrolment(full, bob)
    mine = make_session()
    make_enrolment(mine, alice)
    waitlist.join(full, user=alice)

    body = alice_client.get(reverse("training:mine")).content.decode()

    assert mine.title in body and full.title in body
    assert "numéro 1 sur la liste d’attente" in body
