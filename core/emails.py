"""Email sent by the task worker after the transaction commits.

`send_templated_email` renders the message now (in the recipient's language)
and enqueues it on commit; the task retries a failed send with a growing delay
and, after EMAIL_MAX_ATTEMPTS, fails visibly in the task results instead of
being lost. A request never waits on the mail server.
"""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import default_task_backend, task
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


def render_email(template_prefix, context, language=None):
    """Render subject, text and HTML bodies from templates/emails/<prefix>{_subject.txt,.txt,.html}."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"SITE_URL": settings.SITE_URL, **context}
        subject = render_to_string(f"emails/{template_prefix}_subject.txt", context)
        text = render_to_string(f"emails/{template_prefix}.txt", context)
        html = render_to_string(f"emails/{template_prefix}.html", context)
    return " ".join(subject.split()), text, html


def send_templated_email(to, template_prefix, context, language=None, attachments=()):
    """Queue an email to `to` (an address or a list) once the current transaction commits.

    attachments: (filename, content, mimetype) triples; content is text or bytes (a PDF, a PNG).
    """
    subject, text, html = render_email(template_prefix, context, language)
    queue_email(to, subject, text, html, attachments)


def queue_email(to, subject, text, html, attachments=()):
    """Queue an already rendered email on commit. Binary attachments travel base64-encoded."""
    recipients = [to] if isinstance(to, str) else list(to)
    encoded = [
        [filename, base64.b64encode(content).decode(), mimetype, True]
        if isinstance(content, bytes)
        else [filename, content, mimetype, False]
        for filename, content, mimetype in attachments
    ]
    payload = {"to": recipients, "subject": subject, "text": text, "html": html, "attachments": encoded}
    transaction.on_commit(lambda: send_email.enqueue(**payload))


@task(queue_name="default")
def send_email(*, to, subject, text, html, attachments=(), attempt=1):
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype, is_base64 in attachments:
        message.attach(filename, base64.b64decode(content) if is_base64 else content, mimetype)
    try:
        message.send()
    except Exception:
        if attempt >= settings.EMAIL_MAX_ATTEMPTS:
            logger.exception("Email %r to %s failed after %s attempts", subject, to, attempt)
            raise
        logger.warning("Email %r to %s failed (attempt %s), retrying", subject, to, attempt)
        retry = send_email
        if default_task_backend.supports_defer:
            retry = send_email.using(run_after=timezone.now() + timedelta(minutes=2**attempt))
        retry.enqueue(to=to, subject=subject, text=text, html=html, attachments=attachments, attempt=attempt + 1)
