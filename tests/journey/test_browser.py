"""A referent moves a project to the next stage; the newcomer sees it in the portal."""

import pytest

from accounts.models import InstallationProject
from journey.models import StageChange
from tests.conftest import browser_login
from tests.factories import make_user
from tests.journey.factories import complete_stage, make_newcomer_project

Stage = InstallationProject.Stage


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_referent_moves_a_project_and_the_newcomer_sees_it(page, chromium, live_server, referent):
    newcomer = make_user("lea@example.org", first_name="Léa", last_name="Roux")
    project = make_newcomer_project(newcomer=newcomer, referent=referent)
    complete_stage(project, Stage.ENQUIRY)

    browser_login(page, referent.email)
    page.goto(f"/journey/projects/{project.pk}/")
    page.get_by_label("Passer à l'étape").select_option("preparation")
    page.get_by_role("button", name="Valider le changement d'étape").click()
    page.get_by_text("Le projet est maintenant à l'étape « Préparation »").wait_for()
    assert StageChange.objects.get().to_stage == Stage.PREPARATION

    context = chromium.new_context(locale="fr-FR", base_url=live_server.url)
    newcomer_page = context.new_page()
    browser_login(newcomer_page, "lea@example.org")
    newcomer_page.goto("/portal/")
    card = newcomer_page.locator("section", has=newcomer_page.get_by_role("heading", name="Mon parcours"))
    assert "Vous êtes à l'étape Préparation" in " ".join(card.inner_text().split())
    assert "Formation au télétravail ou à la création d'entreprise suivie" in card.inner_text()
    assert referent.email in card.inner_text()
    context.close()
