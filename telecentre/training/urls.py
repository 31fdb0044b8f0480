from django.urls import path

from telecentre.training import staff, views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.my_enrolment, name="my-enrolment"),
    path("mine/<int:pk>/contract/", views.sign_contract, name="sign-contract"),
    path("mine/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("mine/attendance/", views.my_attendance, name="my-attendance"),
    path("mine/attendance/<int:slot_pk>/", views.sign, name="sign"),
    path("mine/certificates/", views.my_certificates, name="my-certificates"),
    path("mine/complaint/", views.complaint, name="complaint"),
    path("certificates/<int:pk>.pdf", views.certificate_pdf, name="certificate-pdf"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("survey/<str:token>/", views.survey, name="survey"),
    path("staff/", staff.calendar_view, name="staff-calendar"),
    path("staff/sessions/<int:pk>/", staff.session_view, name="staff-session"),
    path("staff/sessions/<int:pk>/slots/", staff.add_slots, name="add-slots"),
    path("staff/sessions/<int:pk>/cancel/", staff.cancel_session, name="cancel-session"),
    path("staff/sessions/<int:pk>/complete/", staff.complete_session, name="complete-session"),
    path("staff/sessions/<int:pk>/attendance.pdf", staff.attendance_pdf, name="attendance-pdf"),
    path("staff/enrolments/<int:pk>/decide/", staff.decide, name="decide"),
    path("staff/enrolments/<int:pk>/cancel/", staff.staff_cancel_enrolment, name="staff-cancel-enrolment"),
    path("staff/half-days/<int:pk>/", staff.slot_sheet, name="slot-sheet"),
    path("staff/half-days/<int:pk>/sign/<int:enrolment_pk>/", staff.tablet_sign, name="tablet-sign"),
    path("staff/half-days/<int:pk>/absent/", staff.mark_absent, name="mark-absent"),
    path("staff/half-days/<int:pk>/trainer-sign/", staff.trainer_sign, name="trainer-sign"),
    path("staff/half-days/<int:pk>/correct/", staff.correct, name="correct"),
    path("staff/exports/", staff.exports, name="exports"),
    path("staff/exports/bpf.<str:fmt>", staff.export, name="export"),
    path("staff/complaints/", staff.complaints, name="staff-complaints"),
    path("staff/complaints/<int:pk>/<str:action>/", staff.complaint_action, name="complaint-action"),
    path("<slug:slug>/", views.programme, name="programme"),
    path("<slug:slug>/results/", views.programme_results_view, name="results"),
]
