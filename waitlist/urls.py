from django.urls import path

from . import views

app_name = "waitlist"

urlpatterns = [
    path("<str:token>/", views.entry, name="entry"),
    path("<str:token>/accept/", views.accept, name="accept"),
    path("<str:token>/withdraw/", views.withdraw, name="withdraw"),
]
