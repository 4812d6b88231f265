"""URLs of the data that goes out: downloads, Atom feeds and the read-only API."""

from django.urls import path

from stances import api_views, data_views
from stances.caching import public_page
from stances.feeds import ChangesFeed, QuestionChangesFeed

urlpatterns = [
    path(
        "questions/<slug:slug>/export.csv",
        data_views.question_export,
        {"format": "csv"},
        name="question_export_csv",
    ),
    path(
        "questions/<slug:slug>/export.json",
        data_views.question_export,
        {"format": "json"},
        name="question_export_json",
    ),
    path(
        "questions/<slug:slug>/timeline.csv",
        data_views.question_timeline,
        {"format": "csv"},
        name="question_timeline_csv",
    ),
    path(
        "questions/<slug:slug>/timeline.json",
        data_views.question_timeline,
        {"format": "json"},
        name="question_timeline_json",
    ),
    path(
        "questions/<slug:slug>/changes.atom",
        public_page(QuestionChangesFeed(), same_for_everyone=True),
        name="question_changes_feed",
    ),
    path(
        "feeds/changes.atom",
        public_page(ChangesFeed(), same_for_everyone=True),
        name="changes_feed",
    ),
    path("api/questions", api_views.questions, name="api_questions"),
    path("api/questions/<slug:slug>", api_views.question, name="api_question"),
    path("api/questions/<slug:slug>/stances", api_views.stances, name="api_stances"),
    path("api/member-states", api_views.member_states, name="api_member_states"),
    path("api/member-states/<str:code>", api_views.member_state, name="api_member_state"),
    path("api/changes", api_views.changes, name="api_changes"),
    path("api/openapi.json", api_views.openapi, name="api_openapi"),
]
