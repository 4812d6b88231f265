"""Signing in and out in the site's own pages."""

import pytest
from django.urls import reverse

from tests.factories import make_editor, make_question, record

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_in_the_sites_style_with_labelled_fields(client):
    body = client.get(reverse("login")).content.decode()
    assert 'class="site-header"' in body
    assert '<label for="id_username">' in body and '<label for="id_password">' in body


def test_signing_in_returns_to_the_page_asked_for(client):
    make_editor("carla", "a-long-editor-password")
    question = make_question()
    target = reverse("question", args=[question.slug])
    response = client.post(
        reverse("login"),
        {"username": "carla", "password": "a-long-editor-password", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == target


def test_a_next_pointing_to_another_site_is_ignored(client):
    make_editor("carla", "a-long-editor-password")
    response = client.post(
        reverse("login"),
        {
            "username": "carla",
            "password": "a-long-editor-password",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("home")


def test_a_wrong_password_gets_a_clear_message(client):
    make_editor("carla", "a-long-editor-password")
    response = client.post(reverse("login"), {"username": "carla", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_signing_out_ends_the_session(editor_client):
    question = make_question()
    record(question, "HU", "maybe", "2024-03-01")
    assert editor_client.post(reverse("logout")).status_code == 302
    response = editor_client.get(reverse("edit_stance", args=[question.slug, "hu"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_editor_role_is_asked_on_each_request_with_the_user_whichever_backend(client):
    """Signed in through the site, the session names the backend that reads the user and their
    role in one query; a session begun before it (ModelBackend) stays signed in. In both, a
    role taken away counts from the next request."""
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.auth.models import Group

    from stances.permissions import EDITORS
    from tests.factories import pass_second_step

    editor = make_editor("carla", "a-long-editor-password")
    question = make_question()
    record(question, "HU", "maybe", "2024-03-01")
    edit = reverse("edit_stance", args=[question.slug, "hu"])
    for backend in (
        "stances.permissions.EditorRoleBackend",
        "django.contrib.auth.backends.ModelBackend",
    ):
        editor.groups.add(Group.objects.get(name=EDITORS))
        client.post(reverse("login"), {"username": "carla", "password": "a-long-editor-password"})
        session = client.session
        assert session[BACKEND_SESSION_KEY] == "stances.permissions.EditorRoleBackend"
        session[BACKEND_SESSION_KEY] = backend
        session.save()
        pass_second_step(client, editor)
        assert client.get(edit).status_code == 200
        editor.groups.clear()
        assert client.get(edit).status_code == 403
        client.logout()
