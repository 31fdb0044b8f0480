from django.conf import settings


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "LOGIN_COOLOFF_MINUTES": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
