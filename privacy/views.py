import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import ratelimit
from privacy import export, processing
from privacy.forms import AccessibilityReportForm, DataRequestForm
from privacy.models import DataRequest


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data_request = form.save(commit=False)
        data_request.user = request.user
        data_request.email = request.user.email
        data_request.save()
        messages.success(
            request,
            _("Your request is registered. We will answer by %(date)s at the latest.")
            % {"date": data_request.due_on.strftime("%d/%m/%Y")},
        )
        return redirect("privacy:my-data")
    return render(
        request,
        "privacy/my_data.html",
        {"form": form, "requests": DataRequest.objects.filter(user=request.user).order_by("-received_at")},
    )


@login_required
def export_json(request):
    payload = {
        "exported_at": timezone.localtime().isoformat(),
        "data": export.as_json(export.collect(request.user)),
    }
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-telecentre.json"'
    return response


@login_required
def export_html(request):
    sections = export.as_readable(export.collect(request.user))
    return render(request, "privacy/export.html", {"sections": sections, "now": timezone.now()})


@login_required
@permission_required("privacy.view_datarequest", raise_exception=True)
def register(request):
    return render(
        request,
        "privacy/register.html",
        {"activities": processing.activities(), "security_measures": processing.SECURITY_MEASURES},
    )


@login_required
@permission_required("privacy.view_datarequest", raise_exception=True)
def requests(request):
    open_requests = DataRequest.objects.open().select_related("user", "handled_by")
    return render(request, "privacy/requests.html", {"requests": open_requests, "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
def accessibility_report(request):
    initial = {"page_url": request.GET.get("page", "")[:500]}
    if request.user.is_authenticated:
        initial.update(name=request.user.get_full_name(), email=request.user.email)
    form = AccessibilityReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if wait := ratelimit.stop(ratelimit.ACCESSIBILITY_REPORT, request, form):
            return ratelimit.refuse(render(request, "privacy/accessibility_report.html", {"form": form}), wait)
        ratelimit.count(ratelimit.ACCESSIBILITY_REPORT, request, form.cleaned_data["email"])
        form.save()
        messages.success(request, _("Thank you: your report is registered and the team will answer you by email."))
        return redirect("accessibility")
    return render(request, "privacy/accessibility_report.html", {"form": form})
