from django.contrib.admin.models import LogEntry
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from audit.models import AuditEvent
from core import query as parameters


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
def index(request):
    """Staff actions from custom screens, and admin changes (Django's LogEntry), newest first."""
    query = parameters.text(request.GET, "q")
    events = AuditEvent.objects.select_related("target_type")
    admin_entries = LogEntry.objects.select_related("user", "content_type")
    if query:
        events = events.filter(target_label__icontains=query) | events.filter(actor_label__icontains=query)
        admin_entries = admin_entries.filter(object_repr__icontains=query) | admin_entries.filter(
            user__email__icontains=query
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/index.html",
        {"page": page, "admin_entries": admin_entries[:50], "query": query},
    )
