from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import InstallationProject
from core import ratelimit
from core.emails import send_templated_email
from core.storage import serve_private_file
from journey import checklists, selection, services
from journey.forms import (
    AdvanceForm,
    ArrivalForm,
    BoardFilterForm,
    BusinessForm,
    CheckInForm,
    CloseForm,
    ConvertForm,
    DocumentForm,
    EnquiryForm,
    OfferForm,
    RefusalForm,
)
from journey.models import CheckIn, Document, Enquiry, Step

Stage = InstallationProject.Stage
VIEW = "journey.view_board"
MANAGE = "journey.manage_journey"


def _error_text(error):
    return " ".join(error.messages)


# Public and newcomer pages ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def enquire(request):
    form = EnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := ratelimit.stop(ratelimit.ENQUIRY, request, form):
            return ratelimit.refuse(render(request, "journey/enquire.html", {"form": form}), wait)
        ratelimit.count(ratelimit.ENQUIRY, request, form.cleaned_data["email"])
        enquiry = form.save(commit=False)
        enquiry.source = Enquiry.Source.WEBSITE
        enquiry.email = enquiry.email.lower()
        enquiry.save()
        messages.success(request, _("Thank you: a referent of the newcomer service will contact you within a week."))
        return redirect("journey:enquire")
    return render(request, "journey/enquire.html", {"form": form})


def _my_project(request):
    return (
        InstallationProject.objects.select_related("referent", "target_commune", "newcomer")
        .filter(newcomer=request.user)
        .first()
    )


@login_required
@require_http_methods(["GET"])
def mine(request):
    project = _my_project(request)
    if project is None:
        messages.info(request, _("Describe your project first: your journey starts there."))
        return redirect("accounts:project")
    return _render_mine(request, project, DocumentForm())


def _render_mine(request, project, form):
    facts = checklists.Facts(project)
    context = {
        "project": project,
        "lines": checklists.checklist(project.stage, facts),
        "documents": project.documents.all(),
        "business": facts.business,
        "checkins": project.checkins.all(),
        "form": form,
    }
    return render(request, "journey/mine.html", context)


@login_required
@require_POST
def upload(request):
    project = _my_project(request)
    if project is None:
        raise Http404
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_mine(request, project, form)
    document = form.save(commit=False)
    document.project = project
    document.original_name = form.cleaned_data["file"].name[:200]
    document.content_type = form.cleaned_data["file"].content_type
    document.save()
    messages.success(request, _("Your document is sent: your referent will review it."))
    return redirect("journey:mine")


@login_required
def document_file(request, pk):
    document = get_object_or_404(Document.objects.select_related("project"), pk=pk)
    if document.project.newcomer_id != request.user.pk and not request.user.has_perm("journey.view_document"):
        raise Http404
    return serve_private_file(document.file, filename=document.original_name, content_type=document.content_type)


@login_required
@require_http_methods(["GET", "POST"])
def my_business(request):
    project = _my_project(request)
    if project is None:
        raise Http404
    form = BusinessForm(request.POST or None, instance=getattr(project, "business", None))
    if request.method == "POST" and form.is_valid():
        business = form.save(commit=False)
        business.project = project
        business.save()
        services.reschedule_if_following(project)
        messages.success(request, _("Your business is saved."))
        return redirect("journey:mine")
    return render(request, "journey/fact_form.html", {"form": form, "title": _("My business"), "project": project})


# Staff pages -------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def board(request):
    today = timezone.localdate()
    overdue = CheckIn.objects.overdue(today)
    filters = BoardFilterForm(request.GET or None)
    projects = filters.filter(
        InstallationProject.objects.select_related("newcomer", "referent", "target_commune")
        .annotate(has_overdue=Exists(overdue.filter(project=OuterRef("pk"))))
        .order_by("stage_changed_at"),
        today,
    )
    columns = {value: [] for value in Stage.values}
    for project in projects:
        columns[project.stage].append(project)
    my_overdue = overdue.filter(project__referent=request.user).select_related("project__newcomer")
    context = {
        "filters": filters,
        "columns": [(Stage(value), columns[value]) for value in Stage.values],
        "total": sum(len(c) for c in columns.values()),
        "my_overdue": my_overdue,
        "today": today,
    }
    return render(request, "journey/board.html", context)


