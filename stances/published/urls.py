"""The addresses of the data that goes out: downloads, Atom feeds and the read-only API."""

from django.urls import path

from stances.published import api, api_page, downloads
from stances.published.feeds import ChangesFeed, QuestionChangesFeed

urlpatterns = [
    path(
        "questions/<slug:slug>/export.csv",
        downloads.question_export,
        {"format": "csv"},
        name="question_export_csv",
    ),
    path(
        "questions/<slug:slug>/export.json",
        downloads.question_export,
        {"format": "json"},
        name="question_export_json",
    ),
    path(
        "questions/<slug:slug>/timeline.csv",
        downloads.question_timeline,
        {"format": "csv"},
        name="question_timeline_csv",
    ),
    path(
        "questions/<slug:slug>/timeline.json",
        downloads.question_timeline,
        {"format": "json"},
        name="question_timeline_json",
    ),
    path(
        "questions/<slug:slug>/compare.csv",
        downloads.question_compare,
        {"format": "csv"},
        name="question_compare_csv",
    ),
    path(
        "questions/<slug:slug>/compare.json",
        downloads.question_compare,
        {"format": "json"},
        name="question_compare_json",
    ),
    path(
        "questions/<slug:slug>/changes.atom",
        QuestionChangesFeed(),
        name="question_changes_feed",
    ),
    path("feeds/changes.atom", ChangesFeed(), name="changes_feed"),
    path("api/questions", api.questions, name="api_questions"),
    path("api/questions/<slug:slug>", api.question, name="api_question"),
    path("api/questions/<slug:slug>/stances", api.stances, name="api_stances"),
    path("api/questions/<slug:slug>/compare", api.compare, name="api_question_compare"),
    path("api/member-states", api.member_states, name="api_member_states"),
    path("api/member-states/<str:code>", api.member_state, name="api_member_state"),
    path("api/changes", api.changes, name="api_changes"),
    path("api/openapi.json", api.openapi, name="api_openapi"),
]

# The page for people shows who is signed in, like the other pages: not the same for everyone.
page_urls = [path("api/", api_page.api_page, name="api_page")]
