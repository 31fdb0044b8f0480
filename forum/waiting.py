"""Forum workshops on the project's waiting list (app `waitlist`): a full workshop offers its list.

A group waits as one entry whose quantity is the number of people; when seats free
up the group is offered them for a limited time and accepting books every person.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waitlist import services
from waitlist.models import WaitingListEntry
from waitlist.registry import WaitlistHandler


def join(workshop, registration, quantity):
    """Put the group of `registration` on the waiting list of `workshop`; returns the entry or None."""
    try:
        return services.join(
            workshop,
            user=registration.user,
            email=registration.email,
            name=registration.full_name,
            quantity=quantity,
            payload={"registration": registration.pk},
        )
    except ValidationError:
        # Already waiting for this workshop under the same address: keep the first entry.
        return None


def entries_for(registration):
    return WaitingListEntry.objects.active().filter(
        target_type__app_label="forum",
        target_type__model="workshop",
        payload__registration=registration.pk,
    )


def withdraw_all(registration):
    for entry in entries_for(registration):
        services.withdraw(entry)


def release_on_commit(workshops):
    """Hand the seats freed in these workshops to the waiting list once the change is committed."""
    for workshop in workshops:
        transaction.on_commit(lambda w=workshop: services.release(w))


class WorkshopWaitlist(WaitlistHandler):
    mode = "offer"
    offer_hold = timedelta(hours=24)

    def seats_available(self, target, slot_start, slot_end):
        from forum.models import Workshop

        return Workshop.objects.filter(pk=target.pk).with_remaining().values_list("remaining", flat=True).get()

    def accept(self, entry):
        from forum.models import Registration

        registration = Registration.objects.filter(
            pk=entry.payload.get("registration"), status=Registration.Status.CONFIRMED
        ).first()
        if registration is None or not registration.link_is_active():
            raise ValidationError(_("This registration was cancelled: the seats cannot be booked."), code="cancelled")
        registration.add_seats(entry.target, limit=entry.quantity)

    def describe(self, entry):
        workshop = entry.target
        return _("Forum workshop “%(title)s”, %(when)s") % {"title": workshop.title, "when": workshop.when()}

    def accepted_url(self, entry):
        from forum.models import Registration

        registration = Registration.objects.filter(pk=entry.payload.get("registration")).first()
        return registration.get_absolute_url() if registration else entry.get_absolute_url()

    def language(self, entry):
        from forum.models import Registration

        registration = Registration.objects.filter(pk=entry.payload.get("registration")).first()
        return registration.language if registration else None
