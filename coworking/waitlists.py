"""Coworking's waiting-list handler: a freed seat or room slot is offered, then booked on acceptance."""

from datetime import timedelta

from django.urls import reverse

from coworking import services
from waitlist.registry import WaitlistHandler


class SpaceWaitlist(WaitlistHandler):
    mode = "offer"
    # Seats free up on the day (no-shows): a short hold keeps them useful.
    offer_hold = timedelta(hours=1)

    def seats_available(self, target, slot_start, slot_end):
        return services.seats_free(target, slot_start, slot_end)

    def accept(self, entry):
        services.book(
            entry.target,
            entry.slot_start,
            entry.slot_end,
            member=entry.user,
            guest_name="" if entry.user_id else entry.name or entry.email,
            booked_by=entry.user,
            from_waitlist=True,
        )

    def accepted_url(self, entry):
        return reverse("coworking:my-bookings") if entry.user_id else entry.get_absolute_url()
