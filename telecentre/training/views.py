"""Public catalogue and the trainee's portal: apply or register, my trainings, sign my attendance, certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.ratelimit import client_address
from telecentre.training import documents, services
from telecentre.training.forms import (
    CancelForm,
    ComplaintForm,
    ContractSignatureForm,
    EnrolmentForm,
    SignatureForm,
    SurveyForm,
)
from telecentre.training.models import (
    Attendance,
    Certificate,
    Complaint,
    Enrolment,
    Programme,
    ProgrammeVersion,
    Session,
    Slot,
    SurveyResponse,
    TrainingContract,
)
from telecentre.training.results import programme_results
from waitlist import services as waitlist
from waitlist.models import WaitingListEntry


def published_programmes():
    return Programme.objects.filter(published=True).prefetch_related(
        Prefetch("versions", queryset=ProgrammeVersion.objects.order_by("-number"), to_attr="prefetched_versions")
    )


def with_seats_left(sessions):
    """Seats left on each session (enrolled and held by live offers subtracted), two queries in all."""
    sessions = list(sessions)
    held = dict(
        WaitingListEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(Session), target_id__in=[s.pk for s in sessions]
        )
        .live_offers()
        .values_list("target_id")
        .annotate(total=Sum("quantity"))
    )
    for session in sessions:
        session.seats_left_now = max(0, session.capacity - session.enrolled_count - held.get(session.pk, 0))
    return sessions


def index(request):
    sessions = with_seats_left(Session.objects.for_catalogue())
    by_programme = {}
    for session in sessions:
        by_programme.setdefault(session.programme_version.programme_id, []).append(session)
    programmes = [(p, by_programme.get(p.pk, [])) for p in published_programmes() if p.current_version]
    return render(request, "training/index.html", {"programmes": programmes})


def programme(request, slug):
    programme = get_object_or_404(published_programmes(), slug=slug)
    version = programme.current_version
    if version is None:
        return redirect("training:index")
    sessions = with_seats_left(Session.objects.for_catalogue().filter(programme_version__programme=programme))
    return render(
        request, "training/programme.html", {"programme": programme, "version": version, "sessions": sessions}
    )


def programme_results_view(request, slug):
    programme = get_object_or_404(published_programmes(), slug=slug)
    return render(request, "training/results.html", {"programme": programme, **programme_results(programme)})


def session_detail(request, pk):
    session = get_object_or_404(Session.objects.with_dates().select_related("programme_version__programme"), pk=pk)
    session.seats_left_now = session.seats_left()
    return render(request, "training/session.html", {"session": session, "version": session.programme_version})


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, pk):
    session = get_object_or_404(
        Session.objects.with_dates().select_related("programme_version__programme"), pk=pk, status="scheduled"
    )
    form = EnrolmentForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment, entry = services.enrol(session, request.user, details=form.details())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if entry is not None:
                messages.warning(
                    request,
                    _(
                        "This session is full: you are on the waiting list, in position %(position)s. "
                        "If a seat frees up, we will email you an offer to accept within 48 hours."
                    )
                    % {"position": waitlist.position(entry)},
                )
                return redirect("training:mine")
            if enrolment.status == Enrolment.Status.AWAITING:
                messages.success(
                    request,
                    _("Your seat is held: read and sign the training contract to make your enrolment final."),
                )
                return redirect("training:sign-contract", enrolment.pk)
            if enrolment.status == Enrolment.Status.APPLIED:
                messages.success(request, _("Your application has been sent. We will email you our decision."))
            else:
                messages.success(request, _("You are enrolled. A confirmation has been sent by email."))
            return redirect(enrolment)
    return render(request, "training/enrol.html", {"session": session, "form": form})


@login_required
def mine(request):
    enrolments = (
        Enrolment.objects.for_trainee(request.user)
        .select_related("session__programme_version")
        .prefetch_related("certificates")
        .order_by("-created_at")
    )
    entries = list(
        WaitingListEntry.objects.filter(target_type=ContentType.objects.get_for_model(Session), user=request.user)
        .active()
        .in_arrival_order()
    )
    sessions = Session.objects.with_dates().select_related("programme_version").in_bulk([e.target_id for e in entries])
    waiting = [(entry, sessions.get(entry.target_id), waitlist.position(entry)) for entry in entries]
    return render(request, "training/mine.html", {"enrolments": enrolments, "waiting": waiting})


def own_enrolment(request, pk):
    return get_object_or_404(
        Enrolment.objects.select_related("session__programme_version__programme"), pk=pk, trainee=request.user
    )


@login_required
def my_enrolment(request, pk):
    enrolment = own_enrolment(request, pk)
    session = Session.objects.with_dates().get(pk=enrolment.session_id)
    return render(
        request,
        "training/my_enrolment.html",
        {
            "enrolment": enrolment,
            "session": session,
            "version": session.programme_version,
            "slots": session.slots.all(),
            "cancel_form": CancelForm(),
            "trainers": session.trainers.all(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign_contract(request, pk):
    """The trainee reads the contract and its internal rules, draws their signature and accepts: the enrolment
    becomes final."""
    enrolment = own_enrolment(request, pk)
    contract = getattr(enrolment, "contract", None)
    if contract is None or contract.kind != contract.Kind.CONTRACT:
        raise Http404
    form = ContractSignatureForm(request.POST or None)
    if request.method == "POST" and enrolment.status == Enrolment.Status.AWAITING:
        try:
            if form.is_valid():
                services.sign_contract(
                    contract,
                    form.cleaned_data["signature"],
                    document_hash=form.cleaned_data["document_hash"],
                    **signature_client(request),
                )
                contract.refresh_from_db()
                messages.success(
                    request,
                    _("Contract signed: your enrolment is final. You can withdraw until %(date)s.")
                    % {"date": contract.withdrawal_deadline.strftime("%d/%m/%Y")},
                )
                return redirect(enrolment)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "training/contract.html",
        {"enrolment": enrolment, "contract": contract, "document": documents.contract_html(contract), "form": form},
    )


@login_required
def contract_pdf(request, pk):
    enrolment = own_enrolment(request, pk)
    contract = get_object_or_404(TrainingContract, enrolment=enrolment, kind=TrainingContract.Kind.CONTRACT)
    return documents.pdf_response(documents.contract_pdf(contract), f"contrat-{contract.number}.pdf")


@login_required
def convocation_pdf(request, pk):
    enrolment = own_enrolment(request, pk)
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise Http404
    return documents.pdf_response(documents.convocation_pdf(enrolment), f"convocation-{enrolment.pk}.pdf")


@login_required
@require_POST
def cancel(request, pk):
    enrolment = own_enrolment(request, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.cancel_enrolment(enrolment, by=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your enrolment is cancelled."))
    return redirect(enrolment)


@login_required
def my_attendance(request):
    now = timezone.now()
    today = timezone.localdate()
    enrolments = Enrolment.objects.for_trainee(request.user).enrolled().filter(session__status="scheduled")
    slots = (
        Slot.objects.filter(session__enrolments__in=enrolments, date__gte=today)
        .select_related("session__programme_version")
        .order_by("start")[:6]
    )
    signed = set(
        Attendance.objects.filter(enrolment__in=enrolments, slot__in=[s.pk for s in slots]).values_list(
            "slot_id", "status"
        )
    )
    rows = [
        (slot, {status for slot_id, status in signed if slot_id == slot.pk}, slot.has_started(now)) for slot in slots
    ]
    return render(request, "training/my_attendance.html", {"rows": rows})


def signature_client(request):
    return {
        "user_agent": request.headers.get("User-Agent", ""),
        "ip_address": client_address(request) or None,
    }


def signature_page(request, slot, *, signer, record, done, trainer=False):
    """The drawn-signature page and its POST, for every signer of a half-day sheet.

    record(signature) writes the signature and returns the message shown after the redirect to `done`.
    """
    form = SignatureForm(request.POST or None)
    if request.method == "POST":
        try:
            if form.is_valid():
                messages.success(request, record(form.cleaned_data["signature"]))
                return redirect(done)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "training/sign.html", {"slot": slot, "form": form, "signer": signer, "trainer": trainer})


def attendance_signature(request, slot, enrolment, *, via, message):
    """record() for a trainee's signature on `slot`, drawn on `via`, with the device it came from."""

    def record(signature):
        services.sign(slot, enrolment, signature, by=request.user, via=via, **signature_client(request))
        return message

    return record


