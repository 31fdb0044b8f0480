from django.conf import settings
from django.utils.functional import SimpleLazyObject

from organisation.models import Organisation


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        # Lazy: pages that never name the body (the admin) pay no query for it.
        "organisation": SimpleLazyObject(Organisation.current),
        "LOGIN_COOLOFF_MINUTES": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
