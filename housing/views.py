import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Household, InstallationProject
from committees import services as committee_services
from committees.minutes import minutes_pdf
from committees.models import Decision, Meeting
from core.storage import serve_private_file
from housing import committee as housing_committee
from housing import explanation, rendering, scoring, stats, timeline
from housing.forms import (
    HOUSING_COMMITTEES,
    ApplicationForm,
    AttendanceForm,
    CandidateDecisionFormSet,
    ConflictForm,
    DocumentForm,
    ExplanationAnswerForm,
    MeetingForm,
    OccupancyForm,
    ProposalForm,
    RenewalForm,
    RescheduleForm,
)
from housing.models import (
    Application,
    ApplicationOutcome,
    ExplanationRequest,
    NotificationLetter,
    OccupancyAgreement,
    Proposal,
    Score,
    ScoreLine,
    ScoringGrid,
    ScoringRun,
    StayCap,
    SupportingDocument,
    Unit,
)
from telecentre import freshness

STAFF_PERMISSION = "housing.run_committee"
RANKING_PER_PAGE = 50


def index(request):
    units = Unit.objects.active().select_related("commune").prefetch_related("photos")
    applications = []
    if request.user.is_authenticated:
        applications = Application.objects.filter(applicant=request.user).with_outcome().order_by("-submitted_at")
    return render(
        request,
        "housing/index.html",
        {"units": units, "grid": ScoringGrid.objects.in_force(), "applications": applications},
    )


def grid(request, version=None):
    grids = ScoringGrid.objects.published()
    shown = get_object_or_404(grids, version=version) if version else grids.filter(status="in_force").first()
    if shown is None:
        raise Http404(_("No scoring grid has been published yet."))
    return render(
        request,
        "housing/grid.html",
        {
            "grid": shown,
            "rules": shown.rules.all(),
            "criteria": shown.criteria.all(),
            "caps": StayCap.objects.all(),
            "versions": grids.only("version", "council_reference", "council_date", "status"),
        },
    )


# Applicant --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    project = InstallationProject.objects.filter(newcomer=request.user).first()
    household = Household.objects.filter(owner=request.user).prefetch_related("members").first()
    if project is None or household is None:
        return render(request, "housing/apply_missing.html", {"project": project, "household": household})
    initial = {
        "household_size": 1 + len(household.members.all()),
        "children_count": sum(1 for m in household.members.all() if m.is_child),
        "desired_start": project.desired_arrival,
    }
    form = ApplicationForm(request.POST or None, initial=initial, applicant=request.user)
    if request.method == "POST" and form.is_valid():
        application = form.save(commit=False)
        application.applicant, application.project, application.household = request.user, project, household
        application.save()
        messages.success(request, _("Your application is filed. Add your supporting documents now."))
        return redirect(application)
    return render(request, "housing/apply.html", {"form": form})


def _own_application(request, pk):
    return get_object_or_404(
        Application.objects.select_related("project", "household").with_outcome(), pk=pk, applicant=request.user
    )


def _render_application(request, application, document_form=None, status=200):
    score = application.scores_newest_first[0] if application.scores_newest_first else None
    lines = score.lines.select_related("criterion", "checked_by") if score else []
    wait, similar = Application.objects.average_wait(application)
    context = {
        "application": application,
        "outcome": application.outcome(),
        "documents": application.documents.all(),
        "document_form": document_form or DocumentForm(),
        "score": score,
        "breakdown": rendering.score_table(score, lines) if score and score.eligible else "",
        "decisions": [ApplicationOutcome.of_decision(d) for d in application.closed_decisions],
        "average_wait": wait,
        "similar_count": similar,
        "explanation_requests": application.explanation_requests.all(),
        "occupancies": application.occupancies.select_related("unit__commune"),
    }
    return render(request, "housing/application.html", context, status=status)


@login_required
def application_detail(request, pk):
    return _render_application(request, _own_application(request, pk))


