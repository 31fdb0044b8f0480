"""Staff screens: check-in on the day, walk-ins, statistics, emails after the forum, certificates, leads."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import record as audit_record
from core import query as parameters
from core import ratelimit
from core.emails import send_templated_email
from forum import booking, certificates, leads
from forum.forms import CheckInCodeForm, LiftBlockForm, MailingForm, WalkInForm
from forum.models import Attendee, Edition, Profile, Registration, Seat, Workshop
from forum.views import current_edition

SEARCH_LIMIT = 30


def _edition(request):
    # An edition is looked up by its year: any year a date can hold, not only the years pages show.
    edition_year = partial(parameters.integer, name="edition", minimum=1, maximum=9999)
    if year := edition_year(request.GET) or edition_year(request.POST):
        return get_object_or_404(Edition, year=year)
    edition = current_edition() or Edition.objects.order_by("-year").first()
    if edition is None:
        raise Http404("No forum edition exists yet.")
    return edition


def _location(edition, value):
    """The workshop whose room is being checked in, or None for the entrance."""
    if value is not None:
        return Workshop.objects.filter(edition=edition, pk=value).first()
    return None


@login_required
@permission_required("forum.check_in", raise_exception=True)
def checkin(request):
    edition = _edition(request)
    location = _location(edition, parameters.integer(request.GET, "at"))
    query = parameters.text(request.GET, "q")
    attendees = []
    if query:
        attendees = (
            Attendee.objects.filter(registration__edition=edition, registration__status=Registration.Status.CONFIRMED)
            .filter(
                Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
                | Q(registration__last_name__icontains=query)
                | Q(registration__email__icontains=query)
                | Q(code=query.upper())
            )
            .select_related("registration")
            .prefetch_related("seats")[:SEARCH_LIMIT]
        )
    return render(
        request,
        "forum/staff/checkin.html",
        {
            "edition": edition,
            "location": location,
            "workshops": Workshop.objects.filter(edition=edition).order_by("starts_at"),
            "query": query,
            "attendees": attendees,
            "code_form": CheckInCodeForm(),
            "arrived": Attendee.objects.filter(registration__edition=edition, checked_in_at__isnull=False).count(),
        },
    )


def check_in_attendee(attendee, location, by):
    """Mark arrival at the entrance or in a workshop room; returns (ok, message)."""
    name = attendee.full_name
    if attendee.registration.status != Registration.Status.CONFIRMED:
        return False, _("%(name)s: this registration was cancelled.") % {"name": name}
    if location is None:
        if attendee.check_in(by):
            return True, _("%(name)s is checked in. Welcome!") % {"name": name}
        return True, _("%(name)s was already checked in.") % {"name": name}
    seat = Seat.objects.filter(attendee=attendee, workshop=location).first()
    if seat is None:
        return False, _("%(name)s has no seat in “%(workshop)s”.") % {"name": name, "workshop": location.title}
    attendee.check_in(by)
    if seat.check_in():
        return True, _("%(name)s is checked in to “%(workshop)s”.") % {"name": name, "workshop": location.title}
    return True, _("%(name)s was already checked in to “%(workshop)s”.") % {"name": name, "workshop": location.title}


@login_required
@permission_required("forum.check_in", raise_exception=True)
@require_POST
def checkin_scan(request):
    """A scanned or typed ticket code: JSON for the scanner script, a redirect with a message otherwise."""
    edition = _edition(request)
    location = _location(edition, parameters.integer(request.POST, "at"))
    form = CheckInCodeForm(request.POST)
    attendee = None
    if form.is_valid():
        attendee = (
            Attendee.objects.select_related("registration")
            .filter(code=form.cleaned_data["code"], registration__edition=edition)
            .first()
        )
    if attendee is None:
        ok, message = False, _("Unknown ticket code: check it, or search the person by name.")
    else:
        with transaction.atomic():
            ok, message = check_in_attendee(attendee, location, request.user)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": ok, "message": message}, status=200 if ok else 404)
    (messages.success if ok else messages.error)(request, message)
    return _back_to_checkin(edition, location)


def _back_to_checkin(edition, location, query=""):
    params = {"edition": edition.year}
    if location:
        params["at"] = location.pk
    if query:
        params["q"] = query
    return redirect(f"{reverse('forum:checkin')}?{urlencode(params)}")


@login_required
@permission_required("forum.check_in", raise_exception=True)
@require_POST
def checkin_attendee(request, pk):
    attendee = get_object_or_404(Attendee.objects.select_related("registration__edition"), pk=pk)
    edition = attendee.registration.edition
    location = _location(edition, parameters.integer(request.POST, "at"))
    with transaction.atomic():
        ok, message = check_in_attendee(attendee, location, request.user)
    (messages.success if ok else messages.error)(request, message)
    return _back_to_checkin(edition, location, request.POST.get("q", ""))


@login_required
@permission_required("forum.check_in", raise_exception=True)
@require_http_methods(["GET", "POST"])
def walk_in(request):
    edition = _edition(request)
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendee = booking.register_walk_in(edition, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error("email" if error.code == "duplicate_email" else None, error)
        else:
            messages.success(request, _("%(name)s is registered and checked in.") % {"name": attendee.full_name})
            return redirect(f"{reverse('forum:walk-in')}?edition={edition.year}")
    return render(request, "forum/staff/walk_in.html", {"edition": edition, "form": form})


def statistics_for(edition):
    attendees = Attendee.objects.filter(registration__edition=edition, registration__status="confirmed")
    came = Q(checked_in_at__isnull=False)
    totals = attendees.aggregate(
        people=Count("pk"),
        came=Count("pk", filter=came),
        walk_ins=Count("pk", filter=Q(registration__source=Registration.Source.WALK_IN)),
    )
    registrations = Registration.objects.filter(edition=edition).aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        cancelled=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
        would_move=Count("pk", filter=Q(status="confirmed", moving_consent_at__isnull=False)),
        passed_on=Count("pk", filter=Q(enquiry_sent_at__isnull=False)),
    )
    labels = dict(Profile.choices)
    profiles = [
        {"label": str(labels.get(row["profile"], row["profile"])), "people": row["people"], "came": row["came"]}
        for row in attendees.values("profile")
        .annotate(people=Count("pk"), came=Count("pk", filter=came))
        .order_by("-people", "profile")
    ]
    origins = list(
        attendees.annotate(
            place=Coalesce(F("registration__origin_commune__name"), NullIf(Lower("registration__origin"), Value("")))
        )
        .values("place")
        .annotate(people=Count("pk"), came=Count("pk", filter=came))
        .order_by("-people", "place")[:12]
    )
    for row in origins:
        # Free text is grouped in lower case; give it back a capital (commune names keep their own).
        row["place"] = row["place"][:1].upper() + row["place"][1:] if row["place"] else _("Not given")
    territory = attendees.filter(registration__origin_commune__in_territory=True).count()
    workshops = list(
        Workshop.objects.filter(edition=edition)
        .annotate(booked=Count("seats"), came=Count("seats", filter=Q(seats__checked_in_at__isnull=False)))
        .order_by("starts_at")
    )
    return {
        **totals,
        **registrations,
        "no_shows": totals["people"] - totals["came"],
        "territory": territory,
        "profiles": profiles,
        "origins": origins,
        "workshops": workshops,
    }


@login_required
@permission_required("forum.view_statistics", raise_exception=True)
def statistics(request):
    edition = _edition(request)
    stats = statistics_for(edition)
    chart_data = {
        "profiles": {
            "labels": [p["label"] for p in stats["profiles"]],
            "registered": [p["people"] for p in stats["profiles"]],
            "came": [p["came"] for p in stats["profiles"]],
        },
        "origins": {
            "labels": [o["place"] for o in stats["origins"]],
            "people": [o["people"] for o in stats["origins"]],
        },
        "workshops": {
            "labels": [w.title for w in stats["workshops"]],
            "booked": [w.booked for w in stats["workshops"]],
            "came": [w.came for w in stats["workshops"]],
        },
        "legend": {"registered": _("Registered"), "came": _("Came"), "people": _("People")},
    }
    return render(
        request,
        "forum/staff/statistics.html",
        {
            "edition": edition,
            "editions": Edition.objects.order_by("-year"),
            "stats": stats,
            "chart_data": chart_data,
            "journey_available": leads.journey_available(),
        },
    )


@login_required
@permission_required("forum.change_registration", raise_exception=True)
@require_POST
def pass_on_newcomers(request):
    edition = _edition(request)
    if not leads.journey_available():
        messages.error(request, _("The newcomer journey is not available yet: nothing was sent."))
    else:
        count = leads.pass_on_all(edition)
        messages.success(request, _("%(count)s would-be newcomers were passed on to the journey.") % {"count": count})
    return redirect(f"{reverse('forum:statistics')}?edition={edition.year}")


@login_required
@permission_required("forum.send_mailing", raise_exception=True)
@require_http_methods(["GET", "POST"])
def mailing(request):
    edition = _edition(request)
    form = MailingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            sent = form.save(commit=False)
            sent.edition = edition
            sent.sent_by = request.user
            recipients = sent.recipients()
            sent.recipient_count = len(recipients)
            sent.save()
            for address, attendee in recipients.items():
                send_templated_email(
                    address,
                    "forum_mailing",
                    {"mailing": sent, "attendee": attendee, "edition": edition},
                    language=attendee.registration.language,
                )
        messages.success(request, _("The message is on its way to %(count)s people.") % {"count": sent.recipient_count})
        return redirect(f"{reverse('forum:mailing')}?edition={edition.year}")
    return render(
        request,
        "forum/staff/mailing.html",
        {"edition": edition, "form": form, "mailings": edition.mailings.select_related("sent_by")[:20]},
    )


@login_required
@permission_required("forum.lift_limits", raise_exception=True)
@require_http_methods(["GET", "POST"])
def limits(request):
    """Lift the block the public forms put on an address or a connection that registered or asked too often."""
    edition = _edition(request)
    form = LiftBlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["value"]
        lifted = ratelimit.lift(value, [ratelimit.FORUM_REGISTRATION, ratelimit.FORUM_RESEND])
        audit_record(request.user, "forum block lifted", edition, reason=value)
        if lifted:
            messages.success(request, _("The block on %(value)s is lifted.") % {"value": value})
        else:
            messages.info(request, _("%(value)s was not blocked.") % {"value": value})
        return redirect(f"{reverse('forum:limits')}?edition={edition.year}")
    return render(request, "forum/staff/limits.html", {"edition": edition, "form": form})


@login_required
@permission_required("forum.view_seat", raise_exception=True)
def workshop_certificates(request, pk):
    workshop = get_object_or_404(Workshop.objects.select_related("edition"), pk=pk)
    seats = Seat.objects.filter(workshop=workshop, checked_in_at__isnull=False).order_by(
        "attendee__last_name", "attendee__first_name"
    )
    if not seats.exists():
        messages.error(request, _("Nobody was checked in to this workshop: there is no certificate to print."))
        return redirect(f"{reverse('forum:statistics')}?edition={workshop.edition.year}")
    return certificates.pdf_response(workshop, seats)
