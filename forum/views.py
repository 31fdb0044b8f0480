"""Public pages: registration (no account needed), programme, live seats, and the private registration link."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core import query as parameters
from core import ratelimit
from forum import booking, certificates, leads, registration_page, tickets, waiting
from forum.forms import ChangeWorkshopsForm, RegistrationForm, ResendLinkForm, attendee_formset
from forum.models import Edition, Registration, Seat, Talk, Workshop
from telecentre import freshness, pagecache
from telecentre.pagecache import PLACEHOLDER as CSRF_PLACEHOLDER

FIELD_FOR_CODE = {"overlap": "workshops", "full": "workshops", "unknown": "workshops", "duplicate_email": "email"}


def current_edition():
    """The edition people register for, from the cache (its attendee_total is read again under lock)."""
    return registration_page.programme()[0]


@never_cache
@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "POST":
        return _post(request)
    edition, workshops = registration_page.programme()
    if edition is None:
        return render(request, "forum/no_edition.html")
    if pagecache.cacheable(request):
        # An anonymous visitor: the whole page from the cache, with their token, a new key and the seats left.
        render_page = partial(_anonymous_page, request, edition, workshops)
        return HttpResponse(registration_page.anonymous_page_html(request, edition, render_page))
    form, formset = _empty_forms(edition, workshops)
    context = _index_context(edition, form, formset)
    if context["registration_open"]:
        render_form = partial(registration_page.form_with_placeholders, edition, workshops, form, formset)
        context["form_html"] = registration_page.empty_form_html(request, edition, render_form)
    return render(request, "forum/index.html", context)


def _empty_forms(edition, workshops):
    return RegistrationForm(edition=edition, workshops=workshops), attendee_formset()


def _anonymous_page(request, edition, workshops):
    """The page for anonymous visitors, with placeholders where each visitor's own values go."""
    context = _index_context(edition, *_empty_forms(edition, workshops))
    if context["registration_open"]:
        context["form_html"] = registration_page.form_with_placeholders(
            edition, workshops, context["form"], context["formset"]
        )
    context["csrf_token"] = CSRF_PLACEHOLDER
    return render_to_string("forum/index.html", context, request=request)


def _post(request):
    # The programme and the commune the visitor comes from, in one go from the cache.
    fragments = [registration_page.programme_fragment(), booking.commune_fragment(request.POST.get("origin", ""))]
    (edition, workshops), (commune_id,) = freshness.cached_fragments(fragments)
    if edition is None:
        return render(request, "forum/no_edition.html")
    form = RegistrationForm(request.POST, edition=edition, workshops=workshops)
    formset = attendee_formset(request.POST)
    if form.is_spam():
        # Silently discard what robots send; people never see this field.
        return render(request, "forum/spam.html", status=400)
    # Only registrations made count against the client and the address (_register): a form refused for its
    # own errors costs nothing, so nobody can block someone else's address with bad posts.
    wait = ratelimit.retry_after(ratelimit.FORUM_REGISTRATION, request, form.data.get("email", ""))
    if wait:
        form.add_error(None, ratelimit.retry_message(wait))
        status = 429
    elif not edition.registration_is_open():
        form.add_error(None, _("Registration for this forum is closed."))
        status = 400
    elif form.is_valid() and formset.is_valid():
        response = _register(request, edition, form, formset, commune_id)
        if response:
            return response
        status = 400
    else:
        status = 400
    form.show_seats(registration_page.seat_labels(edition))
    response = render(request, "forum/index.html", _index_context(edition, form, formset), status=status)
    return ratelimit.refuse(response, wait) if wait else response


def _register(request, edition, form, formset, commune_id):
    """Book the seats; on a rule broken, put the error on the form and return None.

    The confirmation email (tickets as QR codes, calendar file) is queued with the registration and rendered
    by the task worker: the visitor does not wait for it.
    """
    booker = {**form.booker(), "origin_commune_id": commune_id}
    people = [{**booker, "profile": form.cleaned_data["profile"], "email": booker["email"]}, *formset.people()]
    try:
        outcome = booking.register(
            edition,
            booker=booker,
            people=people,
            workshop_ids=[w.pk for w in form.cleaned_data["workshops"]],
            waitlist_if_full=form.cleaned_data["waitlist_if_full"],
            idempotency_key=form.cleaned_data["idempotency_key"],
            user=request.user,
            language=get_language() or "fr",
        )
    except ValidationError as error:
        form.add_error(FIELD_FOR_CODE.get(error.code), error)
        return None
    registration = outcome.registration
    if outcome.created:
        ratelimit.count(ratelimit.FORUM_REGISTRATION, request, registration.email)
        if registration.moving_consent_at:
            transaction.on_commit(lambda: leads.pass_on(registration))
        messages.success(request, _("You are registered. Your tickets are on their way to your mailbox."))
        for workshop in outcome.waitlisted:
            messages.info(
                request,
                _("“%(title)s” is full: your group is on its waiting list.") % {"title": workshop.title},
            )
    return redirect(registration)


