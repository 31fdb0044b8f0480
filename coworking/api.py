"""What other apps may call in coworking (training reserves its room and grants the free period here)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coworking import services
from coworking.models import Exemption, Space

TRAINING_EXEMPTION_YEARS = 2


def reserve_room(space, start, end, *, purpose, booked_by, member=None):
    """Book a whole room for [start, end) through the locked, rechecked booking path; not invoiced.

    Raises ValidationError (French message) on a conflict, a closure or outside opening hours.
    """
    return services.book(
        space, start, end, member=member, booked_by=booked_by, purpose=purpose, staff=True, internal=True
    )


def cancel_reservation(booking, *, by=None):
    """Cancel a reservation made with reserve_room (no deadline applies); the slot goes to the waiting list."""
    if not booking.is_active:
        return booking
    return services.cancel(booking, by=by, staff=True)


def grant_training_exemption(user, *, reason, start=None):
    """Two years of free coworking from start (default today); granting twice for one reason changes nothing."""
    start = start or timezone.localdate()
    try:
        end = start.replace(year=start.year + TRAINING_EXEMPTION_YEARS)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + TRAINING_EXEMPTION_YEARS, day=28)
    exemption = Exemption.objects.filter(member=user, reason=reason).first()
    if exemption is not None:
        return exemption
    exemption = Exemption(member=user, reason=reason, starts_on=start, ends_on=end - datetime.timedelta(days=1))
    try:
        with transaction.atomic():
            services.save_exemption(exemption)  # re-prices the bookings already made for those days
    except (IntegrityError, ValidationError):  # granted at the same moment by another request
        exemption = Exemption.objects.get(member=user, reason=reason)
    return exemption


def spaces_bookable_for_training():
    """Active rooms a training session can use (training and meeting rooms, booked whole)."""
    return Space.objects.active().filter(kind__in=[Space.Kind.TRAINING_ROOM, Space.Kind.MEETING_ROOM])
