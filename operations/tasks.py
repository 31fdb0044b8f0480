from django.tasks import task

from operations.models import Heartbeat


@task
def worker_heartbeat():
    """Queued by the scheduler every minute: its run proves the task worker takes tasks."""
    Heartbeat.beat(Heartbeat.WORKER)