@login_required
@require_POST
def upload_document(request, pk):
    application = _own_application(request, pk)
    if not application.is_open:
        messages.error(request, _("This application is no longer waiting: documents can no longer be added."))
        return redirect(application)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_application(request, application, document_form=form, status=400)
    form.save(application)
    messages.success(request, _("Document received."))
    return redirect(application)


@login_required
@require_POST
def withdraw(request, pk):
    application = _own_application(request, pk)
    try:
        application.withdraw()
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect(application)


@login_required
@require_POST
def request_explanation(request, pk):
    application = _own_application(request, pk)
    ExplanationRequest.objects.create(application=application)
    messages.success(request, _("Your request is recorded: the housing service answers in writing within one month."))
    return redirect(application)


def _is_housing_staff(user):
    return user.has_perm("housing.view_supportingdocument")


@login_required
def document(request, pk):
    document = get_object_or_404(SupportingDocument.objects.select_related("application"), pk=pk)
    if document.application.applicant_id != request.user.pk and not _is_housing_staff(request.user):
        raise Http404
    return serve_private_file(
        document.file, filename=document.original_name, content_type=document.content_type, inline=True
    )


@login_required
def letter(request, pk):
    letter = get_object_or_404(NotificationLetter.objects.select_related("application"), pk=pk)
    if letter.application.applicant_id != request.user.pk and not _is_housing_staff(request.user):
        raise Http404
    return serve_private_file(
        letter.file, filename=f"decision-{letter.decision_id}.pdf", content_type="application/pdf", inline=True
    )


# Staff: ranking, meetings, proposals ---------------------------------------------


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
def staff_board(request):
    run = ScoringRun.objects.select_related("grid", "run_by").first()
    page = None
    if run:
        scores = (
            Score.objects.filter(run=run)
            .select_related("application__applicant", "application__project")
            .prefetch_related("lines__criterion")
            .order_by("application__scheme", "-eligible", "position", "pk")
        )
        page = Paginator(scores, RANKING_PER_PAGE).get_page(request.GET.get("page"))
    meetings = Meeting.objects.of_kind(*HOUSING_COMMITTEES).select_related("committee")[:20]
    return render(
        request,
        "housing/staff_board.html",
        {
            "run": run,
            "page": page,
            "scores": page.object_list if page else [],
            "page_range": page.paginator.get_elided_page_range(page.number) if page else [],
            "meetings": meetings,
            "grid": ScoringGrid.objects.in_force(),
            "waiting_explanations": ExplanationRequest.objects.waiting().count(),
        },
    )


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
@require_POST
def run_scoring(request):
    try:
        run = scoring.run_scoring(run_by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(count)s applications scored.") % {"count": run.scores.count()})
    return redirect("housing:staff-board")


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, _("Meeting planned. Record attendance, then add the units to allocate."))
        return redirect("housing:meeting", meeting.pk)
    return render(request, "housing/meeting_form.html", {"form": form})


def _meeting(pk):
    return get_object_or_404(
        Meeting.objects.select_related("committee").filter(committee__kind__in=HOUSING_COMMITTEES), pk=pk
    )


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
def meeting_detail(request, pk):
    meeting = _meeting(pk)
    items = meeting.items.select_related("housing_proposal__unit__commune").prefetch_related(
        "conflicts__membership", Prefetch("decisions", queryset=Decision.objects.current(), to_attr="current")
    )
    return render(
        request,
        "housing/meeting.html",
        {
            "meeting": meeting,
            "items": items,
            "attendance_form": AttendanceForm(meeting=meeting),
            "conflict_form": ConflictForm(meeting=meeting),
            "proposal_form": ProposalForm(initial={"available_from": timezone.localdate()}),
            "reschedule_form": RescheduleForm(initial={"starts_at": meeting.starts_at}),
            "reschedules": meeting.reschedules.select_related("changed_by"),
            "voters": meeting.present_voters().count(),
            "quorum": meeting.quorum_required(),
        },
    )


