"""How the shared waiting list fills training sessions: a time-limited offer to the first person waiting."""

from django.urls import reverse

from waitlist.registry import WaitlistHandler


class SessionWaitlist(WaitlistHandler):
    # Offer mode: the freed seat is held for the first person in arrival order for
    # 48 hours (trainees need time to arrange funding and leave); unanswered
    # offers expire (`expire_waitlist_offers`) and pass to the next person.
    mode = "offer"

    @property
    def offer_hold(self):
        from telecentre.training.services import OFFER_HOLD

        return OFFER_HOLD

    def lock(self, target):
        from telecentre.training.services import lock_session

        return lock_session(target)

    def seats_available(self, target, slot_start, slot_end):
        from telecentre.training.services import free_seats

        if not target.is_open_for_enrolment():
            return 0
        return free_seats(target)

    def accept(self, entry):
        from telecentre.training.services import accept_from_waitlist

        accept_from_waitlist(entry)

    def accepted_url(self, entry):
        return reverse("training:mine")
