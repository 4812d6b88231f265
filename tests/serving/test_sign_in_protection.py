"""Sign-in protection: throttling per account and per address with a cool-off, an audit of
failures, password rules, and a fresh session on every sign-in and sign-out."""

import datetime
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import F
from django.urls import reverse

from tests.factories import make_editor, pass_second_step, sign_in_verified

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-editor-password"
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def carla(db):
    return make_editor("carla", PASSWORD)


def sign_in(client, username, password, address="10.0.0.1", url=LOGIN, **headers):
    data = {"username": username, "password": password}
    return client.post(url, data, REMOTE_ADDR=address, **headers)


def fail(client, times, username="carla", address="10.0.0.1", url=LOGIN, **headers):
    for _ in range(times):
        response = sign_in(client, username, "wrong password", address, url, **headers)
    return response


def test_four_wrong_passwords_still_leave_the_form_open(client, carla):
    response = fail(client, 4)
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_the_fifth_wrong_password_pauses_sign_in_with_a_clear_429_page(client, carla):
    response = fail(client, 5)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Sign-in paused" in body
    assert "5 failed sign-in attempts" in body
    assert "Try again in 15 minutes" in body


def test_a_locked_account_stays_locked_even_with_the_right_password(client, carla):
    fail(client, 5)
    response = sign_in(client, "carla", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_account_stays_locked_from_another_address(client, carla):
    fail(client, 5, address="10.0.0.1")
    assert sign_in(client, "carla", PASSWORD, address="10.0.0.2").status_code == 429


def test_failures_from_one_address_lock_that_address_for_every_account(client, carla):
    for n in range(5):
        fail(client, 1, username=f"guess-{n}", address="10.0.0.9")
    assert sign_in(client, "carla", PASSWORD, address="10.0.0.9").status_code == 429
    assert sign_in(client, "carla", PASSWORD, address="10.0.0.1").status_code == 302


def test_the_pause_lifts_by_itself_after_the_cool_off(client, carla):
    fail(client, 5)
    earlier = datetime.timedelta(minutes=16)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= earlier
        attempt.save()
    response = sign_in(client, "carla", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username="carla").pk)


def test_a_successful_sign_in_forgets_earlier_failures(client, carla):
    fail(client, 4)
    assert sign_in(client, "carla", PASSWORD).status_code == 302
    client.logout()
    assert fail(client, 4).status_code == 200


def test_failed_attempts_are_recorded_for_the_admins_to_see(client, carla, admin_client):
    fail(client, 2, address="10.0.0.7", HTTP_USER_AGENT="curl/8")
    attempt = AccessAttempt.objects.get(username="carla")
    assert attempt.failures_since_start == 2
    assert attempt.ip_address == "10.0.0.7"
    assert AccessFailureLog.objects.filter(username="carla", ip_address="10.0.0.7").count() == 2
    for page in ("/admin/axes/accessattempt/", "/admin/axes/accessfailurelog/"):
        body = admin_client.get(page).content.decode()
        assert "carla" in body and "10.0.0.7" in body


