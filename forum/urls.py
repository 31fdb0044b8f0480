from django.urls import path

from forum import staff_views, views

app_name = "forum"

urlpatterns = [
    path("", views.index, name="index"),
    path("programme/", views.programme, name="programme"),
    path("seats.json", views.seats, name="seats"),
    path("link/", views.resend_link, name="resend-link"),
    path("r/<str:token>/", views.manage, name="manage"),
    path("r/<str:token>/workshops/", views.change_workshops, name="change-workshops"),
    path("r/<str:token>/cancel/", views.cancel, name="cancel"),
    path("r/<str:token>/calendar.ics", views.calendar, name="calendar"),
    path("r/<str:token>/certificate/<int:workshop_pk>/", views.certificate, name="certificate"),
    path("staff/check-in/", staff_views.checkin, name="checkin"),
    path("staff/check-in/scan/", staff_views.checkin_scan, name="checkin-scan"),
    path("staff/check-in/<int:pk>/", staff_views.checkin_attendee, name="checkin-attendee"),
    path("staff/walk-in/", staff_views.walk_in, name="walk-in"),
    path("staff/statistics/", staff_views.statistics, name="statistics"),
    path("staff/newcomers/", staff_views.pass_on_newcomers, name="pass-on-newcomers"),
    path("staff/mailing/", staff_views.mailing, name="mailing"),
    path("staff/limits/", staff_views.limits, name="limits"),
    path("staff/workshops/<int:pk>/certificates/", staff_views.workshop_certificates, name="workshop-certificates"),
]
