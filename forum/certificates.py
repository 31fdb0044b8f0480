"""Certificates of attendance per workshop, as PDF (weasyprint), for people checked in to the room."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import slugify

from core.storage import serve_private_file
from forum.models import Workshop


def attended_workshops(registration):
    """Workshops where at least one person of the registration was checked in."""
    return Workshop.objects.filter(seats__registration=registration, seats__checked_in_at__isnull=False).distinct()


def render_pdf(workshop, seats):
    from weasyprint import HTML  # heavy import, only when a certificate is asked for

    html = render_to_string(
        "forum/certificate.html",
        {"workshop": workshop, "edition": workshop.edition, "seats": seats.select_related("attendee")},
    )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


def pdf_response(workshop, seats):
    filename = f"attestation-{slugify(workshop.title)[:50]}.pdf"
    return serve_private_file(
        render_pdf(workshop, seats), filename=filename, content_type="application/pdf", inline=True
    )
