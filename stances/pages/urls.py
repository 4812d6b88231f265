"""The addresses of the reader and editor pages (stances/urls.py says which are cached)."""

from django.urls import path

from stances.pages import comparing, editing, views

# Anyone may read these; anonymous readers share one cached copy.
reader_urls = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("questions/<slug:slug>/", views.question, name="question"),
    path(
        "questions/<slug:slug>/countries/<str:code>/",
        views.country_timeline,
        name="country_timeline",
    ),
    path("questions/<slug:slug>/map.svg", views.question_map_svg, name="question_map_svg"),
    path("questions/<slug:slug>/compare/", comparing.question_compare, name="question_compare"),
    path("countries/<str:code>/", views.member_state, name="member_state"),
    path(
        "countries/<str:code>/compare/",
        comparing.member_state_compare,
        name="member_state_compare",
    ),
]

# The one page other sites may show in an <iframe>.
embed_urls = [
    path("questions/<slug:slug>/embed/", views.question_embed, name="question_embed"),
]

editor_urls = [
    path("checks/", editing.due_checks, name="due_checks"),
    path(
        "questions/<slug:slug>/countries/<str:code>/edit/",
        editing.edit_stance,
        name="edit_stance",
    ),
    path(
        "questions/<slug:slug>/countries/<str:code>/correct/",
        editing.correct_stance,
        name="correct_stance",
    ),
    path(
        "questions/<slug:slug>/countries/<str:code>/check/",
        editing.check_stance,
        name="check_stance",
    ),
]
