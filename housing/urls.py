from django.urls import path

from . import views

app_name = "housing"

urlpatterns = [
    path("", views.index, name="index"),
    path("grid/", views.grid, name="grid"),
    path("grid/v<int:version>/", views.grid, name="grid-version"),
    path("apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/documents/", views.upload_document, name="upload-document"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/explanation/", views.request_explanation, name="request-explanation"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("letters/<int:pk>/", views.letter, name="letter"),
    path("staff/", views.staff_board, name="staff-board"),
    path("staff/scoring/", views.run_scoring, name="run-scoring"),
    path("staff/meetings/new/", views.meeting_create, name="meeting-create"),
    path("staff/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("staff/meetings/<int:pk>/open/", views.meeting_open, name="meeting-open"),
    path("staff/meetings/<int:pk>/close/", views.meeting_close, name="meeting-close"),
    path("staff/meetings/<int:pk>/reschedule/", views.meeting_reschedule, name="meeting-reschedule"),
    path("staff/meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting-attendance"),
    path("staff/meetings/<int:pk>/conflicts/", views.meeting_conflict, name="meeting-conflict"),
    path("staff/meetings/<int:pk>/proposals/", views.meeting_proposal, name="meeting-proposal"),
    path("staff/meetings/<int:pk>/minutes.pdf", views.meeting_minutes, name="meeting-minutes"),
    path("staff/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("staff/occupancies/new/<int:application_pk>/", views.occupancy_create, name="occupancy-create"),
    path("staff/occupancies/<int:pk>/renew/", views.occupancy_renew, name="occupancy-renew"),
    path("staff/explanations/", views.explanation_requests, name="explanations"),
    path("staff/explanations/<int:pk>/", views.explanation_answer, name="explanation-answer"),
    path("staff/timeline/", views.timeline_view, name="timeline"),
    path("staff/statistics/", views.statistics, name="statistics"),
    path("staff/statistics/<int:year>.<str:fmt>", views.statistics_export, name="statistics-export"),
]