def _apply(request, meeting, action, success):
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("housing:meeting", meeting.pk)


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
@require_POST
def meeting_open(request, pk):
    meeting = _meeting(pk)
    return _apply(request, meeting, lambda: committee_services.open_meeting(meeting), _("The meeting is open."))


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
@require_POST
def meeting_close(request, pk):
    meeting = _meeting(pk)
    return _apply(
        request,
        meeting,
        lambda: housing_committee.close_and_notify(meeting, request.user),
        _("The meeting is closed; the applicants are notified of the decisions."),
    )


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
@require_POST
def meeting_reschedule(request, pk):
    meeting = _meeting(pk)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new date and time and say why the meeting is moved."))
        return redirect("housing:meeting", meeting.pk)
    data = form.cleaned_data
    return _apply(
        request,
        meeting,
        lambda: committee_services.reschedule_meeting(meeting, data["starts_at"], data["reason"], request.user),
        _("The meeting is rescheduled; the change is recorded in the minutes."),
    )


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
@require_POST
def meeting_attendance(request, pk):
    meeting = _meeting(pk)
    form = AttendanceForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Choose an attendance for every member."))
        return redirect("housing:meeting", meeting.pk)

    def save():
        with transaction.atomic():
            for membership, status in form.statuses():
                committee_services.set_attendance(meeting, membership, status)

    return _apply(request, meeting, save, _("Attendance recorded."))


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
@require_POST
def meeting_conflict(request, pk):
    meeting = _meeting(pk)
    form = ConflictForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Choose the case and the member, and say what the interest is."))
        return redirect("housing:meeting", meeting.pk)
    data = form.cleaned_data
    return _apply(
        request,
        meeting,
        lambda: committee_services.declare_conflict(data["item"], data["membership"], data["reason"]),
        _("Conflict of interest recorded: the member does not take part in this case."),
    )


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
@require_POST
def meeting_proposal(request, pk):
    meeting = _meeting(pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a unit and the date it is available."))
        return redirect("housing:meeting", meeting.pk)
    data = form.cleaned_data
    try:
        proposal = housing_committee.prepare_proposal(meeting, data["unit"], data["available_from"], request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("housing:meeting", meeting.pk)
    return redirect(proposal)


# What a proposal's page reads: the candidates, scores and units (housing), the meeting, its attendance, conflicts
# of interest and decisions (committees) and the applicants' names (accounts).
PROPOSAL_SCOPES = ("housing", "committees", "accounts", "accounts.user")  # accounts.user: the names
# The page's one <form>, holding only the CSRF token; the decision fields join it with form="...".
DECISIONS_FORM = "decisions"


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk):
    if request.method == "GET":
        # Everything but the CSRF token is the same for every officer (the fields hold the recorded decisions or
        # the proposal's defaults) and follows the data in its scopes: rendered once, not per visit.
        title, content = freshness.cached_fragment(
            "housing-proposal", PROPOSAL_SCOPES, lambda: _title_and_content(_load_proposal(pk)), vary=(pk,)
        )
        return _render_proposal(request, title, content)

    proposal = _load_proposal(pk)
    candidates = _candidates(proposal)
    formset = CandidateDecisionFormSet(request.POST)
    if formset.is_valid() and len(formset.forms) != len(candidates):
        formset._non_form_errors = formset.error_class(
            [_("The list of candidates has changed since the page was shown: check the decisions again.")]
        )
    elif formset.is_valid():
        choices = [
            housing_committee.Choice(
                candidate=candidate,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                rank=form.cleaned_data["rank"] if form.cleaned_data["outcome"] == Decision.Outcome.ACCEPTED else None,
                justification=form.cleaned_data["justification"],
            )
            for candidate, form in zip(candidates, formset.forms, strict=True)
        ]
        try:
            housing_committee.decide(proposal, choices, request.user)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("Decisions recorded. Close the meeting to notify the applicants."))
            return redirect("housing:meeting", proposal.item.meeting_id)
    # What this officer typed, with its errors: rendered for them only, never cached.
    return _render_proposal(request, proposal.item.title, _proposal_content(proposal, candidates, formset))


