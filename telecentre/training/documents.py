"""PDF documents: the attendance sheet of a session and the certificates, rendered from HTML by WeasyPrint."""

import base64
import datetime
import io
import zipfile
from collections import defaultdict
from decimal import Decimal

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from core.storage import serve_private_file
from organisation.models import Organisation
from telecentre.training.models import Attendance, ProgrammeVersion


def training_body():
    """The training body as the site names it now, from the organisation record (documents that freeze it at
    issue, certificates and contracts, keep the version they were issued with)."""
    organisation = Organisation.current()
    return {
        "name": organisation.legal_name,
        "address": organisation.postal_address,
        "town": organisation.town,
        "nda": organisation.training_nda,
        "siret": organisation.training_siret,
    }


def image_data_uri(field):
    """The stored image as a data: URI, so the PDF embeds it without any request."""
    if not field:
        return ""
    with field.storage.open(field.name, "rb") as handle:
        return "data:image/png;base64," + base64.b64encode(handle.read()).decode("ascii")


def render_pdf(template, context):
    organisation = Organisation.current()
    identity = {"logo_uri": organisation.logo_data_uri(), "main_colour": organisation.main_colour}
    html = render_to_string(template, {"body": training_body(), **identity, **context})
    # Only data: URIs are fetched: the documents never reach the network or the disk.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def certificate_context(certificate):
    """What a certificate's template reads: the content frozen when it was issued, dates as dates."""
    data = {**certificate.data}
    data["start"], data["end"] = (datetime.date.fromisoformat(data[key]) for key in ("start", "end"))
    for key in [key for key in data if key.endswith("_hours")]:
        data[key] = Decimal(data[key])
    # Certificates issued before the body was frozen in them name it as the site does now.
    data["body"] = data.get("body") or training_body()
    return {"certificate": certificate, "natures": ProgrammeVersion.Nature.choices, **data}


def certificate_template(certificate):
    return f"training/pdf/{certificate.kind}.html"


def certificate_pdf(certificate):
    return render_pdf(certificate_template(certificate), certificate_context(certificate))


def certificate_html(certificate):
    """The certificate's content as HTML, the same text as its PDF (shown read-only in the admin)."""
    return render_to_string(f"{certificate_template(certificate)}#content", certificate_context(certificate))


def certificates_zip(certificates):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(certificate.filename, certificate_pdf(certificate))
    return out.getvalue()


def contract_context(contract):
    return {
        "contract": contract,
        "terms": contract.terms,
        "signature_uri": image_data_uri(contract.signature),
    }


def contract_pdf(contract):
    return render_pdf("training/pdf/contract.html", contract_context(contract))


def contract_html(contract):
    """The contract as the trainee reads it before signing: the same text and fingerprint as its PDF."""
    return render_to_string("training/pdf/contract.html#content", contract_context(contract))


def convocation_pdf(enrolment):
    from telecentre.training.services import convocation_context

    context = {"enrolment": enrolment, "session": enrolment.session, **convocation_context(enrolment)}
    return render_pdf("training/pdf/convocation.html", context)


def pdf_response(content, filename):
    """The PDF shown in the browser, never kept in a cache: attendance sheets and certificates name trainees."""
    return serve_private_file(content, filename=filename, content_type="application/pdf", inline=True)


def attendance_sheet_context(session):
    """Days of the session, each with its morning and afternoon, and one row per trainee with both signatures."""
    slots = list(session.slots.select_related("trainer_signed_by"))
    enrolments = list(session.enrolments.enrolled().select_related("trainee"))
    lines = {
        (a.slot_id, a.enrolment_id): a
        for a in Attendance.objects.filter(slot__session=session).select_related("slot", "enrolment")
    }
    days = defaultdict(dict)
    for slot in slots:
        slot.trainer_signature_uri = image_data_uri(slot.trainer_signature)
        days[slot.date][slot.period] = slot
    rows_by_day = []
    for day, periods in sorted(days.items()):
        rows = []
        for enrolment in enrolments:
            cells = []
            for period in ("morning", "afternoon"):
                slot = periods.get(period)
                line = lines.get((slot.pk, enrolment.pk)) if slot else None
                cells.append(
                    {
                        "slot": slot,
                        "line": line,
                        "signature": image_data_uri(line.signature) if line else "",
                    }
                )
            rows.append({"enrolment": enrolment, "cells": cells})
        rows_by_day.append(
            {"date": day, "morning": periods.get("morning"), "afternoon": periods.get("afternoon"), "rows": rows}
        )
    return {"session": session, "version": session.programme_version, "days": rows_by_day}
