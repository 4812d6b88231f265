"""URLs of the site."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from stances import edit_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("questions/<slug:slug>/", views.question, name="question"),
    path(
        "questions/<slug:slug>/countries/<str:code>/",
        views.country_timeline,
        name="country_timeline",
    ),
    path("questions/<slug:slug>/embed/", views.question_embed, name="question_embed"),
    path("questions/<slug:slug>/map.svg", views.question_map_svg, name="question_map_svg"),
    path(
        "questions/<slug:slug>/countries/<str:code>/edit/",
        edit_views.edit_stance,
        name="edit_stance",
    ),
    path(
        "questions/<slug:slug>/countries/<str:code>/correct/",
        edit_views.correct_stance,
        name="correct_stance",
    ),
    path("countries/<str:code>/", views.member_state, name="member_state"),
    path("", include("stances.data_urls")),
    # Sign-in and sign-out only: passwords are changed in the admin, and resets by an admin
    # (no mail is sent from here).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
