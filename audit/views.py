from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from audit.actions import label
from audit.middleware import FIELDS_SENT
from audit.models import AuditEvent
from core import query as parameters


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
def index(request):
    """Staff actions from custom screens, and admin changes (Django's LogEntry), newest first, in words."""
    query = parameters.text(request.GET, "q")
    events = AuditEvent.objects.select_related("target_type")
    admin_entries = LogEntry.objects.select_related("user", "content_type")
    if query:
        events = events.filter(target_label__icontains=query) | events.filter(actor_label__icontains=query)
        admin_entries = admin_entries.filter(object_repr__icontains=query) | admin_entries.filter(
            user__email__icontains=query
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        describe(event, request.user)
    return render(
        request,
        "audit/index.html",
        {"page": page, "admin_entries": admin_entries[:50], "query": query},
    )


def describe(event, reader):
    """Attach what the page shows: the action in words, a link to the actor and to the record, and the
    changed fields under their names."""
    event.label = label(event.action)
    can_see_people = reader.has_perm("accounts.view_user")
    event.actor_url = reverse("person", args=[event.actor_id]) if event.actor_id and can_see_people else ""
    event.target_url = ""
    model = event.target_type.model_class() if event.target_type else None
    if model is not None and event.target_id:
        if model is get_user_model():
            event.target_url = reverse("person", args=[event.target_id]) if can_see_people else ""
        elif admin.site.is_registered(model) and reader.has_perm(
            f"{model._meta.app_label}.view_{model._meta.model_name}"
        ):
            try:
                event.target_url = reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[event.target_id]
                )
            except NoReverseMatch:
                pass
    sent = event.changes.get(FIELDS_SENT)
    event.fields_sent = [field_name(model, name) for name in sent[1].split(", ")] if sent and sent[1] else []
    event.changed = [(field_name(model, name), values) for name, values in event.changes.items() if name != FIELDS_SENT]


def field_name(model, name):
    """A field's verbose name on the record's model, or its name when the model has no such field."""
    if model is None:
        return name
    try:
        return getattr(model._meta.get_field(name), "verbose_name", name)
    except FieldDoesNotExist:
        return name
