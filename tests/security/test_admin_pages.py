"""Every page of the back office opens for the superuser: each registered model's list, add and change page.

The change page is opened on a real object of the model, from the permission table's world (every app's
objects), so a field that cannot be shown (a private file, a computed value) is caught on the object
that has it. A model without any object in the world is named in NO_OBJECT, so a new model cannot be
left out unnoticed.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.security.personas import SUPERUSER, make_personas
from tests.security.world import build_world

# Models the world builds no object of: their change page is opened on nothing (the list and add pages are).
NO_OBJECT = {
    "committees.Reschedule",
    "operations.Heartbeat",
    "operations.JobRun",
    "audit.AuditEvent",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "committees.ConflictOfInterest",
    "coworking.Closure",
    "coworking.Exemption",
    "django_tasks_database.DBTaskResult",
    "forum.Exhibitor",
    "forum.Mailing",
    "forum.Speaker",
    "forum.Talk",
    "housing.CriterionCheck",
    "impact.LocalSpending",
    "impact.Target",
    "journey.Closure",
    "journey.Offer",
    "journey.StageChange",
    "journey.Step",
    "organisation.AccessibilityAudit",
    "organisation.AccessibilityPlan",
    "otp_totp.TOTPDevice",
    "privacy.AccessibilityReport",
    "privacy.DataRequest",
    "training.AttendanceChange",
    "training.DistanceActivity",
    "training.Funder",
    "training.TrainerProfile",
    "training.TrainingExpense",
}
VISITED = {"pages": 0, "models": 0}


@pytest.fixture
def world(db):
    return build_world(make_personas())


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.django_db
def test_every_admin_list_add_and_change_page_answers_for_the_superuser(client, world):
    client.force_login(world.users[SUPERUSER])
    client.raise_request_exception = False
    failures, without_object = [], set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        urls = [admin_url(model, "changelist")]
        request = type("Request", (), {"user": world.users[SUPERUSER]})()
        if model_admin.has_add_permission(request):
            urls.append(admin_url(model, "add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            without_object.add(label)
        else:
            urls.append(admin_url(model, "change", obj.pk))
        for url in urls:
            status = client.get(url).status_code
            VISITED["pages"] += 1
            if status >= 500 or status in (403, 404):
                failures.append(f"{label} {url}: {status}")
        VISITED["models"] += 1
    print(f"admin: {VISITED['pages']} list, add and change pages of {VISITED['models']} models")
    assert not failures, "\n".join(failures)
    assert without_object == NO_OBJECT, f"models without an object in the world: {sorted(without_object)}"
