"""What a registered visitor receives: QR tickets (PNG), an .ics calendar file and the private link.

The email is rendered by the task worker (`send_ticket_task`), queued with nothing but the registration's id
(see queue_ticket): drawing the QR codes and the calendar takes longer than the registration itself, and
nobody should wait for it (during the registration rush least of all).
"""

import io
import logging
from datetime import timedelta

import icalendar
import segno
from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.text import slugify
from django_tasks_db.backend import DatabaseBackend

from core.emails import send_templated_email
from waitlist.models import WaitingListEntry

logger = logging.getLogger(__name__)


def qr_png(code):
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def qr_svg_data_uri(code):
    return segno.make(code, error="m").svg_data_uri(scale=6, border=4)


def calendar_file(registration):
    """An iCalendar file with the forum days and the registration's workshops."""
    edition = registration.edition
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Telecentre//Forum//FR")
    calendar.add("version", "2.0")
    forum = icalendar.Event()
    forum.add("uid", f"forum-{edition.year}-{registration.token[:16]}@telecentre")
    forum.add("dtstamp", timezone.now())
    forum.add("summary", str(edition))
    forum.add("dtstart", edition.start_date)
    forum.add("dtend", edition.end_date + timedelta(days=1))
    forum.add("location", ", ".join(filter(None, [edition.venue, edition.venue_address])))
    forum.add("url", settings.SITE_URL + registration.get_absolute_url())
    calendar.add_component(forum)
    for workshop in registration.workshops():
        event = icalendar.Event()
        event.add("uid", f"forum-workshop-{workshop.pk}-{registration.token[:16]}@telecentre")
        event.add("dtstamp", timezone.now())
        event.add("summary", workshop.title)
        event.add("dtstart", workshop.starts_at)
        event.add("dtend", workshop.ends_at)
        event.add("location", f"{workshop.room}, {edition.venue}")
        calendar.add_component(event)
    return calendar.to_ical().decode()


def send_ticket(registration, template_prefix="forum_ticket", extra=None):
    """Email the booker their tickets (one QR per person), the calendar file and the private link, on commit."""
    attendees = list(registration.attendees.all())
    context = {
        "registration": registration,
        "edition": registration.edition,
        "attendees": attendees,
        "workshops": list(registration.workshops()),
        "manage_url": settings.SITE_URL + registration.get_absolute_url(),
        **(extra or {}),
    }
    attachments = [
        (
            f"billet-{slugify(a.full_name) or a.code}-{a.code}.png",
            qr_png(a.code),
            "image/png",
        )
        for a in attendees
    ]
    attachments.append((f"forum-{registration.edition.year}.ics", calendar_file(registration), "text/calendar"))
    send_templated_email(registration.email, template_prefix, context, registration.language, attachments)


def queue_ticket(registration):
    """Have the task worker render and email the registration's tickets.

    With the database task backend the task is written in the current transaction, so it commits with the
    registration, in the same commit, or not at all. Another backend gets it once the transaction commits,
    so its worker never looks for a registration that is not committed yet.
    """
    if isinstance(send_ticket_task.get_backend(), DatabaseBackend):
        send_ticket_task.enqueue(registration_id=registration.pk)
    else:
        transaction.on_commit(lambda: send_ticket_task.enqueue(registration_id=registration.pk))


@task(queue_name="default")
def send_ticket_task(*, registration_id):
    """Render and send the tickets of a registration (nothing when it was cancelled or anonymised meanwhile).

    The email also names the full workshops whose waiting list the group is on.
    """
    from forum import waiting
    from forum.models import Registration

    registration = (
        Registration.objects.confirmed()
        .select_related("edition")
        .filter(pk=registration_id, anonymised_at__isnull=True)
        .first()
    )
    if registration is None:
        logger.info("Forum registration %s is gone or cancelled: no tickets sent", registration_id)
        return
    entries = waiting.entries_for(registration).filter(status=WaitingListEntry.Status.WAITING)
    waitlisted = sorted((entry.target for entry in entries.prefetch_related("target")), key=lambda w: w.starts_at)
    send_ticket(registration, extra={"waitlisted": waitlisted})
