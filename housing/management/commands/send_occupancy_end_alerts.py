"""Warn occupants and housing staff that a stay ends soon (run daily from cron)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.emails import send_templated_email
from housing.models import OccupancyAgreement


def housing_staff_emails():
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    holders = users.filter(
        Q(groups__permissions__codename="change_occupancyagreement")
        | Q(user_permissions__codename="change_occupancyagreement")
        | Q(is_superuser=True)
    ).exclude(email="")
    return sorted(set(holders.values_list("email", flat=True)))


class Command(BaseCommand):
    help = "Email the occupant and the housing staff about stays ending within --days days (each stay once)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        today = timezone.localdate()
        staff = housing_staff_emails()
        sent = 0
        with transaction.atomic():
            ending = (
                OccupancyAgreement.objects.ending_between(today, today + datetime.timedelta(days=days))
                .filter(end_alert_sent_at__isnull=True, renewal__isnull=True)
                .select_related("unit__commune", "occupant")
                .select_for_update(of=("self",))
            )
            for agreement in ending:
                context = {"agreement": agreement, "days_left": (agreement.end_date - today).days}
                send_templated_email(
                    agreement.occupant.email,
                    "housing_end_alert",
                    context,
                    language=agreement.occupant.preferred_language,
                )
                if staff:
                    send_templated_email(staff, "housing_end_alert_staff", context)
                agreement.end_alert_sent_at = timezone.now()
                agreement.save(update_fields=["end_alert_sent_at"])
                sent += 1
        self.stdout.write(f"{sent} end-of-stay alert(s) sent.")
