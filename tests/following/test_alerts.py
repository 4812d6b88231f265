"""Alerts by mail, through a real SMTP server: one well-formed mail per change and follower,
sent by the worker, never by the save; a digest a day; nothing for a rolled-back change."""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stances import records
from stances.following import sweep
from stances.following.delivery import CLAIM_FOR
from stances.models import Alert, Confidence, Follower, Frequency, Subscription
from tests.factories import make_question, make_source, member_state
from tests.following.conftest import follow, html_of, run_worker, text_of

pytestmark = pytest.mark.django_db


def record(question, code, key, day=datetime.date(2024, 3, 18), summary="", sources=()):
    return records.record_change(
        question=question,
        member_state=member_state(code),
        position=question.positions.get(key=key),
        effective_on=day,
        summary=summary,
        confidence=Confidence.OFFICIAL,
        sources=sources,
    )


@pytest.fixture
def question():
    return make_question("Recognising the election")


def test_a_change_mails_each_follower_once_with_everything_it_needs(question, smtp):
    record(question, "HU", "maybe", datetime.date(2024, 3, 15))
    run_worker()
    follow("q@example.org", question=question)
    follow("hu@example.org", member_state=member_state("HU"))
    follow("all@example.org")
    both = follow("both@example.org", question=question)
    follow("both@example.org")  # follows everything too: still one mail
    follow("fr@example.org", member_state=member_state("FR"))
    source = make_source(title="Orbán congratulates", publisher="Reuters")
    record(question, "HU", "yes", summary="Congratulated the winner.", sources=[source])
    assert smtp.messages == []  # the save sent nothing: the worker does
    run_worker()

    assert sorted(m["To"] for m in smtp.messages) == [
        "all@example.org",
        "both@example.org",
        "hu@example.org",
        "q@example.org",
    ]
    [mail] = smtp.to("both@example.org")
    assert mail["Subject"].strip() == (
        "Hungary: from Undecided to Supports, since 18 March 2024 (Recognising the election)"
    )
    text, html = text_of(mail), html_of(mail)
    for part in (text, html):
        assert "Congratulated the winner." in part
        assert "Orbán congratulates" in part and source.url in part
        assert (
            f"https://stances.example.org/questions/{question.slug}/countries/hu/?as_of=2024-03-18"
            in part
        )
    assert "<img" not in html and "http://" not in html.replace(source.url, "")
    unsubscribe = re.fullmatch(
        r"<(https://stances\.example\.org/follow/unsubscribe/\S+/)>",
        mail["List-Unsubscribe"].strip(),
    )
    assert unsubscribe and mail["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    assert "/follow/manage/" in text
    assert Alert.objects.filter(follower=both.follower).count() == 1


def test_the_one_click_link_of_a_received_mail_works(client, question, smtp):
    follow("q@example.org", question=question)
    record(question, "DE", "no")
    run_worker()
    link = re.search(
        r"<https://stances\.example\.org(\S+)>", smtp.messages[0]["List-Unsubscribe"].strip()
    )
    response = client.post(link.group(1), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscription.objects.count() == 0
    record(question, "DE", "yes", datetime.date(2024, 3, 19))
    run_worker()
    assert len(smtp.messages) == 1


def test_a_rolled_back_change_queues_and_sends_nothing(question, smtp):
    follow("q@example.org", question=question)
    queued = DBTaskResult.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(question, "PL", "no")
        raise RuntimeError("the rest of the save failed")
    assert DBTaskResult.objects.count() == queued
    run_worker()
    assert smtp.messages == []


def test_an_unpublished_question_alerts_nobody(smtp):
    hidden = make_question(published=False)
    follow("all@example.org")
    record(hidden, "IT", "yes")
    run_worker()
    assert smtp.messages == []


def test_daily_followers_get_one_digest_grouped_per_question(question, smtp):
    other = make_question("Sanctions")
    follow("daily@example.org", Frequency.DAILY)
    follow("now@example.org", question=question)
    record(question, "AT", "yes")
    record(question, "BE", "no")
    record(other, "CZ", "maybe")
    run_worker()
    assert [m["To"] for m in smtp.messages] == ["now@example.org"] * 2
    smtp.messages.clear()

    sweep.queue_digests(sweep.digest_time(timezone.now()) + datetime.timedelta(minutes=1))
    run_worker()
    [digest] = smtp.messages
    assert digest["To"] == "daily@example.org"
    assert digest["Subject"].strip() == "Stances daily: 3 changes on 2 questions"
    text = text_of(digest)
    assert (
        text.index("== Recognising the election ==") < text.index("Austria") < text.index("Belgium")
    )
    assert text.index("== Sanctions ==") < text.index("Czechia")
    assert digest["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    # Nothing is owed twice: a second digest run sends nothing.
    from stances.following.tasks import send_digests

    send_digests.enqueue()
    run_worker()
    assert len(smtp.messages) == 1


def test_the_digest_waits_for_its_hour(settings):
    settings.DIGEST_HOUR = 7
    # Yesterday's morning: the task is queued now, so its enqueued_at is after that day's hour
    # whatever the time of this run (today's 7:00 may still be ahead).
    morning = (timezone.localtime() - datetime.timedelta(days=1)).replace(hour=6, minute=59)
    assert sweep.queue_digests(morning) == 0
    assert sweep.queue_digests(morning.replace(hour=7, minute=1)) == 1
    assert sweep.queue_digests(morning.replace(hour=9)) == 0


def test_a_worker_that_died_mid_send_is_resumed_without_losing_a_mail(question, smtp):
    for n in range(5):
        follow(f"r{n}@example.org", question=question)
    change = record(question, "SE", "yes")
    # The worker owed the alerts, claimed them, sent two, and was killed.
    from stances.following import delivery, news

    delivery.owe_alerts(news.move_of(change.pk))
    Alert.objects.filter(follower__email__in=["r0@example.org", "r1@example.org"]).update(
        sent_at=timezone.now()
    )
    Alert.objects.filter(sent_at=None).update(claimed_until=timezone.now() + CLAIM_FOR)
    DBTaskResult.objects.all().delete()  # its task is gone with it
    Alert.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    assert sweep.resume_alerts(timezone.now()) == 0  # still claimed: the worker may be alive
    # Its claims run out.
    Alert.objects.filter(sent_at=None).update(claimed_until=timezone.now())
    assert sweep.resume_alerts(timezone.now()) == 1
    run_worker()
    assert sorted(m["To"] for m in smtp.messages) == [f"r{n}@example.org" for n in range(2, 5)]


def test_a_task_whose_worker_died_is_run_again(question, smtp):
    follow("q@example.org", question=question)
    record(question, "NL", "no")
    task = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert sweep.resume_lost_tasks(timezone.now()) == 1
    run_worker()
    assert [m["To"] for m in smtp.messages] == ["q@example.org"]
    assert sweep.resume_lost_tasks(timezone.now()) == 0


def test_a_mail_server_that_is_away_delays_the_alerts_and_loses_none(question, smtp, settings):
    follow("q@example.org", question=question)
    record(question, "LV", "yes")
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    run_worker()
    assert smtp.messages == [] and Alert.objects.filter(sent_at=None).count() == 1
    settings.EMAIL_PORT = port
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert sweep.resume_alerts(later) == 1
    run_worker()
    assert [m["To"] for m in smtp.messages] == ["q@example.org"]


def test_the_fan_out_is_the_workers_the_save_costs_the_same_with_followers_or_none(question):
    def queries_of_a_save(code):
        with CaptureQueriesContext(connection) as queries:
            record(question, code, "yes")
        return len(queries)

    alone = queries_of_a_save("EE")
    follower = Follower.objects.create(email="x@example.org")
    Follower.objects.bulk_create(Follower(email=f"r{n}@example.org") for n in range(300))
    Subscription.objects.bulk_create(
        Subscription(follower=f, question=question, frequency="instant")
        for f in [follower, *Follower.objects.exclude(pk=follower.pk)]
    )
    assert queries_of_a_save("LT") == alone
    assert Alert.objects.count() == 0  # owed by the worker, later


def test_a_large_change_is_shared_between_senders_and_sent_once(question, smtp, monkeypatch):
    from stances.following import tasks

    monkeypatch.setattr(tasks, "ALERTS_PER_SENDER", 2)
    for n in range(7):
        follow(f"r{n}@example.org", question=question)
    change = record(question, "PT", "yes")
    run_worker()
    senders = DBTaskResult.objects.filter(task_path=tasks.send_alerts.module_path)
    assert senders.count() == 4
    assert sorted(m["To"] for m in smtp.messages) == [f"r{n}@example.org" for n in range(7)]
    assert Alert.objects.filter(change=change, sent_at=None).count() == 0


def test_the_sweep_leaves_a_change_that_is_being_sent_alone(question):
    from stances.following import delivery, news

    for n in range(3):
        follow(f"r{n}@example.org", question=question)
    change = record(question, "ES", "no")
    delivery.owe_alerts(news.move_of(change.pk))
    Alert.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    first = Alert.objects.order_by("pk").first()
    Alert.objects.filter(pk=first.pk).update(claimed_until=timezone.now() + CLAIM_FOR)
    assert sweep.resume_alerts(timezone.now()) == 0  # a sender holds a batch of it
    Alert.objects.update(claimed_until=None)
    assert sweep.resume_alerts(timezone.now()) == 1
