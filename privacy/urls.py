from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my-data"),
    path("my-data/export.json", views.export_json, name="export-json"),
    path("my-data/export/", views.export_html, name="export-html"),
    path("register/", views.register, name="register"),
    path("requests/", views.requests, name="requests"),
    path("accessibility-report/", views.accessibility_report, name="accessibility-report"),
]
