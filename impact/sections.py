"""What the impact app adds to the newcomer portal and to the staff home page."""

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import InstallationProject
from impact.models import LocalSpending

INSTALLED_STAGES = (
    InstallationProject.Stage.INSTALLED,
    InstallationProject.Stage.FOLLOWED_UP,
    InstallationProject.Stage.CLOSED,
)


# The apps this module's portal card reads: it is cached until one of them changes (telecentre/freshness.py).
PORTAL_SCOPES = ("impact", "accounts")


def portal(request):
    """Installed households are asked to declare their local spending."""
    project = InstallationProject.objects.filter(
        newcomer=request.user, stage__in=INSTALLED_STAGES, arrival__isnull=False
    ).first()
    if project is None:
        return None
    total = LocalSpending.objects.filter(project=project).aggregate(total=Sum("amount"))["total"]
    return "impact/portal_card.html", {"total": total}


def staff_links(user):
    if not user.has_perm("impact.view_dashboard"):
        return []
    return [(_("Impact dashboard: figures for the council and the funders"), reverse("impact:dashboard"))]
