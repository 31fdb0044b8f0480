"""Visitors "thinking of moving to the territory" become enquiries of the newcomer journey, with their consent."""

import logging

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Registration

logger = logging.getLogger(__name__)


def journey_available():
    return apps.is_installed("journey")


def pass_on(registration):
    """Create the journey enquiry for one consenting registration; True when done (or already done)."""
    if not journey_available():
        return False
    from journey.api import create_enquiry

    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("edition").get(pk=registration.pk)
        if registration.enquiry_sent_at:
            return True
        if registration.moving_consent_at is None or registration.status != Registration.Status.CONFIRMED:
            return False
        try:
            with transaction.atomic():
                create_enquiry(
                    first_name=registration.first_name,
                    last_name=registration.last_name,
                    email=registration.email,
                    source="forum",
                    origin=registration.origin,
                    notes=_("Registered for the %(edition)s and said they are thinking of moving to the territory.")
                    % {"edition": registration.edition},
                )
        except ValidationError:
            logger.warning("Forum registration %s could not become a journey enquiry", registration.pk)
            return False
        registration.enquiry_sent_at = timezone.now()
        registration.save(update_fields=["enquiry_sent_at"])
    return True


def pass_on_all(edition=None):
    """Pass on every consenting visitor not yet passed on; returns how many enquiries were created."""
    pending = Registration.objects.would_be_newcomers()
    if edition is not None:
        pending = pending.filter(edition=edition)
    return sum(1 for registration in pending if pass_on(registration))
