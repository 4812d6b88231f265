"""Where readers send their reports: never cached (each answer is one reader's)."""

from django.urls import path

from stances.reports import views

urlpatterns = [
    path(
        "questions/<slug:slug>/countries/<str:code>/report/",
        views.report_error,
        name="report_error",
    ),
]
