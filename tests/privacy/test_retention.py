import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from accounts.models import HouseholdMember, InstallationProject, User
from privacy import retention
from tests.factories import make_household, make_project, make_user

NOW = datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)


def counts(results):
    return {rule.key: count for rule, count in results}


@pytest.mark.django_db
@time_machine.travel(NOW)
def test_dry_run_lists_what_is_due_and_changes_nothing():
    old = make_user(is_active=False, email_confirmed_at=None)
    User.objects.filter(pk=old.pk).update(date_joined=NOW - datetime.timedelta(days=31))
    make_user(is_active=False, email_confirmed_at=None)  # 0 days old: kept

    results = counts(retention.run(dry_run=True))

    assert results["unconfirmed_accounts"] == 1
    assert User.objects.count() == 2


@pytest.mark.django_db
@time_machine.travel(NOW)
def test_purge_deletes_unconfirmed_accounts_and_old_login_attempts():
    old = make_user(is_active=False, email_confirmed_at=None)
    User.objects.filter(pk=old.pk).update(date_joined=NOW - datetime.timedelta(days=31))
    attempt = AccessAttempt.objects.create(username="x", failures_since_start=1, ip_address="127.0.0.1")
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=NOW - datetime.timedelta(days=40))
    AccessAttempt.objects.create(username="recent", failures_since_start=1, ip_address="127.0.0.1")

    call_command("purge_personal_data")

    assert not User.objects.filter(pk=old.pk).exists()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent"]


@pytest.mark.django_db
@time_machine.travel(NOW)
def test_closed_projects_past_three_years_are_anonymised_but_still_counted(alice, bob):
    make_project(alice, stage="closed", stage_changed_at=NOW - datetime.timedelta(days=3 * 365 + 1))
    make_household(alice, [{"first_name": "Léo", "role": "child", "schooling": "enrolled"}])
    make_project(bob, stage="closed", stage_changed_at=timezone.now())

    retention.run(dry_run=False)

    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.email.endswith("@anonymise.invalid") and alice.first_name == "" and not alice.is_active
    assert not alice.has_usable_password()
    assert HouseholdMember.objects.get().first_name == ""
    assert HouseholdMember.objects.get().in_local_school
    assert InstallationProject.objects.count() == 2
    assert bob.email == "bob@example.org"


@pytest.mark.django_db
def test_the_command_prints_each_rule(capsys):
    call_command("purge_personal_data", "--dry-run")
    out = capsys.readouterr().out
    assert "would be processed" in out
    assert "Login attempts" in out or "Tentatives de connexion" in out
