import os

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from operations import views as operations_views
from telecentre import people, views, wellknown

handler400 = views.bad_request

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", operations_views.healthz, name="healthz"),
    path(".well-known/security.txt", wellknown.security_txt, name="security-txt"),
    path("robots.txt", wellknown.robots_txt, name="robots-txt"),
    path("portal/", views.portal, name="portal"),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/people/", people.people, name="people"),
    path("staff/people/<int:pk>/", people.person, name="person"),
    path("staff/people/<int:pk>/contacts/", people.add_contact, name="person-contact"),
    path("legal-notice/", views.legal_notice, name="legal-notice"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("privacy/", include("privacy.urls")),
    path("organisation/", include("organisation.urls")),
    path("staff/audit/", include("audit.urls")),
    path("staff/jobs/", include("operations.urls")),
    path("coworking/", include("coworking.urls")),
    path("waitlist/", include("waitlist.urls")),
    path("trainings/", include("telecentre.training.urls")),
    path("housing/", include("housing.urls")),
    path("forum/", include("forum.urls")),
    path("journey/", include("journey.urls")),
    path("impact/", include("impact.urls")),
    path("admin/", admin.site.urls),
]

if os.environ.get("BENCH_BARE_VIEW"):  # `make bench` measures every page against this bare view
    from telecentre import bench_views

    urlpatterns.append(path("bench/bare/", bench_views.bare))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
