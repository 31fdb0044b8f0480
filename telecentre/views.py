from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views import defaults

from accounts.models import Household, InstallationProject
from core.query import BadQuery
from organisation.models import AccessibilityAudit, AccessibilityPlan
from privacy import processing
from telecentre import freshness, sections
from telecentre.pagecache import public_page


@public_page(timeout=300)
def home(request):
    return render(request, "home.html")


def bad_request(request, exception):
    """The 400 page, saying why when a query parameter could not be read (core/query.py).

    Other bad requests (a forbidden host name among them) get Django's own view, which renders
    without the request.
    """
    if isinstance(exception, BadQuery):
        return render(request, "400.html", {"reason": str(exception)}, status=400)
    return defaults.bad_request(request, exception)


@login_required
def portal(request):
    """The newcomer's dashboard: their project and household, then one card per app (each cached, fresh)."""
    user = request.user

    def core():
        project = InstallationProject.objects.select_related("referent", "target_commune").filter(newcomer=user).first()
        household = Household.objects.filter(owner=user).prefetch_related("members").first()
        return render_to_string("portal/_core.html", {"project": project, "household": household}, request)

    (core_html,), cards = sections.portal_sections(
        request, extra=[("portal:core", ["accounts"], core, freshness.user_vary(user))]
    )
    return render(request, "portal/dashboard.html", {"core": core_html, "sections": cards})


@staff_member_required
def staff_home(request):
    tasks = sections.staff_tasks(request.user, timezone.localdate())
    return render(request, "staff/home.html", {"tasks": tasks, "links": sections.staff_links(request.user)})


def legal_notice(request):
    """The legal notice (LCEN art. 6), from the organisation record."""
    return render(request, "pages/legal_notice.html")


def privacy(request):
    """The privacy notice (GDPR art. 13), from the organisation record and the register of processing."""
    context = {"activities": processing.activities(), "no_portability": processing.NO_PORTABILITY}
    return render(request, "pages/privacy.html", context)


def accessibility(request):
    """The accessibility statement on the RGAA 4.1 model, from the audits and plans staff record."""
    year = timezone.localdate().year
    context = {
        "audit": AccessibilityAudit.latest(),
        "multi_year": AccessibilityPlan.in_force(AccessibilityPlan.Kind.MULTI_YEAR, year),
        "action_plan": AccessibilityPlan.in_force(AccessibilityPlan.Kind.ACTION_PLAN, year),
        "year": year,
    }
    return render(request, "pages/accessibility.html", context)
