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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, append_row, csv_text, xlsx_bytes
from telecentre.training import documents, services
from telecentre.training.forms import (
    AbsenceForm,
    ComplaintAnswerForm,
    ComplaintCloseForm,
    CorrectionForm,
    DecisionForm,
    ExportForm,
    SessionCancelForm,
    SignatureForm,
    SlotsForm,
)
from telecentre.training.models import Attendance, Complaint, Enrolment, Session, Slot
from telecentre.training.results import bpf_rows
from telecentre.training.views import signature_client
from waitlist import services as waitlist
from waitlist.models import WaitingListEntry

staff_required = permission_required("training.view_session", raise_exception=True)


def month_from(request):
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


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
    enrolments = list(session.enrolments.select_related("trainee", "decided_by").order_by("status", "created_at"))
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
def staff_cancel_enrolment(request, pk):
    enrolment = get_object_or_404(Enrolment, pk=pk)
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
    form = SignatureForm(request.POST or None)
    if request.method == "POST":
        try:
            if form.is_valid():
                services.sign(
                    slot,
                    enrolment,
                    form.cleaned_data["signature"],
                    by=request.user,
                    via=Attendance.Device.TRAINER_TABLET,
                    **signature_client(request),
                )
                messages.success(request, _("Signature of %(name)s recorded.") % {"name": enrolment.trainee})
                return redirect(slot)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "training/sign.html", {"slot": slot, "form": form, "signer": enrolment.trainee})


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
    form = SignatureForm(request.POST or None)
    if request.method == "POST":
        try:
            if form.is_valid():
                services.sign_as_trainer(slot, form.cleaned_data["signature"], by=request.user)
                messages.success(request, _("Sheet signed and locked."))
                return redirect(slot)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "training/sign.html", {"slot": slot, "form": form, "signer": request.user, "trainer": True})


@login_required
@require_POST
def correct(request, pk):
    slot = slot_for_trainer(request, pk)
    form = CorrectionForm(request.POST)
    if not slot.is_locked:
        messages.error(request, _("This sheet is not locked yet: record the signature or the absence directly."))
        return redirect(slot)
    if not form.is_valid():
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
    summary, details = bpf_rows(year)
    return render(
        request, "training/staff/exports.html", {"form": form, "year": year, "summary": summary, "details": details}
    )


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
        _("Hours"),
    ]


def export_table(year):
    summary, details = bpf_rows(year)
    rows = [
        [
            row["enrolment"].session.programme_version.title,
            row["enrolment"].session.programme_version.number,
            row["enrolment"].session_id,
            row["enrolment"].trainee.last_name,
            row["enrolment"].trainee.first_name,
            row["enrolment"].trainee.email,
            row["enrolment"].get_funding_display(),
            row["enrolment"].file_number,
            float(row["hours"]),
        ]
        for row in details
    ]
    totals = [[label, trainees, float(hours)] for label, trainees, hours in summary]
    return rows, totals


@login_required
@permission_required("training.view_enrolment", raise_exception=True)
def export(request, fmt):
    form = ExportForm(request.GET)
    if not form.is_valid():
        raise Http404
    year = form.cleaned_data["year"]
    rows, totals = export_table(year)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        response = HttpResponse(csv_text([export_header(), *rows]), content_type=CSV_CONTENT_TYPE)
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Trainees")[:31]
        append_row(sheet, export_header())
        for row in rows:
            append_row(sheet, row)
        summary_sheet = workbook.create_sheet(_("By funding line")[:31])
        append_row(summary_sheet, [_("Funding"), _("Trainees"), _("Trainee-hours")])
        for row in totals:
            append_row(summary_sheet, row)
        response = HttpResponse(xlsx_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bpf-stagiaires-{year}.{fmt}"'
    return response


@login_required
@permission_required("training.view_complaint", raise_exception=True)
def complaints(request):
    return render(
        request,
        "training/staff/complaints.html",
        {
            "complaints": Complaint.objects.select_related("programme", "session__programme_version", "handled_by"),
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
