import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import query as parameters
from coworking import calendar, pricing, services
from coworking.forms import (
    BookingForm,
    ChangeBookingForm,
    DateRangeForm,
    RecurringBookingForm,
    WaitlistJoinForm,
    apply_errors,
    error_codes,
)
from coworking.models import Booking, CalendarFeed, Closure, Exemption, Pass, RecurringBooking, Space, TariffDecision
from waitlist import services as waitlist


def index(request):
    spaces = Space.objects.active().prefetch_related("opening_hours")
    decision = TariffDecision.objects.in_force(timezone.localdate()).prefetch_related("tariffs").first()
    return render(request, "coworking/index.html", {"spaces": spaces, "decision": decision})


def space_detail(request, slug):
    space = get_object_or_404(Space.objects.active().prefetch_related("opening_hours"), slug=slug)
    today = timezone.localdate()
    closures = Closure.objects.for_space(space).filter(end_date__gte=today)[:5]
    return render(request, "coworking/space.html", {"space": space, "closures": closures})


def _my_booking(request, pk):
    return get_object_or_404(Booking.objects.select_related("space", "pass_used"), pk=pk, member=request.user)


def _booking_form_context(form):
    """Offer the waiting list when the only problem is a full slot."""
    context = {"form": form}
    start, end = getattr(form, "start", None), getattr(form, "end", None)
    if form.is_bound and "full" in error_codes(form) and start and end:
        context["waitlist_form"] = WaitlistJoinForm(
            initial={"space": form.cleaned_data["space"].pk, "start": start.isoformat(), "end": end.isoformat()}
        )
    return context


def say_booked(request, booking, message):
    """The message after a booking form's POST: `message`, or that a replayed form booked nothing twice."""
    if booking.replayed:
        messages.info(request, _("This booking was already recorded: nothing was booked twice."))
    else:
        messages.success(request, message)


@login_required
def book(request):
    initial = {}
    if slug := parameters.text(request.GET, "space"):
        initial["space"] = Space.objects.filter(slug=slug).first()
    form = BookingForm(request.POST or None, member=request.user, initial=initial)
    # "See the price" sends the form to be checked and priced: nothing is booked.
    if request.method == "POST" and "quote" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.book(
                data["space"],
                form.start,
                form.end,
                member=request.user,
                booked_by=request.user,
                pass_used=data["pass_used"],
                idempotency_key=data["idempotency_key"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            say_booked(request, booking, _("Booked: %(booking)s.") % {"booking": booking.space})
            return redirect("coworking:my-bookings")
    context = _booking_form_context(form)
    context["quote"] = _quote(form, request.user)
    context["situation"] = pricing.situation(request.user, timezone.localdate())
    return render(request, "coworking/book.html", context)


def _quote(form, member):
    """The price of the slot the form describes, by the rule services.book() applies (None: no slot yet)."""
    if not form.is_bound or not form.is_valid() or getattr(form, "start", None) is None:
        return None
    space = form.cleaned_data["space"]
    period = calendar.period_of(form.start, form.end)
    return pricing.quote(
        space,
        form.start,
        form.end,
        period,
        member=member,
        pass_used=form.cleaned_data["pass_used"],
        tariff_of=services.rules_of(space).tariff,
    )


@login_required
def book_recurring(request):
    form = RecurringBookingForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _series, bookings, skipped = services.book_series(
                data["space"],
                request.user,
                data["period"],
                data["weekdays"],
                data["starts_on"],
                data["ends_on"],
                booked_by=request.user,
                pass_used=data["pass_used"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)s bookings made; %(skipped)s closed days skipped.")
                % {"count": len(bookings), "skipped": len(skipped)},
            )
            return redirect("coworking:my-bookings")
    return render(request, "coworking/book_recurring.html", {"form": form})


@login_required
def my_bookings(request):
    now = timezone.now()
    mine = Booking.objects.for_member(request.user).select_related("space", "pass_used", "series")
    today = timezone.localdate()
    passes = Pass.objects.filter(holder=request.user, valid_until__gte=today - datetime.timedelta(days=31))
    return render(
        request,
        "coworking/my_bookings.html",
        {
            "upcoming": mine.active().upcoming(now).order_by("start"),
            "past": mine.filter(end__lte=now).order_by("-start")[:10],
            "passes": passes.with_used().order_by("valid_until"),
            "exemptions": Exemption.objects.filter(member=request.user, ends_on__gte=today),
            "series": RecurringBooking.objects.filter(member=request.user, ends_on__gte=today)
            .select_related("space")
            .prefetch_related(Prefetch("occurrences", queryset=Booking.objects.active().upcoming(now))),
            "feed": CalendarFeed.objects.filter(member=request.user).first(),
            "waiting": request.user.waiting_list_entries.active().order_by("slot_start"),
            "range_form": DateRangeForm(),
            "now": now,
        },
    )


@login_required
def booking_detail(request, pk):
    booking = _my_booking(request, pk)
    return render(request, "coworking/booking.html", {"booking": booking})


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = _my_booking(request, pk)
    try:
        services.cancel(booking, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(booking)
    messages.success(request, _("Your booking is cancelled."))
    return redirect("coworking:my-bookings")


@login_required
def booking_change(request, pk):
    booking = _my_booking(request, pk)
    local_start = timezone.localtime(booking.start)
    initial = {
        "date": local_start.date(),
        "period": booking.period,
        "start_time": local_start.time(),
        "end_time": timezone.localtime(booking.end).time(),
    }
    form = ChangeBookingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.change(booking, form.start, form.end, by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your booking is moved."))
            return redirect(new)
    return render(request, "coworking/booking_change.html", {"form": form, "booking": booking})


@login_required
@require_POST
def series_cancel(request, pk):
    series = get_object_or_404(RecurringBooking, pk=pk, member=request.user)
    form = DateRangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("coworking:my-bookings")
    try:
        count = services.cancel_range(series, form.cleaned_data["first"], form.cleaned_data["last"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s bookings cancelled.") % {"count": count})
    return redirect("coworking:my-bookings")


@login_required
@require_POST
def waitlist_join(request):
    form = WaitlistJoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This slot could not be read: try booking again."))
        return redirect("coworking:book")
    data = form.cleaned_data
    try:
        entry = waitlist.join(data["space"], user=request.user, slot_start=data["start"], slot_end=data["end"])
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("coworking:my-bookings")
    messages.success(request, _("You are on the waiting list: we will email you if a place frees up."))
    return redirect(entry)


@login_required
def check_in(request, token):
    """The page the space's QR code opens; the check-in itself is a POST."""
    space = get_object_or_404(Space, checkin_token=token)
    if request.method == "POST":
        _space, booking = services.check_in_with_code(token, request.user)
        if booking is None:
            messages.error(request, _("No booking of yours to check in here right now."))
        else:
            messages.success(request, _("Checked in: have a good session!"))
            return redirect("coworking:my-bookings")
    now = timezone.now()
    bookings = Booking.objects.filter(space=space, member=request.user).active().on_day(timezone.localdate())
    return render(
        request, "coworking/check_in.html", {"space": space, "bookings": bookings.order_by("start"), "now": now}
    )


@login_required
@require_POST
def feed_reset(request):
    feed, created = CalendarFeed.objects.get_or_create(member=request.user)
    if not created:
        feed.token = CalendarFeed._meta.get_field("token").default()
        feed.save(update_fields=["token"])
        messages.success(request, _("New calendar address made: the old one no longer works."))
    return redirect("coworking:my-bookings")