def _staff_project(pk):
    return get_object_or_404(
        InstallationProject.objects.select_related("newcomer", "referent", "target_commune"), pk=pk
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def project_detail(request, pk, advance_form=None, close_form=None):
    project = _staff_project(pk)
    facts = checklists.Facts(project)
    stages = [(Stage(stage), checklists.checklist(stage, facts)) for stage in Stage.values]
    context = {
        "project": project,
        "facts": facts,
        "stages": stages,
        "documents": project.documents.select_related("reviewed_by"),
        "checkins": project.checkins.all(),
        "history": project.stage_changes.select_related("changed_by"),
        "enquiries": project.enquiries.all(),
        "advance_form": advance_form or AdvanceForm(project=project),
        "close_form": close_form or CloseForm(),
        "refusal_form": RefusalForm(),
        "decisions": selection.decisions(project),
        "agenda_items": selection.agenda_items(project),
        "meetings": selection.upcoming_meetings(),
        "today": timezone.localdate(),
    }
    return render(request, "journey/project.html", context)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def advance(request, pk):
    project = _staff_project(pk)
    form = AdvanceForm(request.POST, project=project)
    if form.is_valid():
        try:
            services.advance(project, form.cleaned_data["to_stage"], request.user, form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return project_detail(request, pk, advance_form=form)
        messages.success(
            request, _("The project is now at stage “%(stage)s”.") % {"stage": project.get_stage_display()}
        )
        return redirect("journey:project", pk=pk)
    return project_detail(request, pk, advance_form=form)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def close(request, pk):
    project = _staff_project(pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.close(project, data["outcome"], request.user, data["reason"], data["closed_on"])
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return project_detail(request, pk, close_form=form)
        messages.success(request, _("The journey is closed."))
        return redirect("journey:project", pk=pk)
    return project_detail(request, pk, close_form=form)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def tick_step(request, pk, key):
    project = _staff_project(pk)
    if key not in checklists.STEP_KEYS:
        raise Http404
    if request.POST.get("undo"):
        Step.objects.filter(project=project, key=key).delete()
    else:
        Step.objects.get_or_create(
            project=project, key=key, defaults={"done_by": request.user, "note": request.POST.get("note", "")[:250]}
        )
    return redirect("journey:project", pk=pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def review_document(request, pk):
    document = get_object_or_404(Document.objects.select_related("project__newcomer"), pk=pk)
    if request.POST.get("action") == "validate":
        document.validate(request.user)
        messages.success(request, _("The document is validated."))
        return redirect("journey:project", pk=document.project_id)
    form = RefusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the document is refused."))
        return redirect("journey:project", pk=document.project_id)
    document.refuse(request.user, form.cleaned_data["reason"])
    newcomer = document.project.newcomer
    send_templated_email(
        newcomer.email,
        "journey_document_refused",
        {"document": document, "name": newcomer.first_name},
        language=newcomer.preferred_language,
    )
    messages.success(request, _("The document is refused; the newcomer is told why by email."))
    return redirect("journey:project", pk=document.project_id)


FACT_FORMS = {
    "offer": (OfferForm, _("Offer")),
    "arrival": (ArrivalForm, _("Arrival in the territory")),
    "business": (BusinessForm, _("Business")),
}


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def edit_fact(request, pk, fact):
    if fact not in FACT_FORMS:
        raise Http404
    project = _staff_project(pk)
    form_class, title = FACT_FORMS[fact]
    form = form_class(request.POST or None, instance=getattr(project, fact, None))
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        instance.project = project
        instance.save()
        services.reschedule_if_following(project)
        messages.success(request, _("Saved."))
        return redirect("journey:project", pk=pk)
    return render(request, "journey/fact_form.html", {"form": form, "title": title, "project": project})


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def record_checkin(request, pk):
    checkin = get_object_or_404(CheckIn.objects.select_related("project__newcomer", "project__business"), pk=pk)
    form = CheckInForm(request.POST or None, instance=checkin)
    if request.method == "POST" and form.is_valid():
        services.record_checkin(form.save(commit=False), request.user)
        messages.success(request, _("The check-in is recorded."))
        return redirect("journey:project", pk=checkin.project_id)
    return render(request, "journey/checkin_form.html", {"form": form, "checkin": checkin, "project": checkin.project})


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def put_on_agenda(request, pk):
    project = _staff_project(pk)
    meeting = get_object_or_404(selection.upcoming_meetings(), pk=request.POST.get("meeting") or 0)
    selection.put_on_agenda(project, meeting)
    messages.success(request, _("The project is on the agenda of %(meeting)s.") % {"meeting": meeting})
    return redirect("journey:project", pk=pk)


@login_required
@permission_required("journey.view_enquiry", raise_exception=True)
def enquiries(request):
    status = request.GET.get("status") or Enquiry.Status.NEW
    queryset = Enquiry.objects.select_related("project__newcomer")
    if status in Enquiry.Status.values:
        queryset = queryset.filter(status=status)
    counts = dict(Enquiry.objects.values_list("status").annotate(n=Count("pk")).order_by())
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    statuses = [(value, label, counts.get(value, 0)) for value, label in Enquiry.Status.choices]
    return render(
        request,
        "journey/enquiries.html",
        {"page": page, "status": status, "statuses": statuses, "convert_form": ConvertForm()},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def convert_enquiry(request, pk):
    enquiry = get_object_or_404(Enquiry, pk=pk)
    form = ConvertForm(request.POST)
    referent = form.cleaned_data["referent"] if form.is_valid() else None
    try:
        project = services.convert_enquiry(enquiry, referent, request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("journey:enquiries")
    messages.success(request, _("The enquiry is now an installation project."))
    return redirect("journey:project", pk=project.pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def drop_enquiry(request, pk):
    enquiry = get_object_or_404(Enquiry.objects.exclude(status=Enquiry.Status.CONVERTED), pk=pk)
    enquiry.status = Enquiry.Status.DROPPED
    enquiry.save(update_fields=["status"])
    return redirect("journey:enquiries")
