from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.models import Household, InstallationProject
from telecentre import sections
from telecentre.pagecache import public_page


@public_page(timeout=300)
def home(request):
    return render(request, "home.html")


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def portal(request):
    project = (
        InstallationProject.objects.select_related("referent", "target_commune").filter(newcomer=request.user).first()
    )
    household = Household.objects.filter(owner=request.user).prefetch_related("members").first()
    return render(
        request,
        "portal/dashboard.html",
        {
            "project": project,
            "household": household,
            "sections": sections.portal_sections(request),
        },
    )


@staff_member_required
def staff_home(request):
    return render(request, "staff/home.html", {"links": sections.staff_links(request.user)})


def privacy(request):
    return render(request, "pages/privacy.html")


def accessibility(request):
    return render(request, "pages/accessibility.html")
