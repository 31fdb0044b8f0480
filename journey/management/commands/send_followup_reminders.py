"""Email each referent the follow-up check-ins that are overdue (run daily from cron).

A check-in is reminded again only after --every days, so a daily run does not
flood anyone; projects without a referent go to every newcomer referent.
"""

import datetime
from collections import defaultdict

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import roles
from core.emails import send_templated_email
from journey.models import CheckIn


class Command(BaseCommand):
    help = "Email referents their overdue follow-up check-ins."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=7, help="Days before the same check-in is reminded again.")

    def handle(self, *args, every, **options):
        now = timezone.now()
        due = (
            CheckIn.objects.overdue(timezone.localdate())
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - datetime.timedelta(days=every)))
            .select_related("project__newcomer", "project__referent")
        )
        by_referent = defaultdict(list)
        fallback = list(
            Group.objects.get(name=roles.GROUP_NAMES[roles.NEWCOMER_REFERENT]).user_set.filter(is_active=True)
        )
        for checkin in due:
            referent = checkin.project.referent
            for person in [referent] if referent and referent.is_active else fallback:
                by_referent[person].append(checkin)
        with transaction.atomic():
            for referent, checkins in by_referent.items():
                send_templated_email(
                    referent.email,
                    "journey_followup_reminder",
                    {"name": referent.first_name, "checkins": checkins},
                    language=referent.preferred_language,
                )
            reminded = {checkin.pk for checkins in by_referent.values() for checkin in checkins}
            CheckIn.objects.filter(pk__in=reminded).update(reminded_at=now)
        self.stdout.write(f"{len(reminded)} overdue check-ins reminded to {len(by_referent)} people.")
