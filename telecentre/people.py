"""Staff find a person by name or email and read their whole record on one page: each app adds what it knows
of them (`staff_person(viewer, person)` in its sections module), within the viewer's permissions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import search
from accounts.models import User
from core import query as parameters
from journey.forms import ContactForm
from telecentre import sections

RESULTS = 50


@login_required
@permission_required("accounts.view_user", raise_exception=True)
def people(request):
    text = parameters.text(request.GET, "q", max_length=100).strip()
    found = []
    if text:
        found = list(search.matching(User.objects.all(), text).order_by("last_name", "first_name", "pk")[: RESULTS + 1])
    return render(
        request,
        "staff/people.html",
        {"q": text, "people": found[:RESULTS], "more": len(found) > RESULTS, "limit": RESULTS},
    )


@login_required
@permission_required("accounts.view_user", raise_exception=True)
def person(request, pk, status=200):
    person = get_object_or_404(User, pk=pk)
    cards = []
    for module in sections.modules():
        card = getattr(module, "staff_person", None) and module.staff_person(request, person)
        if card:
            template, context = card
            html = render_to_string(template, {"person": person, **context}, request)
            cards.append(mark_safe(html))  # noqa: S308 - rendered by our own templates, escaped there
    return render(request, "staff/person.html", {"person": person, "cards": cards}, status=status)


@login_required
@permission_required("journey.add_contact", raise_exception=True)
@require_POST
def add_contact(request, pk):
    """A call, an email, a meeting or a note in the person's contacts log (journey.Contact)."""
    person_ = get_object_or_404(User, pk=pk)
    form = ContactForm(request.POST)
    if not form.is_valid():
        # The record again, with what was typed and the errors next to their fields.
        request.contact_form = form
        return person(request, pk, status=400)
    contact = form.save(commit=False)
    contact.person, contact.recorded_by = person_, request.user
    contact.save()
    messages.success(request, _("The contact is in the log."))
    return redirect("person", pk)
