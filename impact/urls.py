from django.urls import path

from impact import views

app_name = "impact"

urlpatterns = []
