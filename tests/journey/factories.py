"""Builders for journey data: a project brought to a given stage with its checklists done."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import InstallationProject
from committees.models import AgendaItem, Committee, Decision, Meeting
from journey.models import Arrival, Business, Document, Offer, Step
from tests.factories import make_commune, make_household, make_project, make_user

Stage = InstallationProject.Stage

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name="dossier.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def image_bytes(fmt="PNG", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=fmt)
    return out.getvalue()


def make_newcomer_project(newcomer=None, referent=None, **fields):
    newcomer = newcomer or make_user()
    fields.setdefault("kind", InstallationProject.Kind.CREATION)
    fields.setdefault("description", "Créer une menuiserie à Murat.")
    fields.setdefault("target_commune", make_commune())
    return make_project(newcomer, referent=referent, **fields)


def validated_document(project, kind):
    return Document.objects.create(
        project=project,
        kind=kind,
        file=pdf_upload(f"{kind}.pdf"),
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        status=Document.Status.VALIDATED,
    )


def accept_in_committee(project, closed=True):
    committee, _ = Committee.objects.get_or_create(name="Jury d'accueil", defaults={"kind": Committee.Kind.SELECTION})
    meeting = Meeting.objects.create(
        committee=committee, starts_at=timezone.now(), place="Murat", status=Meeting.Status.OPEN
    )
    item = AgendaItem.objects.create(meeting=meeting, title=str(project), subject=project)
    decision = Decision.objects.create(
        item=item, subject=project, outcome=Decision.Outcome.ACCEPTED, rank=1, reason="Projet solide et mûr."
    )
    if closed:
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    return decision


def complete_stage(project, stage, today=None):
    """Do everything the checklist of `stage` asks for this project."""
    today = today or timezone.localdate()
    if stage == Stage.ENQUIRY:
        for key in ("information_meeting", "diagnosis"):
            Step.objects.get_or_create(project=project, key=key)
    elif stage == Stage.PREPARATION:
        for key in ("training", "immersion", "business_plan_review"):
            Step.objects.get_or_create(project=project, key=key)
        validated_document(project, Document.Kind.BUSINESS_PLAN)
    elif stage == Stage.APPLICATION:
        for kind in (Document.Kind.APPLICATION, Document.Kind.IDENTITY, Document.Kind.CV):
            validated_document(project, kind)
        if not hasattr(project.newcomer, "household"):
            make_household(project.newcomer)
    elif stage == Stage.COMMITTEE:
        accept_in_committee(project)
    elif stage == Stage.OFFER:
        Offer.objects.create(project=project, coworking_pass=True, training=True, accepted_on=today)
        validated_document(project, Document.Kind.CONVENTION)
    elif stage == Stage.IN_RESIDENCE:
        Arrival.objects.create(
            project=project, arrival_date=today - datetime.timedelta(days=40), commune=make_commune(), housing="renting"
        )
    elif stage == Stage.INSTALLED:
        Business.objects.get_or_create(
            project=project,
            defaults={"name": "Menuiserie", "registration_pending": True, "legal_form": "micro", "origin": "created"},
        )


def at_stage(project, stage):
    """Complete every checklist before `stage` and put the project there (without history)."""
    stages = list(Stage.values)
    for earlier in stages[: stages.index(stage)]:
        complete_stage(project, earlier)
    InstallationProject.objects.filter(pk=project.pk).update(stage=stage)
    project.refresh_from_db()
    return project
