"""A self-paying trainee reads and signs the training contract on a phone; the enrolment becomes final."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from telecentre.training import services
from telecentre.training.models import Enrolment, TrainingContract
from tests.conftest import browser_login
from tests.factories import make_user
from tests.training.factories import make_session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_trainee_signs_the_contract_on_a_phone_and_the_enrolment_becomes_final(phone_page):
    page = phone_page
    trainee = make_user("sarah@example.org", first_name="Sarah", last_name="Petit")
    start = timezone.localdate() + datetime.timedelta(days=30)
    session = make_session(days=(start,))
    enrolment, _entry = services.enrol(session, trainee, details={"funding": Enrolment.Funding.PERSONAL})
    assert enrolment.status == Enrolment.Status.AWAITING

    browser_login(page, "sarah@example.org")
    page.goto(reverse("training:my-enrolment", args=[enrolment.pk]))
    page.get_by_role("link", name="Lire et signer le contrat").click()
    page.get_by_role("heading", name="Votre contrat de formation").wait_for()
    page.get_by_role("region", name="Texte du contrat").get_by_text("Règlement intérieur").first.wait_for()
    # Measured once the page's stylesheets are in (under load the text can be laid out before training.css).
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Nothing drawn: the page says what to do and nothing is sent.
    page.get_by_role("button", name="Signer le contrat").click()
    page.get_by_text("Le cadre est vide : dessinez votre signature.").wait_for()
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.AWAITING

    box = page.get_by_role("img", name="Cadre de signature").bounding_box()
    assert box["width"] <= 390
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 25):
        page.mouse.move(box["x"] + 20 + step * 10, box["y"] + box["height"] * (0.7 - 0.4 * ((step % 6) / 6)))
    page.mouse.up()
    page.get_by_text("Signature dessinée : vous pouvez valider.").wait_for()
    page.get_by_label("J’ai lu le contrat, son programme et le règlement intérieur, et je les accepte.").check()
    page.get_by_role("button", name="Signer le contrat").click()

    page.get_by_text("Contrat signé : votre inscription est définitive.").wait_for()
    enrolment.refresh_from_db()
    contract = TrainingContract.objects.get(enrolment=enrolment)
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert contract.signed_at is not None and contract.signature.read().startswith(b"\x89PNG")
    assert contract.signer_user_agent == page.evaluate("navigator.userAgent")
    assert contract.withdrawal_deadline == timezone.localdate() + datetime.timedelta(days=10)
