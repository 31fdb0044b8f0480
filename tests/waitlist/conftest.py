"""A toy handler on accounts.Commune so the waiting list is tested without any using app.

Places taken = accepted entries; capacity is set per test.
"""

import pytest
from django.db.models import Sum

from accounts.models import Commune
from tests.factories import make_commune
from waitlist import registry
from waitlist.models import WaitingListEntry
from waitlist.services import held_quantity


class ToyHandler(registry.WaitlistHandler):
    def __init__(self, mode="offer"):
        self.mode = mode
        self.capacity = 1
        self.accepted = []
        self.promoted = []
        self.refuse = set()

    def seats_available(self, target, slot_start, slot_end):
        taken = (
            WaitingListEntry.objects.for_slot(target, slot_start, slot_end)
            .filter(status=WaitingListEntry.Status.ACCEPTED)
            .aggregate(n=Sum("quantity"))["n"]
            or 0
        )
        return self.capacity - taken - held_quantity(target, slot_start, slot_end)

    def promote(self, entry):
        if entry.pk in self.refuse:
            from django.core.exceptions import ValidationError

            raise ValidationError("cannot")
        self.promoted.append(entry.pk)

    def accept(self, entry):
        self.accepted.append(entry.pk)


@pytest.fixture
def handler():
    previous = registry._handlers.get("accounts.commune")
    toy = ToyHandler()
    registry.register(Commune, toy)
    yield toy
    registry.unregister(Commune)
    if previous:
        registry.register(Commune, previous)


@pytest.fixture
def target(db):
    return make_commune()
