from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views import defaults

from accounts.models import Household, InstallationProject
from core.query import BadQuery
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


def privacy(request):
    return render(request, "pages/privacy.html")


def accessibility(request):
    return render(request, "pages/accessibility.html")
