from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def portal(request):
    return None


def staff_links(user):
    if not user.has_perm("operations.view_jobrun"):
        return []
    return [(_("Scheduled jobs: last runs and results"), reverse("operations:jobs"))]
