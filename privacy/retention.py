"""Retention rules: what is kept how long, and what happens after (purge or anonymise).

`manage.py purge_personal_data --dry-run` lists what each rule would touch;
without --dry-run it applies them. Run it daily (cron).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    period: datetime.timedelta
    rows: Callable  # rows(cutoff) -> queryset of what is past its period
    anonymise: Callable | None = None  # None: delete the rows

    def due(self, now=None):
        return self.rows((now or timezone.now()) - self.period)

    def apply(self, now=None):
        queryset = self.due(now)
        if self.anonymise is None:
            count = queryset.count()
            queryset.delete()
            return count
        count = 0
        for obj in queryset.iterator():
            self.anonymise(obj)
            count += 1
        return count


def anonymise_user(user):
    from accounts.models import HouseholdMember

    user.first_name = ""
    user.last_name = ""
    user.email = f"anonyme-{user.pk}@anonymise.invalid"
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    HouseholdMember.objects.filter(household__owner=user).update(first_name="", school_name="")


def _model(label):
    return apps.get_model(label)


RULES = [
    Rule(
        "unconfirmed_accounts",
        _("Accounts never confirmed"),
        30 * DAY,
        lambda cutoff: _model("accounts.User").objects.filter(
            is_active=False, email_confirmed_at__isnull=True, date_joined__lt=cutoff, last_login__isnull=True
        ),
    ),
    Rule(
        "closed_projects",
        _("Closed installation projects (the person is anonymised; figures are kept)"),
        3 * 365 * DAY,
        lambda cutoff: (
            _model("accounts.User")
            .objects.filter(
                installation_project__stage="closed",
                installation_project__stage_changed_at__lt=cutoff,
                is_staff=False,
            )
            .exclude(email__endswith="@anonymise.invalid")
        ),
        anonymise=anonymise_user,
    ),
    Rule(
        "login_attempts",
        _("Login attempts"),
        30 * DAY,
        lambda cutoff: _model("axes.AccessAttempt").objects.filter(attempt_time__lt=cutoff),
    ),
    Rule(
        "finished_tasks",
        _("Finished background tasks (they hold email contents)"),
        30 * DAY,
        lambda cutoff: _model("django_tasks_database.DBTaskResult").objects.filter(
            finished_at__lt=cutoff, status__in=["SUCCESSFUL", "FAILED"]
        ),
    ),
    Rule(
        "resolved_waiting_list_entries",
        _("Waiting-list entries taken up, expired or withdrawn"),
        365 * DAY,
        lambda cutoff: _model("waitlist.WaitingListEntry").objects.filter(resolved_at__lt=cutoff),
    ),
    Rule(
        "answered_data_requests",
        _("Answered personal data requests"),
        5 * 365 * DAY,
        lambda cutoff: _model("privacy.DataRequest").objects.filter(closed_at__lt=cutoff),
    ),
    Rule(
        "accessibility_reports",
        _("Accessibility reports"),
        2 * 365 * DAY,
        lambda cutoff: _model("privacy.AccessibilityReport").objects.filter(received_at__lt=cutoff),
    ),
    Rule(
        "audit_trail",
        _("Audit trail"),
        5 * 365 * DAY,
        lambda cutoff: _model("audit.AuditEvent").objects.filter(created_at__lt=cutoff),
    ),
]


def run(rules=None, dry_run=True, now=None):
    """[(rule, count)]: what is due, applied unless dry_run."""
    results = []
    for rule in rules or RULES:
        if dry_run:
            results.append((rule, rule.due(now).count()))
        else:
            with transaction.atomic():
                results.append((rule, rule.apply(now)))
    return results
