"""The waiting list: join, release freed places in arrival order, accept or withdraw, expire offers.

Every function that hands out a place runs in one transaction that first locks
the target through its handler, so two releases never give the same place away.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from waitlist.models import WaitingListEntry
from waitlist.registry import handler_for

logger = logging.getLogger(__name__)
Status = WaitingListEntry.Status


def join(target, *, user=None, email="", name="", quantity=1, slot_start=None, slot_end=None, payload=None):
    """Put a person (an account, or an email address) on target's waiting list; returns the entry."""
    if user is None and not email:
        raise ValidationError(_("Give an email address so we can tell you when a place frees up."), code="no_email")
    if quantity < 1:
        raise ValidationError(_("Ask for at least one place."), code="quantity")
    entry = WaitingListEntry(
        target=target,
        user=user,
        email=(email or "").strip().lower(),
        name=name,
        quantity=quantity,
        slot_start=slot_start,
        slot_end=slot_end if slot_start is not None else None,
        payload=payload or {},
    )
    duplicates = WaitingListEntry.objects.for_target(target).active().filter(slot_start=slot_start)
    if (user is not None and duplicates.filter(user=user).exists()) or (
        entry.email and duplicates.filter(email=entry.email).exists()
    ):
        raise ValidationError(_("You are already on the waiting list for this."), code="already_waiting")
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # Two joins at once: the unique constraint kept one.
        raise ValidationError(_("You are already on the waiting list for this."), code="already_waiting") from None
    return entry


def held_quantity(target, slot_start=None, slot_end=None, now=None):
    """Places held by live offers on target (for the slot, or with no slot): count them as taken."""
    offers = WaitingListEntry.objects.for_slot(target, slot_start, slot_end).live_offers(now)
    return offers.aggregate(total=Sum("quantity"))["total"] or 0


def release(target, slot_start=None, slot_end=None):
    """Hand freed places to waiting people in arrival order; returns the entries promoted or offered.

    Call after a place is freed (cancellation, no-show release, capacity raised),
    with the slot that was freed (entries whose slot overlaps it are considered).
    """
    handler = handler_for(target)
    now = timezone.now()
    served = []
    with transaction.atomic():
        locked = handler.lock(target)
        candidates = (
            WaitingListEntry.objects.for_slot(locked, slot_start, slot_end)
            .waiting()
            .select_for_update()
            .in_arrival_order()
        )
        for entry in candidates:
            entry.target = locked
            if handler.seats_available(locked, entry.slot_start, entry.slot_end) < entry.quantity:
                continue
            if handler.mode == "promote":
                if not _promote(handler, entry, now):
                    continue
                transaction.on_commit(lambda e=entry: handler.notify_promoted(e))
            else:
                entry.status = Status.OFFERED
                entry.offered_at = now
                entry.offer_expires_at = now + handler.offer_hold
                entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
                transaction.on_commit(lambda e=entry: handler.notify_offer(e))
            served.append(entry)
    return served


def _promote(handler, entry, now):
    try:
        with transaction.atomic():
            handler.promote(entry)
            entry.status = Status.ACCEPTED
            entry.resolved_at = now
            entry.save(update_fields=["status", "resolved_at"])
    except ValidationError as error:
        # This person cannot take the place (e.g. already booked elsewhere): they keep their turn.
        logger.info("Waiting-list entry %s not promoted: %s", entry.pk, error)
        return False
    return True


def accept_offer(entry):
    """The person accepts a live offer: book it for them in the same transaction."""
    handler = handler_for(entry.target)
    with transaction.atomic():
        locked = handler.lock(entry.target)
        entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        entry.target = locked
        if not entry.offer_is_live():
            raise ValidationError(_("This offer has expired."), code="expired")
        entry.status = Status.ACCEPTED
        entry.resolved_at = timezone.now()
        entry.save(update_fields=["status", "resolved_at"])
        handler.accept(entry)
    return entry


def withdraw(entry):
    """The person leaves the list; a place they were offered goes to the next person."""
    with transaction.atomic():
        entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        if not entry.is_active:
            return entry
        held_offer = entry.status == Status.OFFERED
        entry.status = Status.WITHDRAWN
        entry.resolved_at = timezone.now()
        entry.save(update_fields=["status", "resolved_at"])
        if held_offer:
            release(entry.target, entry.slot_start, entry.slot_end)
    return entry


def position(entry):
    """1-based rank among the people still waiting for the same target and slot (0 if not waiting)."""
    if entry.status != Status.WAITING:
        return 0
    ahead = (
        WaitingListEntry.objects.filter(
            target_type_id=entry.target_type_id, target_id=entry.target_id, slot_start=entry.slot_start
        )
        .waiting()
        .filter(created_at__lte=entry.created_at)
        .exclude(created_at=entry.created_at, id__gte=entry.id)
    )
    return ahead.count() + 1


def expire_offers(now=None):
    """Offers past their deadline become EXPIRED and their places go to the next people; returns how many."""
    now = now or timezone.now()
    due = WaitingListEntry.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
    expired = 0
    freed = {}
    for entry in due.select_related("target_type").in_arrival_order():
        with transaction.atomic():
            updated = WaitingListEntry.objects.filter(pk=entry.pk, status=Status.OFFERED).update(
                status=Status.EXPIRED, resolved_at=now
            )
        if updated:
            expired += 1
            freed[(entry.target_type_id, entry.target_id, entry.slot_start, entry.slot_end)] = entry
    for entry in freed.values():
        target = entry.target
        if target is not None:
            release(target, entry.slot_start, entry.slot_end)
    return expired
