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
