"""The audit page says who did what to whom, when, in words, with links; every action has its words."""

import ast
import inspect
import pathlib

import pytest
import time_machine
from django.conf import settings
from django.urls import URLResolver, get_resolver, reverse

from audit.actions import ACTIONS
from audit.models import AuditEvent
from coworking import services
from tests.coworking.factories import MONDAY, NOW, make_space, slot
from tests.factories import make_household

ROOT = pathlib.Path(settings.BASE_DIR)


def url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            yield from url_names(
                pattern.url_patterns, f"{namespace}:{inner}" if namespace and inner else inner or namespace
            )
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def takes_post(view):
    view = inspect.unwrap(view)
    view = getattr(view, "view_class", view)
    try:
        return "POST" in inspect.getsource(view) or hasattr(view, "post")
    except (OSError, TypeError):
        return False


def test_every_screen_that_takes_a_post_has_its_action_in_words():
    missing = [
        name
        for name, view in url_names(get_resolver().url_patterns)
        if not name.startswith("admin:") and name != "set_language" and takes_post(view) and name not in ACTIONS
    ]
    assert not missing, f"add these to audit/actions.py: {missing}"


def recorded_actions():
    """The literal action of every `record(...)` / `audit_record(...)` call in the code."""
    for path in ROOT.glob("*/**/*.py"):
        if any(part in {".venv", "node_modules", "tests", "migrations"} for part in path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) in {"record", "audit_record"}
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                yield node.args[1].value, path


def test_every_recorded_action_has_its_words():
    actions = list(recorded_actions())
    assert actions, "the search for record() calls found none: it is broken"
    missing = [(action, str(path.relative_to(ROOT))) for action, path in actions if action not in ACTIONS]
    assert not missing, f"add these to audit/actions.py: {missing}"


@pytest.mark.django_db
def test_a_staff_cancellation_reads_as_words_with_a_link_to_the_booking(client, coworking_manager, director, alice):
    with time_machine.travel(NOW, tick=False):
        zone = make_space(name="Open space", slug="open-space", capacity=2)
        booking = services.book(zone, *slot(MONDAY), member=alice)
        client.force_login(coworking_manager)
        assert client.post(reverse("coworking:staff-cancel", args=[booking.pk])).status_code == 302

    event = AuditEvent.objects.get(action="coworking:staff-cancel")
    assert event.target_id == str(booking.pk) and event.reason == ""

    director.user_permissions.add(*_view_permission("coworking", "booking"))
    client.force_login(director)
    body = client.get(reverse("audit:index")).content.decode()
    assert "Réservation annulée par l’équipe" in body or "Réservation annulée par l'équipe" in body
    assert "coworking:staff-cancel" not in body and "pk=" not in body
    assert reverse("admin:coworking_booking_change", args=[booking.pk]) in body
    assert reverse("person", args=[coworking_manager.pk]) in body  # who did it, linked to their record


@pytest.mark.django_db
def test_a_formset_s_plumbing_is_not_recorded_and_fields_read_by_their_names(client, referent, director):
    make_household(referent)
    client.force_login(referent)
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Camille", "last_name": referent.last_name, "preferred_language": "fr"},
    )
    assert response.status_code == 302
    client.post(
        reverse("accounts:household"),
        {
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000",
        },
    )
    for event in AuditEvent.objects.filter(action="accounts:household"):
        assert "FORMS" not in str(event.changes)

    client.force_login(director)
    body = client.get(reverse("audit:index")).content.decode()
    assert "Profil modifié" in body
    assert "first_name" not in body and "Prénom" in body


def _view_permission(app_label, model):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label=app_label, codename=f"view_{model}")
