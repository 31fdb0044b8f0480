from django.urls import path

from impact import views

app_name = "impact"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.<str:fmt>", views.export, name="export"),
    path("dashboard/records/<slug:figure>/", views.records, name="records"),
    path("invoices/<int:pk>/", views.invoice, name="invoice"),
    path("my-local-spending/", views.declare_spending, name="declare-spending"),
]