def _load_proposal(pk):
    return get_object_or_404(Proposal.objects.select_related("item__meeting__committee", "run__grid"), pk=pk)


def _title_and_content(proposal):
    return proposal.item.title, _proposal_content(proposal)


def _render_proposal(request, title, content):
    return render(request, "housing/proposal.html", {"title": title, "content": content, "form_id": DECISIONS_FORM})


def _candidates(proposal):
    return list(proposal.candidates.select_related("application__applicant", "application__project", "score"))


def _proposal_content(proposal, candidates=None, formset=None):
    """The page without its form tag: the meeting and quorum, one fieldset per candidate (who, their points,
    the decision fields), the applications the unit does not suit. Without a formset, the fields show the
    recorded decisions, or what the proposal suggests."""
    if candidates is None:
        candidates = _candidates(proposal)
    if formset is None:
        formset = CandidateDecisionFormSet(initial=_initial_choices(proposal, candidates))
    lines = ScoreLine.objects.select_related("criterion", "checked_by")
    prefetch_related_objects([c.score for c in candidates if c.score.eligible], Prefetch("lines", queryset=lines))
    rows = [
        {
            "candidate": candidate,
            "breakdown": rendering.score_table(candidate.score, candidate.score.lines.all())
            if candidate.score.eligible
            else "",
            "fields": rendering.decision_fields(form, DECISIONS_FORM),
        }
        for candidate, form in zip(candidates, formset.forms, strict=False)  # a form sent for another list
    ]
    meeting = proposal.item.meeting
    excluded = freshness.cached_fragment(
        "housing-proposal-excluded", PROPOSAL_SCOPES, lambda: _excluded_section(proposal), vary=(proposal.pk,)
    )
    return render_to_string(
        "housing/includes/_proposal.html",
        {
            "proposal": proposal,
            "meeting": meeting,
            "quorum": meeting.quorum_for(proposal.item),
            "errors": formset.non_form_errors(),
            "management_form": rendering.hidden_fields(formset.management_form, DECISIONS_FORM),
            "rows": rows,
            "excluded": excluded,
            "form_id": DECISIONS_FORM,
        },
    )


def _excluded_section(proposal):
    excluded, excluded_count = housing_committee.unsuited_scores(proposal.unit, proposal.run)
    return render_to_string(
        "housing/includes/_excluded.html", {"excluded": excluded, "excluded_more": excluded_count - len(excluded)}
    )


def _initial_choices(proposal, candidates):
    current = {d.subject_id: d for d in Decision.objects.current().filter(item=proposal.item)}
    initial = []
    for candidate in candidates:
        decision = current.get(candidate.application_id)
        if decision:
            initial.append(
                {
                    "outcome": decision.outcome,
                    "rank": decision.rank,
                    "reason": decision.reason,
                    "justification": decision.justification,
                }
            )
        elif candidate.proposed_rank is None:
            initial.append({"outcome": Decision.Outcome.INADMISSIBLE, "reason": candidate.score.ineligibility_reason})
        elif candidate.proposed_rank <= 3:
            initial.append({"outcome": Decision.Outcome.ACCEPTED, "rank": candidate.proposed_rank})
        else:
            initial.append({"outcome": Decision.Outcome.REJECTED})
    return initial


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
def meeting_minutes(request, pk):
    meeting = _meeting(pk)
    pdf = minutes_pdf(meeting, "housing/minutes.html")
    filename = f"pv-commission-{meeting.starts_at:%Y-%m-%d}.pdf"
    return serve_private_file(pdf, filename=filename, content_type="application/pdf", inline=True)


# Staff: occupancy, timeline, statistics ---------------------------------------------


