"""The admin speaks French throughout: every app, every model and every column of its lists, ours and the
third-party apps' (login protection, two-factor devices, background tasks), and it has the site's icon."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.urls import reverse
from django.utils import translation

from tests.factories import make_user

# Words that are the same in French and in English.
SAME_IN_BOTH = {
    "action", "commune", "communes", "coworking", "date", "id", "module", "occupant", "points", "position",
    "programme", "programmes", "questionnaire", "questionnaires", "score", "scores", "session", "sessions",
    "siret", "stand", "type", "version", "télécentre", "certificats",
}  # fmt: skip


def labels():
    """{where: label} of the admin index and of each model's list columns, in the active language."""
    found = {}
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        found[f"app {meta.app_label}"] = meta.app_config.verbose_name
        found[f"model {meta.label}"] = meta.verbose_name_plural
        for name in model_admin.list_display:
            if name != "__str__" and not callable(name):
                found[f"column {meta.label}.{name}"] = label_for_field(name, model, model_admin)
    return found


def test_no_admin_label_stays_in_english():
    with translation.override("en"):
        english = {where: str(label) for where, label in labels().items()}
    with translation.override("fr"):
        french = {where: str(label) for where, label in labels().items()}
    untranslated = {
        where: label for where, label in english.items() if french[where] == label and label.lower() not in SAME_IN_BOTH
    }
    assert not untranslated, f"English left in the French admin: {untranslated}"


@pytest.mark.django_db
def test_the_french_admin_index_names_the_third_party_apps_in_french_and_has_the_icon(client):
    client.force_login(make_user("root@example.org", is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:index")).content.decode()
    for english in ("Task Results", "TOTP devices", "Tasks Database Backend", "Otp_Totp", ">Axes<"):
        assert english not in html
    for french in ("Protection des connexions", "Appareils d’authentification (TOTP)", "Tâches en arrière-plan"):
        assert french in html
    assert re.search(r'<link rel="icon" href="/static/favicon[^"]*\.svg"', html)
    for url in (
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        reverse("admin:axes_accessattempt_changelist"),
    ):
        assert client.get(url).status_code == 200