@login_required
@require_http_methods(["GET", "POST"])
def sign(request, slot_pk):
    slot = get_object_or_404(Slot.objects.select_related("session__programme_version"), pk=slot_pk)
    # Only the signed-in trainee's own enrolment: nobody signs for someone else from here.
    enrolment = get_object_or_404(Enrolment.objects.enrolled(), session=slot.session, trainee=request.user)
    message = _("Thank you, your attendance for %(slot)s is signed.") % {"slot": slot}
    record = attendance_signature(request, slot, enrolment, via=Attendance.Device.TRAINEE_DEVICE, message=message)
    return signature_page(request, slot, signer=request.user, record=record, done="training:my-attendance")


@login_required
def my_certificates(request):
    certificates = Certificate.objects.filter(enrolment__trainee=request.user).select_related(
        "enrolment__session__programme_version"
    )
    return render(request, "training/my_certificates.html", {"certificates": certificates})


@login_required
def certificate_pdf(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk, enrolment__trainee=request.user)
    return documents.pdf_response(documents.certificate_pdf(certificate), certificate.filename)


@require_http_methods(["GET", "POST"])
def survey(request, token):
    response = get_object_or_404(
        SurveyResponse.objects.select_related("questionnaire", "session__programme_version"), token=token
    )
    if response.answered_at:
        return render(request, "training/survey_done.html", {"response": response})
    form = SurveyForm(request.POST or None, questions=response.questionnaire.questions.all())
    if request.method == "POST" and form.is_valid():
        services.record_survey_answers(response, form.answers())
        return render(request, "training/survey_done.html", {"response": response, "thanks": True})
    return render(request, "training/survey.html", {"response": response, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def complaint(request):
    sessions = Session.objects.filter(enrolments__trainee=request.user).select_related("programme_version").distinct()
    form = ComplaintForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        complaint = services.receive_complaint(form.save(commit=False), request.user)
        messages.success(
            request,
            _("Your complaint has been received on %(date)s. We acknowledge it by email and will answer you.")
            % {"date": timezone.localtime(complaint.received_at).strftime("%d/%m/%Y")},
        )
        return redirect(reverse("training:mine"))
    return render(request, "training/complaint.html", {"form": form, "statuses": Complaint.Status})
