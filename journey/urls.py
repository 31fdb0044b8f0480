from django.urls import path

from journey import people, views

app_name = "journey"

urlpatterns = [
    path("", views.mine, name="index"),
    path("mine/", views.mine, name="mine"),
    path("enquire/", views.enquire, name="enquire"),
    path("documents/", views.upload, name="upload"),
    path("documents/<int:pk>/file/", views.document_file, name="document-file"),
    path("documents/<int:pk>/review/", views.review_document, name="document-review"),
    path("business/", views.my_business, name="my-business"),
    path("board/", views.board, name="board"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/advance/", views.advance, name="advance"),
    path("projects/<int:pk>/close/", views.close, name="close"),
    path("projects/<int:pk>/steps/<slug:key>/", views.tick_step, name="step"),
    path("projects/<int:pk>/agenda/", views.put_on_agenda, name="agenda"),
    path("projects/<int:pk>/<slug:fact>/", views.edit_fact, name="fact"),
    path("check-ins/<int:pk>/", views.record_checkin, name="checkin"),
    path("enquiries/", views.enquiries, name="enquiries"),
    path("enquiries/<int:pk>/convert/", views.convert_enquiry, name="enquiry-convert"),
    path("enquiries/<int:pk>/drop/", views.drop_enquiry, name="enquiry-drop"),
    path("people/<int:pk>/referent/", people.assign_referent, name="person-referent"),
]