@login_required
@permission_required("housing.add_occupancyagreement", raise_exception=True)
@require_http_methods(["GET", "POST"])
def occupancy_create(request, application_pk):
    application = get_object_or_404(
        Application.objects.select_related("applicant", "project"),
        pk=application_pk,
        status=Application.Status.ALLOCATED,
    )
    unit = _allocated_unit(application)
    agreement = OccupancyAgreement(
        application=application,
        occupant=application.applicant,
        scheme=application.scheme,
        profile=application.project.kind,
        created_by=request.user,
    )
    initial = {"start_date": application.desired_start, "end_date": application.desired_end}
    if unit:
        initial.update(unit=unit, rent=unit.rent, charges=unit.charges)
        if unit.is_free:
            initial["legal_type"] = OccupancyAgreement.LegalType.LOAN
    form = OccupancyForm(request.POST or None, instance=agreement, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            OccupancyAgreement.objects.allocate(form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Occupancy agreement recorded."))
            return redirect("housing:timeline")
    return render(request, "housing/occupancy_form.html", {"form": form, "application": application})


def _allocated_unit(application):
    decision = (
        Decision.objects.current()
        .for_subject(application)
        .filter(outcome=Decision.Outcome.ACCEPTED, rank=1)
        .select_related("item__housing_proposal__unit")
        .first()
    )
    return decision.item.housing_proposal.unit if decision else None


@login_required
@permission_required("housing.add_occupancyagreement", raise_exception=True)
@require_http_methods(["GET", "POST"])
def occupancy_renew(request, pk):
    agreement = get_object_or_404(OccupancyAgreement.objects.select_related("unit", "occupant"), pk=pk)
    form = RenewalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement.renew(form.cleaned_data["end_date"], created_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Renewal recorded."))
            return redirect("housing:timeline")
    return render(request, "housing/occupancy_renew.html", {"form": form, "agreement": agreement})


@login_required
@permission_required("housing.change_explanationrequest", raise_exception=True)
def explanation_requests(request):
    requests_ = ExplanationRequest.objects.select_related("application__applicant", "answered_by").order_by(
        F("answered_at").asc(nulls_first=True), "requested_at"
    )
    return render(request, "housing/explanation_requests.html", {"requests": requests_[:200]})


@login_required
@permission_required("housing.change_explanationrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def explanation_answer(request, pk):
    explanation_request = get_object_or_404(
        ExplanationRequest.objects.select_related("application__applicant", "application__project"), pk=pk
    )
    draft, score = explanation.draft_answer(explanation_request)
    form = ExplanationAnswerForm(request.POST or None, initial={"answer": draft})
    if request.method == "POST" and explanation_request.answered_at is None and form.is_valid():
        try:
            with transaction.atomic():
                explanation_request.send(form.cleaned_data["answer"], score, request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answer is sent to the applicant and kept in their portal."))
            return redirect("housing:explanations")
    context = {"explanation_request": explanation_request, "form": form, "score": score}
    return render(request, "housing/explanation_answer.html", context)


@login_required
@permission_required("housing.view_occupancyagreement", raise_exception=True)
def timeline_view(request):
    start = timezone.localdate()
    months = 6
    return render(request, "housing/timeline.html", timeline.build(start, months))


@login_required
@permission_required("housing.export_statistics", raise_exception=True)
def statistics_export(request, year, fmt):
    if fmt not in {"csv", "xlsx"} or not (2000 <= year <= datetime.date.today().year + 1):
        raise Http404
    content, content_type = stats.export(year, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="logement-statistiques-{year}.{fmt}"'
    return response


@login_required
@permission_required("housing.export_statistics", raise_exception=True)
def statistics(request):
    years = range(timezone.localdate().year, timezone.localdate().year - 5, -1)
    return render(
        request, "housing/statistics.html", {"years": years, "summary": stats.summary(timezone.localdate().year)}
    )
