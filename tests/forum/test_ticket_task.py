"""The confirmation email is rendered and sent by the task worker: the registration request only queues it."""

import pytest
from django.tasks import default_task_backend
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from forum import booking, tickets
from forum.models import Registration
from tests.forum.factories import add_people, form_data, make_registration, make_workshop

URL = reverse("forum:index")
pytestmark = pytest.mark.django_db


@pytest.fixture
def dummy_tasks(settings):
    """Tasks are kept, not run: what the request queued can be looked at, then run by hand."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def test_the_request_queues_the_registration_id_and_renders_nothing(
    client, edition, dummy_tasks, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    rendered = []
    monkeypatch.setattr(tickets, "qr_png", lambda code: rendered.append(code) or b"")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(edition))

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert [(r.task.name, r.args, r.kwargs) for r in dummy_tasks.results] == [
        ("send_ticket_task", [], {"registration_id": registration.pk})
    ]
    assert rendered == [] and mailoutbox == []


def test_the_task_sends_every_ticket_the_calendar_and_the_waiting_lists(
    client, edition, dummy_tasks, mailoutbox, settings, django_capture_on_commit_callbacks
):
    full = make_workshop(edition, title="Atelier complet", capacity=1, start=(9, 0), end=(10, 0))
    roomy = make_workshop(edition, title="Atelier ouvert", capacity=10, start=(14, 0), end=(15, 0))
    make_registration(edition, workshops=[full])
    data = add_people(form_data(edition, workshops=[full.pk, roomy.pk]), ("Hugo", "Lefèvre"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, data)
    registration = Registration.objects.get(email="claire@example.org")
    queued = dummy_tasks.results[-1]
    assert mailoutbox == []

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        tickets.send_ticket_task.call(**queued.kwargs)

    message = mailoutbox[-1]
    assert message.to == ["claire@example.org"]
    pngs = [content for _name, content, mimetype in message.attachments if mimetype == "image/png"]
    assert len(pngs) == 2 and all(png[:8] == b"\x89PNG\r\n\x1a\n" for png in pngs)
    ics = next(content for _name, content, mimetype in message.attachments if mimetype == "text/calendar")
    assert "Atelier ouvert" in ics and "Atelier complet" not in ics
    for attendee in registration.attendees.all():
        assert attendee.code in message.body
    booked, waiting = message.body.split("Atelier ouvert")[0], message.body.split("Atelier ouvert")[1]
    assert "Atelier complet" not in booked and "Atelier complet" in waiting  # named among the waiting lists


def test_no_ticket_is_sent_for_a_registration_cancelled_before_the_task_ran(
    edition, mailoutbox, django_capture_on_commit_callbacks
):
    registration = make_registration(edition)
    booking.cancel(registration)

    with django_capture_on_commit_callbacks(execute=True):
        tickets.send_ticket_task.call(registration_id=registration.pk)

    assert mailoutbox == []


def test_with_the_database_backend_the_task_commits_with_the_registration_or_not_at_all(client, edition, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    workshop = make_workshop(edition, capacity=1)

    assert client.post(URL, form_data(edition, workshops=[workshop.pk])).status_code == 302
    registration = Registration.objects.get()
    task = DBTaskResult.objects.get()
    assert task.task_path == "forum.tickets.send_ticket_task"
    assert task.args_kwargs == {"args": [], "kwargs": {"registration_id": registration.pk}}

    # Refused (the workshop is full, no waiting list wanted): no registration, so no task either.
    refused = form_data(edition, email="paul@example.org", workshops=[workshop.pk], waitlist_if_full=None)
    assert client.post(URL, refused).status_code == 400
    assert Registration.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_a_registration_post_makes_few_queries(client, edition, settings, django_assert_max_num_queries):
    # The rate limits count in Redis in production, not in the database: their table fallback (about ten
    # queries, tests/core/test_ratelimit.py) is left out of what the booking itself costs.
    settings.CACHES = {**settings.CACHES, "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    workshop = make_workshop(edition)
    client.get(URL)  # the programme and the communes in the cache, as during a rush
    # Under the locks: the workshops, their recount, the seats, the edition, its total.
    with django_assert_max_num_queries(10):
        response = client.post(URL, form_data(edition, workshops=[workshop.pk]))
    assert response.status_code == 302
