"""Staff and trainer screens: calendar, session follow-up, half-day sheets, exports, complaints register."""

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from core import query as parameters
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, append_row, csv_text, xlsx_bytes
from core.storage import serve_private_file
from telecentre.training import documents, services
from telecentre.training.forms import (
    AbsenceForm,
    ComplaintAnswerForm,
    ComplaintCloseForm,
    CorrectionForm,
    DecisionForm,
    ExportForm,
    OutcomeForm,
    SessionCancelForm,
    SlotsForm,
)
from telecentre.training.models import (
    Attendance,
    Certificate,
    Complaint,
    DistanceActivity,
    Enrolment,
    Session,
    Slot,
    TrainerProfile,
    TrainingContract,
)
from telecentre.training.results import bpf_report
from telecentre.training.views import attendance_signature, signature_page
from waitlist import services as waitlist
from waitlist.models import WaitingListEntry

staff_required = permission_required("training.view_session", raise_exception=True)


def month_from(request):
    return parameters.month(request.GET, "month", timezone.localdate().replace(day=1))


@login_required
@staff_required
def calendar_view(request):
    first = month_from(request)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    slots = (
        Slot.objects.filter(date__gte=weeks[0][0], date__lte=weeks[-1][-1])
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session__programme_version")
        .order_by("start")
    )
    by_day = {}
    for slot in slots:
        by_day.setdefault(slot.date, []).append(slot)
    grid = [[(day, by_day.get(day, [])) for day in week] for week in weeks]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    sessions = (
        Session.objects.with_dates()
        .with_enrolled_count()
        .select_related("programme_version")
        .filter(last_end__date__gte=first, first_start__date__lt=following)
        .order_by("first_start")
    )
    return render(
        request,
        "training/staff/calendar.html",
        {"month": first, "grid": grid, "previous": previous, "following": following, "sessions": sessions},
    )


@login_required
@staff_required
def session_view(request, pk):
    session = get_object_or_404(
        Session.objects.with_dates().select_related("programme_version__programme", "room"), pk=pk
    )
    enrolments = list(
        session.enrolments.select_related("trainee", "decided_by", "funder", "contract", "session__programme_version")
        .prefetch_related("certificates", "distance_activities")
        .order_by("status", "created_at")
    )
    slots = list(session.slots.all())
    lines = {(a.slot_id, a.enrolment_id): a for a in Attendance.objects.filter(slot__session=session)}
    enrolled = [e for e in enrolments if e.status == Enrolment.Status.ENROLLED]
    grid = [(e, [(slot, lines.get((slot.pk, e.pk))) for slot in slots]) for e in enrolled]
    entries = list(
        WaitingListEntry.objects.filter(target_type=ContentType.objects.get_for_model(Session), target_id=session.pk)
        .active()
        .select_related("user")
        .in_arrival_order()
    )
    return render(
        request,
        "training/staff/session.html",
        {
            "session": session,
            "enrolments": enrolments,
            "enrolled_count": len(enrolled),
            "slots": slots,
            "grid": grid,
            "entries": entries,
            "held": waitlist.held_quantity(session),
            "decision_form": DecisionForm(),
            "outcomes": [choice for choice in Enrolment.Outcome.choices if choice[0] != Enrolment.Outcome.PENDING],
            "certificates": [c for e in enrolled for c in e.certificates.all()],
            "slots_form": SlotsForm(),
            "cancel_form": SessionCancelForm(),
        },
    )


def redirect_with_errors(request, error, *to):
    messages.error(request, " ".join(error.messages))
    return redirect(*to)