def _index_context(edition, form, formset):
    return {
        "edition": edition,
        "form": form,
        "formset": formset,
        "registration_open": edition.registration_is_open(),
        "opens_later": timezone.now() < edition.registration_opens_at,
    }


def programme(request):
    edition = current_edition()
    if edition is None:
        return render(request, "forum/no_edition.html")
    if year := parameters.integer(request.GET, "year", minimum=1, maximum=9999):
        edition = get_object_or_404(Edition.objects.published(), year=year)
    talks = Talk.objects.filter(edition=edition).prefetch_related("speakers")
    workshops = Workshop.objects.filter(edition=edition).with_remaining().prefetch_related("speakers")
    items = sorted([*talks, *workshops], key=lambda item: (item.starts_at, item.room))
    return render(
        request,
        "forum/programme.html",
        {"edition": edition, "items": items, "exhibitors": edition.exhibitors.all()},
    )


@never_cache
def seats(request):
    """Remaining seats per workshop of the current edition, for the registration page's live refresh."""
    edition = current_edition()
    found = registration_page.seats(edition) if edition else {}
    return JsonResponse({"workshops": [{"id": pk, "remaining": n, "label": label} for pk, (n, label) in found.items()]})


def _registration(token):
    """The registration a private link opens; unknown or anonymised tokens are a 404."""
    if not token or len(token) > 64:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("edition").prefetch_related(
            Prefetch("seats", queryset=Seat.objects.select_related("workshop", "attendee"))
        ),
        token=token,
        anonymised_at__isnull=True,
    )


def _manage_page(request, registration, form, status=200):
    """The registration's page: its people with their tickets, workshops, waiting lists, certificates, form."""
    attendees = list(registration.attendees.all())
    for attendee in attendees:
        attendee.qr = tickets.qr_svg_data_uri(attendee.code)
    form.show_seats(registration_page.seat_labels(registration.edition))
    context = {
        "registration": registration,
        "attendees": attendees,
        "workshops": registration.workshops(),
        "form": form,
        "active": registration.link_is_active(),
        "waiting_entries": waiting.entries_for(registration),
        "attended": certificates.attended_workshops(registration),
    }
    return render(request, "forum/manage.html", context, status=status)


@never_cache
def manage(request, token):
    registration = _registration(token)
    form = ChangeWorkshopsForm(
        edition=registration.edition, initial={"workshops": [s.workshop_id for s in registration.seats.all()]}
    )
    return _manage_page(request, registration, form)


@require_POST
def change_workshops(request, token):
    registration = _registration(token)
    form = ChangeWorkshopsForm(request.POST, edition=registration.edition)
    if not registration.link_is_active():
        messages.error(request, _("This link has expired: the forum is over or the registration was cancelled."))
        return redirect(registration)
    if form.is_valid():
        try:
            outcome = booking.change_workshops(
                registration, [w.pk for w in form.cleaned_data["workshops"]], form.cleaned_data["waitlist_if_full"]
            )
        except ValidationError as error:
            form.add_error("workshops", error)
        else:
            messages.success(request, _("Your workshops are updated."))
            for workshop in outcome.waitlisted:
                messages.info(
                    request, _("“%(title)s” is full: you are on its waiting list.") % {"title": workshop.title}
                )
            return redirect(registration)
    return _manage_page(request, registration, form, status=400)


@require_POST
def cancel(request, token):
    registration = _registration(token)
    if not registration.link_is_active():
        messages.error(request, _("This link has expired: the forum is over or the registration was cancelled."))
        return redirect(registration)
    booking.cancel(registration)
    messages.success(request, _("Your registration is cancelled. Your seats go to the people on the waiting list."))
    return redirect(registration)


def calendar(request, token):
    registration = _registration(token)
    response = HttpResponse(tickets.calendar_file(registration), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="forum-{registration.edition.year}.ics"'
    return response


def certificate(request, token, workshop_pk):
    registration = _registration(token)
    workshop = get_object_or_404(Workshop, pk=workshop_pk, edition=registration.edition)
    seats = Seat.objects.filter(registration=registration, workshop=workshop, checked_in_at__isnull=False)
    if not seats.exists():
        raise Http404
    return certificates.pdf_response(workshop, seats)


@require_http_methods(["GET", "POST"])
def resend_link(request):
    """Send the private link again to an address that registered (same answer either way)."""
    form = ResendLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if wait := ratelimit.retry_after(ratelimit.FORUM_RESEND, request, email):
            form.add_error(None, ratelimit.retry_message(wait))
            return ratelimit.refuse(render(request, "forum/resend_link.html", {"form": form}), wait)
        # Counted whether or not the address is registered: the answer must not tell.
        ratelimit.count(ratelimit.FORUM_RESEND, request, email)
        edition = current_edition()
        registration = Registration.objects.confirmed().filter(edition=edition, email__iexact=email).first()
        if registration:
            tickets.queue_ticket(registration)
        messages.success(
            request, _("If this address is registered for the forum, its private link is on its way by email.")
        )
        return redirect("forum:resend-link")
    return render(request, "forum/resend_link.html", {"form": form})
