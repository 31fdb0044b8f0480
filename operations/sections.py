import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def portal(request):
    return None


def staff_links(user):
    if not user.has_perm("operations.view_jobrun"):
        return []
    return [(_("Scheduled jobs: last runs and results"), reverse("operations:jobs"))]


def staff_tasks(user, today):
    """What needs doing today in this app, for the staff home: [(label, count, url)]."""
    from operations.models import JobRun

    if not user.has_perm("operations.view_jobrun"):
        return []
    since = timezone.now() - datetime.timedelta(days=1)
    failed = JobRun.objects.filter(outcome=JobRun.Outcome.FAILED, started_at__gte=since).count()
    return [(_("Scheduled jobs failed in the last 24 hours"), failed, reverse("operations:jobs"))]