def test_the_admin_sign_in_is_throttled_the_same_way(client, carla):
    response = fail(client, 5, url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert sign_in(client, "carla", PASSWORD, url=LOGIN).status_code == 429


@pytest.mark.parametrize("proxies", [1, 2])
def test_behind_trusted_proxies_each_reader_is_throttled_by_their_own_address(
    client, carla, settings, proxies
):
    settings.TRUSTED_PROXY_COUNT = proxies
    behind = ", 172.16.0.1" * (proxies - 1)
    # An attacker's failures, with a forged address at the left end of the header.
    fail(client, 5, address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, 203.0.113.9{behind}")
    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address == "203.0.113.9"
    # Another editor behind the same proxies still signs in.
    make_editor("dora", PASSWORD)
    forwarded = f"198.51.100.5{behind}"
    response = sign_in(client, "dora", PASSWORD, HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 302


def test_weak_passwords_are_refused_when_changing_it(client, carla):
    sign_in_verified(client, carla)
    for weak, reason in [
        ("password", "This password is too common."),
        ("84629137", "This password is entirely numeric."),
        ("k3x!", "This password is too short."),
    ]:
        response = client.post(
            "/admin/password_change/",
            {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200
        assert reason in response.content.decode()


def test_signing_in_starts_a_new_session(client, carla):
    before = client.session
    before["seen"] = True
    before.save()
    old_key = before.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert sign_in(client, "carla", PASSWORD).status_code == 302
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not SessionStore().exists(old_key)
    assert SessionStore(new_key)["_auth_user_id"] == str(carla.pk)


def test_signing_out_deletes_the_session(client, carla):
    assert sign_in(client, "carla", PASSWORD).status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("logout")).status_code == 302
    assert not SessionStore().exists(key)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == ""


def test_attempts_during_the_pause_do_not_make_it_longer(client, carla):
    fail(client, 5)
    ten_minutes = datetime.timedelta(minutes=10)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - ten_minutes)
    still = fail(client, 3)  # an attacker keeps trying, five minutes before the end
    assert still.status_code == 429
    assert 240 <= int(still["Retry-After"]) <= 300
    assert "Try again in 5 minutes" in still.content.decode()
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=5))
    assert sign_in(client, "carla", PASSWORD).status_code == 302


def test_the_pause_says_in_retry_after_how_long_it_has_left(client, carla):
    response = fail(client, 5)
    assert response.status_code == 429
    assert 890 <= int(response["Retry-After"]) <= 900
    assert "Try again in 15 minutes" in response.content.decode()


def test_passwords_have_at_least_twelve_characters(client, carla):
    sign_in_verified(client, carla)
    short = "k3x!Tq9@zw1"  # 11
    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": short, "new_password2": short},
    )
    assert "at least 12 characters" in response.content.decode()


def signed_in_editor(client, carla):
    assert sign_in(client, "carla", PASSWORD).status_code == 302
    pass_second_step(client, carla)
    return client


def shift(client, **seconds_ago):
    from stances.serving import sessions

    session = client.session
    for key, ago in seconds_ago.items():
        session[getattr(sessions, key)] = session[getattr(sessions, key)] - ago
    session.save()


def test_a_session_ends_after_an_idle_hour(client, carla):
    signed_in_editor(client, carla)
    shift(client, SEEN_AT=30 * 60)
    assert client.get("/admin/").status_code == 200  # half an hour idle: still in
    shift(client, SEEN_AT=61 * 60)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_busy_session_still_ends_after_a_working_day(client, carla):
    signed_in_editor(client, carla)
    shift(client, SIGNED_IN_AT=9 * 3600)
    assert client.get("/admin/").status_code == 200
    shift(client, SIGNED_IN_AT=1 * 3600 + 1)
    assert client.get("/admin/").status_code == 302


def test_using_the_site_keeps_the_idle_hour_moving(client, carla, settings):
    from stances.serving import sessions

    signed_in_editor(client, carla)
    shift(client, SEEN_AT=50 * 60)
    client.get("/admin/")
    assert int(time.time()) - client.session[sessions.SEEN_AT] < 5
    assert settings.SESSION_COOKIE_AGE == 3600


def test_security_events_are_logged_as_json_lines_and_listed_for_admins(
    client, carla, admin_client, caplog
):
    import json

    from stances.models import SecurityEvent

    with caplog.at_level("WARNING", logger="stances.security"):
        fail(client, 5, address="10.0.0.9")
        fail(client, 2, address="10.0.0.9")  # during the pause: not listed again
        reader = get_user_model().objects.create_user("rita", password="a-long-reader-password")
        client.force_login(reader)
        client.get("/questions/x/countries/hu/edit/")  # readers may not edit: a 403
    events = SecurityEvent.objects.order_by("at", "pk")
    assert events.filter(kind="signed_in", username="rita").exists()
    kinds = list(events.exclude(kind="signed_in").values_list("kind", flat=True))
    assert kinds.count("sign_in_failed") == 7  # the attempts during the pause too
    assert kinds.count("sign_in_paused") == 1 and kinds[-1] == "forbidden"
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "stances.security"]
    lines = [line for line in lines if line["event"] != "signed_in"]
    failed = lines[0]
    assert (failed["event"], failed["user"], failed["address"]) == (
        "sign_in_failed",
        "carla",
        "10.0.0.9",
    )
    assert lines[-1]["event"] == "forbidden" and lines[-1]["user"] == "rita"
    listing = admin_client.get("/admin/stances/securityevent/").content.decode()
    assert "Sign-in paused" in listing and "10.0.0.9" in listing
