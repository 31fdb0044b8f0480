"""Builders for training tests: programmes, sessions in half-days, enrolments, drawn signatures."""

import base64
import datetime
import io
import itertools
from decimal import Decimal

from PIL import Image, ImageDraw

from telecentre.training.models import Enrolment, Programme, Session, Slot

_sequence = itertools.count(1)

# Monday 2 March 2026, 07:00 in Murat: tests start here unless they say otherwise.
MONDAY = datetime.date(2026, 3, 2)
NEXT_MONDAY = MONDAY + datetime.timedelta(days=7)


def make_programme(slug=None, *, selective=False, grants_coworking_exemption=False, **version_fields):
    n = next(_sequence)
    programme = Programme.objects.create(
        slug=slug or f"formation-{n}", selective=selective, grants_coworking_exemption=grants_coworking_exemption
    )
    version_fields.setdefault("title", f"Formation {n}")
    version_fields.setdefault("objectives", "Organiser son travail à distance\nTrouver ses premiers clients")
    version_fields.setdefault("duration_hours", Decimal("16"))
    version_fields.setdefault("assessment", "Mise en situation et questionnaire final")
    version_fields.setdefault("price", Decimal("480"))
    version_fields.setdefault("accessibility_statement", "Salle de plain-pied, boucle magnétique sur demande.")
    version_fields.setdefault("disability_referent", "Thomas Lafon")
    version_fields.setdefault("disability_referent_contact", "handicap@telecentre.example.org")
    programme.new_version(**version_fields)
    return programme


def make_session(
    programme=None,
    *,
    days=(NEXT_MONDAY,),
    periods=(Slot.Period.MORNING, Slot.Period.AFTERNOON),
    trainers=(),
    **fields,
):
    """A scheduled session with its half-days created directly (no room: see services.add_slots for rooms)."""
    programme = programme or make_programme()
    first = days[0] if days else NEXT_MONDAY
    fields.setdefault("place", "Maison des services, Murat")
    fields.setdefault("capacity", 12)
    fields.setdefault("minimum", 1)
    fields.setdefault("enrolment_deadline", first - datetime.timedelta(days=2))
    fields.setdefault("cancellation_deadline", first - datetime.timedelta(days=3))
    fields.setdefault("minimum_check_date", first - datetime.timedelta(days=4))
    session = Session.objects.create(programme_version=programme.current_version, **fields)
    for day in days:
        for period in periods:
            Slot.objects.create(session=session, date=day, period=period)
    session.trainers.set(trainers)
    return session


def make_enrolment(session, trainee, status=Enrolment.Status.ENROLLED, **fields):
    fields.setdefault("funding", Enrolment.Funding.PERSONAL)
    return Enrolment.objects.create(session=session, trainee=trainee, status=status, **fields)


def signature_png(size=(300, 120), strokes=((20, 80, 120, 30), (120, 30, 260, 90))):
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        draw.line(stroke, fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def signature_data_url(**kwargs):
    return "data:image/png;base64," + base64.b64encode(signature_png(**kwargs)).decode("ascii")


def blank_data_url():
    return signature_data_url(strokes=())


def pdf_text(content):
    """The text of a PDF as a reader would copy it, spaces normalised (PDFs break lines anywhere)."""
    import re

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def paper_sheet(name="feuille.pdf"):
    """A small real PDF, as a scanned paper sheet would be uploaded."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def make_training_body():
    """The organisation record with its NDA, SIRET, town and the signatory of training documents (the demo's)."""
    from telecentre.training.demo import training_body
    from telecentre.training.models import InternalRules

    # Transactional tests lose the rules the migration stores: the same short version stands in for them.
    InternalRules.objects.get_or_create(
        version=1,
        defaults={"effective_from": datetime.date(2020, 1, 1), "text": "Article 1 — Objet\nArticle 5 — Sanctions"},
    )
    return training_body()


def deliver(session, trainer):
    """Every enrolled trainee signs every half-day at its start; the trainer signs and locks each sheet."""
    from telecentre.training import services
    from telecentre.training.signatures import decode_signature

    for slot in session.slots.all():
        for enrolment in session.enrolments.enrolled():
            signature = decode_signature(signature_data_url())
            services.sign(slot, enrolment, signature, by=enrolment.trainee, via="trainee", now=slot.start)
        services.sign_as_trainer(slot, decode_signature(signature_data_url()), by=trainer, now=slot.end)
