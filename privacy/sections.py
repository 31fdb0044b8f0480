from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def portal(request):
    return None


def staff_links(user):
    links = []
    if user.has_perm("privacy.view_datarequest"):
        links.append((_("Personal data requests and their deadlines"), reverse("privacy:requests")))
        links.append((_("Register of processing activities"), reverse("privacy:register")))
    if user.has_perm("audit.view_auditevent"):
        links.append((_("Audit trail"), reverse("audit:index")))
    return links


def staff_tasks(user, today):
    """What needs doing today in this app, for the staff home: [(label, count, url)]."""
    from privacy.models import DataRequest

    if not user.has_perm("privacy.view_datarequest"):
        return []
    return [(_("Personal data requests to answer"), DataRequest.objects.open().count(), reverse("privacy:requests"))]
