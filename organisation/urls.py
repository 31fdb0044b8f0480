from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    path("theme.css", views.theme_css, name="theme"),
]
