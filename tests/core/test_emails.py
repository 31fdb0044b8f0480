"""Email goes out after commit, through the task queue, retried on failure and never lost."""

from unittest import mock

import pytest
from django.core import mail

from core.emails import send_email, send_templated_email


@pytest.mark.django_db
def test_nothing_is_sent_before_the_transaction_commits(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_templated_email("a@example.org", "confirm_email", {"user": None, "confirm_url": "http://x/y"})
    assert mailoutbox == []
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_an_email_has_text_html_and_binary_attachments(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            "a@example.org",
            "confirm_email",
            {"user": None, "confirm_url": "http://x/y"},
            language="en",
            attachments=[
                ("lettre.pdf", b"%PDF-1.7 \x00\xff", "application/pdf"),
                ("a.ics", "BEGIN:VCALENDAR", "text/calendar"),
            ],
        )
    message = mailoutbox[0]
    assert message.subject == "Confirm your email address"
    assert message.alternatives[0][1] == "text/html"
    assert message.attachments[0] == ("lettre.pdf", b"%PDF-1.7 \x00\xff", "application/pdf")
    assert message.attachments[1][0] == "a.ics"


@pytest.mark.django_db
def test_a_failed_send_is_retried_until_it_goes_through(mailoutbox):
    calls = {"n": 0}
    real_send = mail.EmailMultiAlternatives.send

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] < 3:
            raise ConnectionError("SMTP down")
        return real_send(self, *args, **kwargs)

    with mock.patch.object(mail.EmailMultiAlternatives, "send", flaky):
        send_email.enqueue(to=["a@example.org"], subject="S", text="T", html="<p>T</p>")

    assert calls["n"] == 3
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_after_the_last_attempt_the_failure_is_raised_not_swallowed(settings):
    from django.tasks.signals import task_finished

    settings.EMAIL_MAX_ATTEMPTS = 2
    statuses = []

    def on_finished(sender, task_result, **kwargs):
        statuses.append(task_result.status)

    task_finished.connect(on_finished)
    try:
        with mock.patch.object(mail.EmailMultiAlternatives, "send", side_effect=ConnectionError("SMTP down")):
            send_email.enqueue(to=["a@example.org"], subject="S", text="T", html="<p>T</p>")
    finally:
        task_finished.disconnect(on_finished)

    # The second and last attempt fails visibly (a FAILED task result the admin lists).
    assert statuses[0] == "FAILED"
    assert len(statuses) == 2
