from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waitlist import services
from waitlist.models import WaitingListEntry
from waitlist.registry import handler_for


def _entry(token):
    entry = get_object_or_404(WaitingListEntry.objects.select_related("user", "target_type"), token=token)
    if entry.target is None:
        raise Http404("The thing waited for no longer exists.")
    return entry


def entry(request, token):
    """Where the person stands; reachable by its secret link, with or without an account."""
    entry = _entry(token)
    return render(
        request,
        "waitlist/entry.html",
        {
            "entry": entry,
            "what": handler_for(entry.target).describe(entry),
            "position": services.position(entry),
            "offer_live": entry.offer_is_live(),
        },
    )


@require_POST
def accept(request, token):
    entry = _entry(token)
    try:
        entry = services.accept_offer(entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(entry)
    messages.success(request, _("Done: the place is yours."))
    return redirect(handler_for(entry.target).accepted_url(entry))


@require_POST
def withdraw(request, token):
    entry = services.withdraw(_entry(token))
    messages.success(request, _("You have left the waiting list."))
    return redirect(entry)