@login_required
@permission_required("training.change_enrolment", raise_exception=True)
@require_POST
def decide(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.select_related("session"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and give its reason."))
        return redirect("training:staff-session", enrolment.session_id)
    try:
        enrolment, entry = services.decide(
            enrolment,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        return redirect_with_errors(request, error, "training:staff-session", enrolment.session_id)
    if entry is not None:
        messages.warning(request, _("Candidate selected; the session is full, so they are on the waiting list."))
    else:
        messages.success(request, _("Decision recorded and sent to the candidate."))
    return redirect("training:staff-session", enrolment.session_id)


@login_required
@permission_required("training.change_enrolment", raise_exception=True)
@require_POST
def record_outcome(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.enrolled(), pk=pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the result of the assessment."))
        return redirect("training:staff-session", enrolment.session_id)
    try:
        enrolment.record_outcome(form.cleaned_data["outcome"], form.cleaned_data["notes"])
    except ValidationError as error:
        return redirect_with_errors(request, error, "training:staff-session", enrolment.session_id)
    messages.success(request, _("Assessment result of %(name)s recorded.") % {"name": enrolment.trainee})
    return redirect("training:staff-session", enrolment.session_id)


@login_required
@permission_required("training.view_trainingcontract", raise_exception=True)
def staff_contract_pdf(request, pk):
    contract = get_object_or_404(TrainingContract.objects.select_related("enrolment"), enrolment__pk=pk)
    return documents.pdf_response(documents.contract_pdf(contract), f"{contract.number}.pdf")


@login_required
@permission_required("training.change_trainingcontract", raise_exception=True)
@require_POST
def send_agreement(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.select_related("funder", "session", "trainee"), pk=pk)
    try:
        contract = services.send_agreement(enrolment)
    except ValidationError as error:
        return redirect_with_errors(request, error, "training:staff-session", enrolment.session_id)
    messages.success(request, _("Training agreement sent to %(email)s.") % {"email": contract.sent_to})
    return redirect("training:staff-session", enrolment.session_id)


@login_required
@permission_required("training.view_certificate", raise_exception=True)
def staff_certificate_pdf(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    return documents.pdf_response(documents.certificate_pdf(certificate), certificate.filename)


@login_required
@permission_required("training.view_certificate", raise_exception=True)
def certificates_zip(request, pk):
    session = get_object_or_404(Session, pk=pk)
    certificates = Certificate.objects.filter(enrolment__session=session).select_related("enrolment")
    if not certificates:
        raise Http404
    content = documents.certificates_zip(certificates)
    return serve_private_file(content, filename=f"certificats-session-{session.pk}.zip", content_type="application/zip")


@login_required
@permission_required("training.change_certificate", raise_exception=True)
@require_POST
def resend_certificates(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.select_related("trainee", "session"), pk=pk)
    if not enrolment.certificates.exists():
        raise Http404
    services.send_certificates(enrolment)
    messages.success(request, _("Certificates sent again to %(email)s.") % {"email": enrolment.trainee.email})
    return redirect("training:staff-session", enrolment.session_id)


EVIDENCE = {
    "attendance": (Attendance, "slot__session"),
    "distance": (DistanceActivity, "enrolment__session"),
}


@login_required
def evidence(request, kind, pk):
    """The evidence of a presence without signature or of a distance module, for the session's trainers and
    attendance managers (404 for anybody else)."""
    if kind not in EVIDENCE:
        raise Http404
    model, session_path = EVIDENCE[kind]
    record = get_object_or_404(model.objects.select_related(session_path).exclude(evidence=""), pk=pk)
    session = record.slot.session if kind == "attendance" else record.enrolment.session
    if not (request.user.has_perm("training.view_attendance") or session.is_trainer(request.user)):
        raise Http404
    return serve_private_file(record.evidence, filename=record.evidence.name.rsplit("/", 1)[-1])


@login_required
@permission_required("training.change_enrolment", raise_exception=True)
@require_POST
def staff_cancel_enrolment(request, pk):
    enrolment = get_object_or_404(Enrolment, pk=pk, session__status=Session.Status.SCHEDULED)
    try:
        services.cancel_enrolment(enrolment, by=request.user, reason=request.POST.get("reason", "")[:300], staff=True)
    except ValidationError as error:
        return redirect_with_errors(request, error, "training:staff-session", enrolment.session_id)
    messages.success(request, _("Enrolment cancelled; the seat is offered to the waiting list."))
    return redirect("training:staff-session", enrolment.session_id)


@login_required
@permission_required("training.change_session", raise_exception=True)
@require_POST
def add_slots(request, pk):
    session = get_object_or_404(Session, pk=pk)
    form = SlotsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("training:staff-session", pk)
    try:
        created = services.add_slots(
            session, form.days(), form.cleaned_data["periods"], by=request.user, module=form.cleaned_data["module"]
        )
    except ValidationError as error:
        return redirect_with_errors(request, error, "training:staff-session", pk)
    messages.success(request, _("%(count)s half-days added, room reserved.") % {"count": len(created)})
    return redirect("training:staff-session", pk)


@login_required
@permission_required("training.change_session", raise_exception=True)
@require_POST
def cancel_session(request, pk):
    session = get_object_or_404(Session, pk=pk)
    form = SessionCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the cancellation: the trainees will read it."))
        return redirect("training:staff-session", pk)
    try:
        services.cancel_session(session, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as error:
        return redirect_with_errors(request, error, "training:staff-session", pk)
    messages.success(request, _("Session cancelled; trainees and waiting people have been told."))
    return redirect("training:staff-session", pk)


@login_required
@permission_required("training.change_session", raise_exception=True)
@require_POST
def complete_session(request, pk):
    session = get_object_or_404(Session, pk=pk)
    try:
        services.complete_session(session, by=request.user)
    except ValidationError as error:
        return redirect_with_errors(request, error, "training:staff-session", pk)
    messages.success(request, _("Session completed: certificates issued to the trainees who attended."))
    return redirect("training:staff-session", pk)


def session_for_trainer(request, pk):
    session = get_object_or_404(Session.objects.select_related("programme_version"), pk=pk)
    if not (request.user.has_perm("training.view_attendance") or session.is_trainer(request.user)):
        raise Http404
    return session


@login_required
def attendance_pdf(request, pk):
    session = session_for_trainer(request, pk)
    content = documents.render_pdf("training/pdf/attendance_sheet.html", documents.attendance_sheet_context(session))
    return documents.pdf_response(content, f"emargement-session-{session.pk}.pdf")


def slot_for_trainer(request, pk):
    """The half-day, for its session's trainers and attendance managers only (404 for anybody else)."""
    slot = get_object_or_404(Slot.objects.select_related("session__programme_version", "trainer_signed_by"), pk=pk)
    if not (request.user.has_perm("training.change_attendance") or slot.session.is_trainer(request.user)):
        raise Http404
    return slot


@login_required
def slot_sheet(request, pk):
    slot = slot_for_trainer(request, pk)
    lines = {a.enrolment_id: a for a in slot.attendances.select_related("recorded_by")}
    rows = [(e, lines.get(e.pk)) for e in slot.session.enrolments.enrolled().select_related("trainee")]
    return render(
        request,
        "training/staff/slot.html",
        {
            "slot": slot,
            "rows": rows,
            "changes": slot.changes.select_related("enrolment__trainee", "changed_by"),
            "absence_reasons": Attendance.AbsenceReason.choices,
            "statuses": Attendance.Status.choices,
            "started": slot.has_started(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tablet_sign(request, pk, enrolment_pk):
    """A trainee signs on the trainer's tablet: the trainer opened the page, the trainee draws."""
    slot = slot_for_trainer(request, pk)
    enrolment = get_object_or_404(
        Enrolment.objects.enrolled().select_related("trainee"), pk=enrolment_pk, session=slot.session
    )
    message = _("Signature of %(name)s recorded.") % {"name": enrolment.trainee}
    record = attendance_signature(request, slot, enrolment, via=Attendance.Device.TRAINER_TABLET, message=message)
    return signature_page(request, slot, signer=enrolment.trainee, record=record, done=slot)


@login_required
@require_POST
def mark_absent(request, pk):
    slot = slot_for_trainer(request, pk)
    form = AbsenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the reason for the absence."))
        return redirect(slot)
    enrolment = get_object_or_404(Enrolment.objects.enrolled(), pk=form.cleaned_data["enrolment"], session=slot.session)
    try:
        services.mark_absent(
            slot,
            enrolment,
            reason=form.cleaned_data["absence_reason"],
            details=form.cleaned_data["absence_details"],
            by=request.user,
        )
    except ValidationError as error:
        return redirect_with_errors(request, error, slot)
    messages.success(request, _("Absence recorded."))
    return redirect(slot)


@login_required
@require_http_methods(["GET", "POST"])
def trainer_sign(request, pk):
    slot = slot_for_trainer(request, pk)

    def record(signature):
        services.sign_as_trainer(slot, signature, by=request.user)
        return _("Sheet signed and locked.")

    return signature_page(request, slot, signer=request.user, record=record, done=slot, trainer=True)


@login_required
@require_POST
def correct(request, pk):
    slot = slot_for_trainer(request, pk)
    form = CorrectionForm(request.POST, request.FILES)
    if not slot.is_locked:
        messages.error(request, _("This sheet is not locked yet: record the signature or the absence directly."))
        return redirect(slot)
    if not form.is_valid():
        if "evidence" in form.errors:
            messages.error(request, " ".join(form.errors["evidence"]))
        else:
            messages.error(request, _("Give the attendance and the reason for this correction."))
        return redirect(slot)
    enrolment = get_object_or_404(Enrolment, pk=form.cleaned_data["enrolment"], session=slot.session)
    data = form.cleaned_data
    try:
        services.correct_attendance(
            slot,
            enrolment,
            status=data["status"],
            absence_reason=data["absence_reason"],
            absence_details=data["absence_details"],
            unsigned_reason=data["unsigned_reason"],
            evidence=data["evidence"],
            reason=data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        return redirect_with_errors(request, error, slot)
    messages.success(request, _("Correction recorded in the change log."))
    return redirect(slot)


@login_required
@permission_required("training.view_enrolment", raise_exception=True)
def exports(request):
    form = ExportForm(request.GET or {"year": timezone.localdate().year})
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    return render(request, "training/staff/exports.html", {"form": form, "year": year, **bpf_report(year)})


def export_header():
    return [
        _("Programme"),
        _("Version"),
        _("Session"),
        _("Last name"),
        _("First name"),
        _("Email"),
        _("Funding"),
        _("File number"),
        _("Situation"),
        _("Hours"),
        _("Of which present without signature"),
        _("Of which at a distance"),
    ]


def export_rows(details):
    return [
        [
            row["enrolment"].session.programme_version.title,
            row["enrolment"].session.programme_version.number,
            row["enrolment"].session_id,
            row["enrolment"].trainee.last_name,
            row["enrolment"].trainee.first_name,
            row["enrolment"].trainee.email,
            row["enrolment"].get_funding_display(),
            row["enrolment"].file_number,
            row["enrolment"].get_trainee_status_display(),
            float(row["hours"]),
            float(row["unsigned"]),
            float(row["distance"]),
        ]
        for row in details
    ]


def bpf_sections(report):
    """The BPF sections as (sheet title, header, rows), in the order of the Cerfa 10443."""
    e = report["e"]
    return [
        (
            _("C - Revenue"),
            [_("Line"), _("Origin"), _("Amount (euros)")],
            [[code, str(label), float(amount)] for code, label, amount in report["c"]]
            + [["", str(_("Total")), float(report["c_total"])]],
        ),
        (
            _("D - Costs"),
            [_("Line"), _("Amount (euros)")],
            [
                [str(_("Total costs")), float(report["d"]["total"])],
                [str(_("of which salaries of the trainers")), float(report["d"]["salaries"])],
                [str(_("of which training bought and trainers' fees")), float(report["d"]["bought"])],
            ],
        ),
        (
            _("E - Trainers"),
            [_("Trainers"), _("Number"), _("Hours taught")],
            [
                [str(label), e[value]["people"], float(e[value]["hours"])]
                for value, label in TrainerProfile.Status.choices
            ],
        ),
        (
            _("F-1 - Trainees"),
            [_("Line"), _("Trainees"), _("Number"), _("Trainee-hours"), _("Of which at a distance")],
            [
                [code, str(label), line["trainees"], float(line["hours"]), float(line["distance"])]
                for code, label, line in report["f1"]
            ],
        ),
        (
            _("F-3 - Objectives"),
            [_("Objective"), _("Trainees"), _("Trainee-hours")],
            [[str(label), line["trainees"], float(line["hours"])] for label, line in report["f3"]],
        ),
        (
            _("F-4 - Specialties"),
            [_("NSF code"), _("Specialty"), _("Trainees"), _("Trainee-hours")],
            [[code, label, line["trainees"], float(line["hours"])] for (code, label), line in report["f4"]],
        ),
    ]


@login_required
@permission_required("training.view_enrolment", raise_exception=True)
def export(request, fmt):
    form = ExportForm(request.GET)
    if not form.is_valid() or fmt not in ("csv", "xlsx"):
        raise Http404
    year = form.cleaned_data["year"]
    report = bpf_report(year)
    rows = export_rows(report["details"])
    if fmt == "csv":
        response = HttpResponse(csv_text([export_header(), *rows]), content_type=CSV_CONTENT_TYPE)
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Trainees")[:31]
        for row in [export_header(), *rows]:
            append_row(sheet, row)
        summary_sheet = workbook.create_sheet(_("By funding line")[:31])
        append_row(summary_sheet, [_("Funding"), _("Trainees"), _("Trainee-hours")])
        for label, trainees, hours in report["summary"]:
            append_row(summary_sheet, [label, trainees, hours])
        for title, header, section_rows in bpf_sections(report):
            section = workbook.create_sheet(str(title)[:31])
            for row in [header, *section_rows]:
                append_row(section, [str(v) if isinstance(v, Promise) else v for v in row])
        response = HttpResponse(xlsx_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bpf-stagiaires-{year}.{fmt}"'
    return response


@login_required
@permission_required("training.view_complaint", raise_exception=True)
def complaints(request):
    """The complaints register; `?open=1` lists only those not closed yet (what the staff home counts)."""
    complaints = Complaint.objects.select_related("programme", "session__programme_version", "handled_by")
    only_open = request.GET.get("open") == "1"
    if only_open:
        complaints = complaints.exclude(status=Complaint.Status.CLOSED)
    return render(
        request,
        "training/staff/complaints.html",
        {
            "complaints": complaints,
            "only_open": only_open,
            "answer_form": ComplaintAnswerForm(),
            "close_form": ComplaintCloseForm(),
        },
    )


@login_required
@permission_required("training.change_complaint", raise_exception=True)
@require_POST
def complaint_action(request, pk, action):
    complaint = get_object_or_404(Complaint, pk=pk)
    try:
        if action == "acknowledge":
            complaint.acknowledge(by=request.user)
        elif action == "answer":
            services.answer_complaint(complaint, request.POST.get("response", ""), by=request.user)
        elif action == "close":
            complaint.close(request.POST.get("improvement_action", ""), by=request.user)
        else:
            raise Http404
    except ValidationError as error:
        return redirect_with_errors(request, error, "training:staff-complaints")
    messages.success(request, _("Complaint updated."))
    return redirect("training:staff-complaints")
