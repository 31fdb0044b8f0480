"""Handlers tell the waiting list how to lock, count and book for each kind of target.

An app registers one handler per target model in its AppConfig.ready():

    from waitlist.registry import WaitlistHandler, register
    register(Session, SessionWaitlist())
"""

from datetime import timedelta

from django.utils.formats import date_format
from django.utils.timezone import localtime

from core import dates
from core.emails import send_templated_email


class WaitlistHandler:
    mode = "offer"  # "offer": the person accepts within offer_hold; "promote": booked directly in arrival order
    offer_hold = timedelta(hours=24)

    def lock(self, target):
        """Re-fetch target with a row lock (called inside the transaction)."""
        return type(target)._default_manager.select_for_update().get(pk=target.pk)

    def seats_available(self, target, slot_start, slot_end):
        """Free places on target for the slot, live offers subtracted (see waitlist.services.held_quantity)."""
        raise NotImplementedError

    def promote(self, entry):
        """Mode "promote": create the booking, enrolment or registration for entry."""
        raise NotImplementedError

    def accept(self, entry):
        """Mode "offer": create it when the person accepts; entry is already ACCEPTED, so its hold is gone."""
        raise NotImplementedError

    def describe(self, entry):
        """What the person waits for, as shown on the entry page and in the emails."""
        if entry.slot_start is None:
            return str(entry.target)
        start, end = localtime(entry.slot_start), localtime(entry.slot_end or entry.slot_start)
        day = dates.format_date(start, "DATE_FORMAT")
        return f"{entry.target}, {day} {date_format(start, 'TIME_FORMAT')}–{date_format(end, 'TIME_FORMAT')}"

    def accepted_url(self, entry):
        """Where to send the person after they accept (default: back to the entry page)."""
        return entry.get_absolute_url()

    def language(self, entry):
        return entry.user.preferred_language if entry.user_id else None

    def notify_offer(self, entry):
        self._send(entry, "waitlist_offer")

    def notify_promoted(self, entry):
        self._send(entry, "waitlist_promoted")

    def _send(self, entry, template_prefix):
        context = {"entry": entry, "what": self.describe(entry), "url": entry.get_absolute_url()}
        send_templated_email(entry.contact_email, template_prefix, context, language=self.language(entry))


_handlers = {}


def _key(model):
    return model._meta.concrete_model._meta.label_lower


def register(model, handler):
    _handlers[_key(model)] = handler


def unregister(model):
    _handlers.pop(_key(model), None)


def handler_for(target):
    """The handler registered for target (an instance or a model class)."""
    try:
        return _handlers[_key(target)]
    except KeyError:
        raise LookupError(f"No waiting-list handler registered for {_key(target)}") from None
