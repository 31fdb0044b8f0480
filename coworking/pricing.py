"""The one price rule of coworking: what a booking costs a person, for their situation that day.

`quote()` is what the booking page shows before the person commits, what `services.book()` stores on the
booking, and what `services.save_exemption()` applies again to the bookings not yet sent to the régie when
an exemption is granted, extended or ended. The invoicing page and its export read the stored price.

The rule, in order: an internal reservation (a training session) is not invoiced; a day covered by an
exemption is free; a pass chosen for the booking pays it (its balance is checked under the space lock);
otherwise the tariff in force that day, at the price of the person's tariff category: newcomers in the
welcome programme and holders of a pass or membership valid that day pay the newcomer price, everyone
else (an account alone, a visitor without account) the public price.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from accounts.models import InstallationProject
from coworking.models import Booking, Exemption, Tariff, TariffDecision

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
Period = Booking.Period


@dataclass(frozen=True)
class Quote:
    billing: str
    price: Decimal = ZERO
    tariff: Tariff | None = None
    category: str = ""

    def booking_fields(self):
        """The columns of a Booking this quote sets (a pass's are set by services under the lock)."""
        return {"billing": self.billing, "price": self.price, "tariff": self.tariff, "tariff_category": self.category}


def is_exempt(member, day):
    return member is not None and Exemption.objects.filter(member=member).covering(day).exists()


# A project only declared (enquiry) or closed is not in the welcome programme.
OUTSIDE_PROGRAMME = [InstallationProject.Stage.ENQUIRY, InstallationProject.Stage.CLOSED]


def category_of(member, day):
    """The tariff category of a person on a day (member None: a visitor without account); one query."""
    if member is None:
        return Tariff.Category.PUBLIC
    in_programme = Q(installation_project__isnull=False) & ~Q(installation_project__stage__in=OUTSIDE_PROGRAMME)
    pass_holder = Q(coworking_passes__valid_from__lte=day, coworking_passes__valid_until__gte=day)
    if get_user_model().objects.filter(in_programme | pass_holder, pk=member.pk).exists():
        return Tariff.Category.NEWCOMER
    return Tariff.Category.PUBLIC


def unit_and_quantity(start, end, period):
    """The tariff unit a booking is priced by, and how many of it."""
    if period in (Period.MORNING, Period.AFTERNOON):
        return Tariff.Unit.HALF_DAY, Decimal(1)
    if period == Period.DAY:
        return Tariff.Unit.DAY, Decimal(1)
    return Tariff.Unit.HOUR, Decimal((end - start).total_seconds()) / 3600


def quote(space, start, end, period, *, member, seats=1, pass_used=None, internal=False, tariff_of=None):
    """What booking [start, end) of space costs member (None: a visitor), as a Quote.

    tariff_of(unit, day) finds the tariff in force (default Tariff.in_force; services passes the space's
    cached rules). With pass_used, and no exemption that day, the quote is billing=PASS at no price.
    """
    if internal:
        return Quote(Booking.Billing.INTERNAL)
    day = timezone.localtime(start).date()
    if is_exempt(member, day):
        return Quote(Booking.Billing.EXEMPT)
    if pass_used is not None:
        return Quote(Booking.Billing.PASS)
    unit, quantity = unit_and_quantity(start, end, period)
    tariff = (tariff_of or Tariff.in_force)(unit, day)
    category = category_of(member, day)
    if tariff is None:
        return Quote(Booking.Billing.TARIFF, category=category)
    price = (tariff.price_for(category) * quantity * seats).quantize(CENT)
    return Quote(Booking.Billing.TARIFF, price=price, tariff=tariff, category=category)


def requote(booking, tariff_of=None):
    """The quote of an existing booking under the rule as it stands now (its pass kept unless exempt)."""
    return quote(
        booking.space,
        booking.start,
        booking.end,
        booking.period,
        member=booking.member,
        seats=booking.seats,
        pass_used=booking.pass_used if booking.billing == Booking.Billing.PASS else None,
        internal=booking.billing == Booking.Billing.INTERNAL,
        tariff_of=tariff_of,
    )


def situation(member, day):
    """What the booking page says before the person chooses: their free period, or their tariff category with
    the prices of the decision in force that day."""
    exemption = Exemption.objects.filter(member=member, ends_on__gte=day).order_by("starts_on").first()
    category = category_of(member, day)
    decision = TariffDecision.objects.in_force(day).first()
    tariffs = decision.tariffs.all() if decision else []
    return {
        "exemption": exemption,
        "category": Tariff.Category(category),
        "decision": decision,
        "prices": [(tariff, tariff.price_for(category)) for tariff in tariffs],
    }
