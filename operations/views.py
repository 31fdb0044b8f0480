from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from operations import health
from operations.jobs import JOBS
from operations.models import Heartbeat, JobRun


@login_required
@permission_required("operations.view_jobrun", raise_exception=True)
def jobs(request):
    """Each periodic job with its schedule and last run, the processes' heartbeats, and the latest failures."""
    now = timezone.now()
    last = {run.job: run for run in JobRun.objects.latest_per_job()}
    rows = [(job, last.get(job.name)) for job in JOBS]
    heartbeats = [(beat, beat.is_fresh(now)) for beat in Heartbeat.objects.order_by("name")]
    failures = JobRun.objects.filter(outcome=JobRun.Outcome.FAILED)[:20]
    return render(request, "operations/jobs.html", {"rows": rows, "heartbeats": heartbeats, "failures": failures})


@never_cache
@require_safe
def healthz(request):
    """For monitoring: each part as JSON, 503 when one is down (the pages themselves still serve without Redis)."""
    healthy, checks = health.report()
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
