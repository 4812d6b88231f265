"""The second factor editors and admins give after their password: enrolment with a real TOTP
code, the code at later sign-ins, recovery codes, wrong codes, readers, and the admin's reset."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stances.models import SecurityEvent
from tests.factories import make_editor, make_question, record, sign_in_verified

PASSWORD = "a-long-editor-password"
EDIT = "/questions/{slug}/countries/hu/edit/"


def code_for(device, offset_steps=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def sign_in(client, username="editor", next_url="/"):
    data = {"username": username, "password": PASSWORD, "next": next_url}
    return client.post("/accounts/login/", data, REMOTE_ADDR="10.0.0.9")


def enrol(client, next_url="/"):
    page = client.get(f"/accounts/second-step/enrol/?next={next_url}").content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    secret = re.search(r'<code id="secret-key">([A-Z2-7=]+)</code>', page).group(1)
    return page, device, secret


@pytest.fixture
def question(db):
    question = make_question()
    record(question, "HU", "maybe", "2024-03-10")
    return question


def test_an_editor_without_a_second_factor_cannot_edit_or_open_the_admin(client, question):
    make_editor()
    response = sign_in(client, next_url=EDIT.format(slug=question.slug))
    follow = client.get(response["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith("/accounts/second-step/")
    editing = client.get(EDIT.format(slug=question.slug), follow=True)
    assert editing.request["PATH_INFO"] == "/accounts/second-step/enrol/"
    admin = client.get("/admin/stances/stance/", follow=True)
    assert admin.request["PATH_INFO"] == "/accounts/second-step/enrol/"
    assert "Set up your second step" in admin.content.decode()


def test_an_editor_enrols_with_a_code_from_the_app_then_edits(client, question):
    make_editor()
    sign_in(client)
    target = EDIT.format(slug=question.slug)
    page, device, secret = enrol(client, next_url=target)
    assert "<svg" in page and 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page and f"secret={secret}" in device.config_url
    response = client.post(
        "/accounts/second-step/enrol/", {"code": code_for(device), "next": target}
    )
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", codes_page)
    assert len(codes) == 10
    assert client.get(response["Location"]).status_code == 302  # shown only once
    assert client.get(target).status_code == 200
    assert SecurityEvent.objects.filter(kind="second_factor_enrolled", username="editor").exists()


def test_a_wrong_code_is_refused_with_a_message_and_noted(client, question, caplog):
    editor = make_editor()
    TOTPDevice.objects.create(user=editor, name="App", confirmed=True)
    sign_in(client)
    response = client.post("/accounts/second-step/", {"code": "000000", "next": "/"})
    body = response.content.decode()
    assert response.status_code == 200 and "That code is not right" in body
    assert 'aria-invalid="true"' in body
    assert client.get(EDIT.format(slug=question.slug)).status_code == 302
    event = SecurityEvent.objects.get(kind="second_factor_failed")
    assert event.username == "editor"
    assert '"event": "second_factor_failed"' in caplog.text


def test_repeated_wrong_codes_are_throttled(client, question):
    editor = make_editor()
    device = TOTPDevice.objects.create(user=editor, name="App", confirmed=True)
    sign_in(client)
    client.post("/accounts/second-step/", {"code": "000000"})
    # Right away after a failure, even the right code waits (django-otp's throttling).
    response = client.post("/accounts/second-step/", {"code": code_for(device)})
    assert "Too many wrong codes in a row" in response.content.decode()
    assert client.get(EDIT.format(slug=question.slug)).status_code == 302


def test_a_recovery_code_works_once(client, question):
    editor = make_editor()
    TOTPDevice.objects.create(user=editor, name="App", confirmed=True)
    static = editor.staticdevice_set.create(name="Recovery codes")
    StaticToken.objects.create(device=static, token="abcd1234")
    sign_in(client)
    response = client.post("/accounts/second-step/", {"code": "abcd1234", "next": "/about/"})
    assert response["Location"] == "/about/"
    assert client.get(EDIT.format(slug=question.slug)).status_code == 200
    client.post("/accounts/logout/")
    sign_in(client)
    again = client.post("/accounts/second-step/", {"code": "abcd1234", "next": "/"})
    assert again.status_code == 200 and "That code is not right" in again.content.decode()


def test_the_next_address_must_be_on_this_site(client, question):
    editor = make_editor()
    device = TOTPDevice.objects.create(user=editor, name="App", confirmed=True)
    sign_in(client)
    data = {"code": code_for(device), "next": "https://evil.example/"}
    assert client.post("/accounts/second-step/", data)["Location"] == "/"


def test_a_reader_is_never_asked(client, question):
    get_user_model().objects.create_user("reader", password=PASSWORD)
    response = sign_in(client, "reader", next_url="/about/")
    assert response["Location"] == "/about/"
    assert client.get("/about/").status_code == 200
    assert client.get("/accounts/second-step/")["Location"] == "/"


def test_an_admin_resets_an_editors_second_factor(client, question, admin_user):
    editor = make_editor()
    device = TOTPDevice.objects.create(user=editor, name="App", confirmed=True)
    sign_in_verified(client, admin_user)
    listing = client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "editor" in listing
    url = f"/admin/otp_totp/totpdevice/{device.pk}/delete/"
    client.post(url, {"post": "yes"})
    assert not TOTPDevice.objects.filter(user=editor).exists()
    other = client.__class__()
    sign_in(other)
    assert other.get("/accounts/second-step/", follow=True).request["PATH_INFO"] == (
        "/accounts/second-step/enrol/"
    )


def test_signing_out_ends_the_verification(client, question):
    editor = make_editor()
    device = TOTPDevice.objects.create(user=editor, name="App", confirmed=True)
    sign_in(client)
    client.post("/accounts/second-step/", {"code": code_for(device)})
    assert client.get(EDIT.format(slug=question.slug)).status_code == 200
    client.post("/accounts/logout/")
    sign_in(client)
    assert client.get(EDIT.format(slug=question.slug)).status_code == 302
