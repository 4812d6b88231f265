"""Webhooks against a real HTTP receiver that checks Standard Webhooks signatures: every change
once per message id, retried with backoff, every attempt logged, endpoints that fail for a day
turned off, and no request to a private network."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stances.following import delivery, tasks, webhooks
from stances.models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.factories import make_question, make_source, member_state
from tests.following.conftest import run_worker
from tests.following.test_alerts import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    return make_question("Recognising the election")


def endpoint_for(receiver, *, questions=(), member_states=(), name="Newsroom"):
    endpoint = WebhookEndpoint.objects.create(name=name, url=receiver.url, secret=receiver.secret)
    endpoint.questions.set(questions)
    endpoint.member_states.set(member_states)
    return endpoint


def due_now():
    """Time passes: every retry that is waiting is due."""
    WebhookDelivery.objects.filter(state=DeliveryState.PENDING).update(
        next_attempt_at=timezone.now()
    )
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_each_change_is_posted_signed_with_what_a_newsroom_needs(question, receiver):
    endpoint = endpoint_for(receiver)
    record(question, "HU", "maybe", datetime.date(2024, 3, 15))
    run_worker()
    source = make_source(title="Orbán congratulates")
    change = record(question, "HU", "yes", summary="Congratulated.", sources=[source])
    run_worker()
    assert [r.verified for r in receiver.received] == [True, True]
    last = receiver.received[-1]
    sent = WebhookDelivery.objects.get(change=change, endpoint=endpoint)
    assert last.message_id == sent.message_id and sent.state == DeliveryState.DELIVERED
    assert last.payload["type"] == "stance.changed"
    data = last.payload["data"]
    assert data["member_state"] == {"code": "HU", "name": "Hungary"}
    assert data["from"]["key"] == "maybe" and data["to"]["label"] == "Supports"
    assert (data["effective_on"], data["since"], data["summary"]) == (
        "2024-03-18",
        "2024-03-18",
        "Congratulated.",
    )
    assert data["sources"][0]["title"] == "Orbán congratulates"
    assert data["url"].startswith("https://stances.example.org/questions/")
    assert last.headers["content-type"] == "application/json"
    [attempt] = sent.attempts.all()
    assert attempt.status_code == 204 and attempt.succeeded


def test_filters_by_question_and_member_state(question, receiver):
    other = make_question("Sanctions")
    endpoint_for(receiver, questions=[question], member_states=[member_state("FR")])
    record(question, "FR", "yes")
    record(question, "DE", "yes")
    record(other, "FR", "yes")
    run_worker()
    assert [r.payload["data"]["member_state"]["code"] for r in receiver.received] == ["FR"]
    assert [r.payload["data"]["question"]["slug"] for r in receiver.received] == [question.slug]


def test_a_receiver_that_fails_gets_the_same_message_id_again_until_it_answers(question, receiver):
    endpoint_for(receiver)
    receiver.answers = [500, 503]
    record(question, "PL", "no")
    run_worker()
    assert len(receiver.received) == 1  # the retry waits its turn
    sent = WebhookDelivery.objects.get()
    assert sent.state == DeliveryState.PENDING and sent.next_attempt_at > timezone.now()
    for _ in range(2):
        due_now()
        run_worker()
    assert len({r.message_id for r in receiver.received}) == 1
    assert len(receiver.received) == 3
    sent.refresh_from_db()
    assert sent.state == DeliveryState.DELIVERED
    codes = list(sent.attempts.order_by("started_at").values_list("status_code", flat=True))
    assert codes == [500, 503, 204]


def test_a_receiver_that_does_not_answer_in_time_is_logged_and_retried(
    question, receiver, settings
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    endpoint_for(receiver)
    receiver.delay = 1.5
    record(question, "RO", "yes")
    run_worker()
    receiver.delay = 0
    [attempt] = WebhookAttempt.objects.all()
    assert attempt.status_code is None and "timed out" in attempt.error
    assert attempt.duration_ms >= 1000
    due_now()
    run_worker()
    assert WebhookDelivery.objects.get().state == DeliveryState.DELIVERED


def test_the_backoff_doubles_and_is_capped(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    waits = [delivery.retry_delay(n).total_seconds() for n in range(1, 12)]
    assert waits[:4] == [30, 60, 120, 240]
    assert max(waits) == delivery.LONGEST_WAIT.total_seconds()


def test_a_day_of_failures_turns_the_endpoint_off_and_tells_the_admins(
    question, receiver, settings
):
    settings.ADMINS = [("Ops", "ops@example.org")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    endpoint = endpoint_for(receiver)
    receiver.answers = [500] * 10
    record(question, "SK", "no")
    run_worker()
    WebhookEndpoint.objects.update(failing_since=timezone.now() - datetime.timedelta(days=1))
    record(question, "SI", "no")  # one more change, owed but never sent
    due_now()
    run_worker()
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "a day of failures (last: HTTP 500)" in endpoint.disabled_reason
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {DeliveryState.FAILED}
    [alert] = mail.outbox
    assert alert.to == ["ops@example.org"] and "Newsroom" in alert.subject
    record(question, "HR", "no")
    run_worker()
    assert WebhookDelivery.objects.filter(change__stance__member_state__code="HR").count() == 0


def test_a_resumed_fan_out_owes_nothing_twice(question, receiver):
    endpoint_for(receiver)
    change = record(question, "IE", "yes")
    tasks.fan_out.enqueue(change.pk)  # as if the first run had died half way and been resumed
    run_worker()
    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.received) == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/hook",
        "https://192.168.1.20/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://0.0.0.0/hook",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(webhooks.RefusedAddress, match="webhooks go only to public hosts"):
        webhooks.check_url(url)


def test_plain_http_and_addresses_with_passwords_are_refused_in_production(settings):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    with pytest.raises(webhooks.RefusedAddress, match="Only https://"):
        webhooks.check_url("http://93.184.215.14/hook")
    with pytest.raises(webhooks.RefusedAddress, match="no user name or password"):
        webhooks.check_url("https://user:pw@93.184.215.14/hook")
    with pytest.raises(webhooks.RefusedAddress, match="could not be resolved"):
        webhooks.check_url("https://no-such-host.invalid/hook")
    assert webhooks.check_url("https://93.184.215.14/hook")[3] == "93.184.215.14"


def test_a_refused_address_is_logged_as_the_attempts_error(question, receiver, settings):
    endpoint_for(receiver)
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    record(question, "LU", "yes")
    run_worker()
    assert receiver.received == []
    assert "public hosts" in WebhookAttempt.objects.get().error


def test_the_admin_refuses_a_private_address_with_the_reason(admin_client, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    add = reverse("admin:stances_webhookendpoint_add")
    form = admin_client.get(add).content.decode()
    assert 'value="whsec_' in form  # a fresh secret is suggested
    response = admin_client.post(
        add, {"name": "Inside", "url": "https://10.1.2.3/x", "secret": webhooks.new_secret()}
    )
    assert response.status_code == 200
    assert "10.1.2.3, a private, loopback or link-local address" in response.content.decode()
    bad_secret = admin_client.post(
        add, {"name": "Inside", "url": "https://93.184.215.14/x", "secret": "hunter2"}
    )
    assert "Use a secret of the form whsec_" in bad_secret.content.decode()
    assert WebhookEndpoint.objects.count() == 0


def test_the_admin_shows_health_every_attempt_and_redelivers_under_the_same_id(
    admin_client, question, receiver
):
    endpoint_for(receiver)
    receiver.answers = [500]
    record(question, "MT", "yes")
    run_worker()
    listing = admin_client.get(reverse("admin:stances_webhookendpoint_changelist"))
    assert listing.status_code == 200
    sent = WebhookDelivery.objects.get()
    page = admin_client.get(reverse("admin:stances_webhookdelivery_change", args=[sent.pk]))
    body = page.content.decode()
    assert "Redeliver (same message id)" in body and "500" in body
    due_now()
    run_worker()  # delivered now
    redeliver = reverse("admin:stances_webhookdelivery_redeliver", args=[sent.pk])
    assert admin_client.post(redeliver).status_code == 302
    run_worker()
    assert [r.message_id for r in receiver.received] == [sent.message_id] * 3
    assert WebhookDelivery.objects.get().attempts.count() == 3


def test_what_is_posted_is_what_the_openapi_document_describes(question, receiver):
    from jsonschema import Draft202012Validator, FormatChecker

    from stances.published.openapi import openapi_document

    endpoint_for(receiver)
    record(question, "CY", "maybe", datetime.date(2024, 3, 15))
    record(question, "CY", "no", sources=[make_source(published_on=None)])
    run_worker()
    document = openapi_document()
    body = document["webhooks"]["stanceChanged"]["post"]["requestBody"]
    schema = {**body["content"]["application/json"]["schema"], **document}
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    for received in receiver.received:
        errors = [
            f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(received.payload)
        ]
        assert errors == []
    assert receiver.received[0].payload["data"]["from"] is None


def test_editors_see_the_health_and_who_follows_but_no_secret_and_no_address(
    editor_client, question, receiver
):
    endpoint = endpoint_for(receiver)
    record(question, "DK", "yes")
    run_worker()
    from stances.models import Follower, Subscription

    follower = Follower.objects.create(email="private@example.org")
    Subscription.objects.create(follower=follower, question=question, frequency="daily")
    listing = editor_client.get(reverse("admin:stances_webhookendpoint_changelist"))
    assert listing.status_code == 200 and "Newsroom" in listing.content.decode()
    page = editor_client.get(reverse("admin:stances_webhookendpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200 and endpoint.secret not in page.content.decode()
    questions = editor_client.get(reverse("admin:stances_question_changelist")).content.decode()
    assert "Readers following" in questions and 'class="field-followers">1<' in questions
    subscriptions = reverse("admin:stances_subscription_changelist")
    assert editor_client.get(subscriptions).status_code == 403
