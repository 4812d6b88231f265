"""The follow pages' addresses: never cached (each answer is one reader's)."""

from django.urls import path

from stances.following import views

urlpatterns = [
    path("follow/", views.follow, name="follow"),
    path("follow/confirm/<str:token>/", views.confirm, name="follow_confirm"),
    path("follow/unsubscribe/<str:token>/", views.unsubscribe, name="follow_unsubscribe"),
    path("follow/manage/<str:token>/", views.manage, name="follow_manage"),
]
