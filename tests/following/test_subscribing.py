"""Following without an account: double opt-in, no enumeration, throttling, signed links."""

import datetime
import re

import pytest
from django.core import signing
from django.utils import timezone

from stances.following import subscribing, throttle, tokens
from stances.following.subscribing import Subject
from stances.models import Follower, Frequency, Subscription
from tests.factories import make_question, member_state
from tests.following.conftest import follow, html_of, run_worker, text_of

pytestmark = pytest.mark.django_db


def ask(client, email="reader@example.org", subject="everything", frequency="instant", **extra):
    data = {
        "follow-email": email,
        "follow-frequency": frequency,
        "follow-subject": subject,
        **extra,
    }
    return client.post("/follow/", data, **extra.pop("headers", {}))


def confirm_link(message) -> str:
    url = re.search(r"https://stances\.example\.org(/follow/confirm/[^/\s]+/)", text_of(message))
    return url.group(1)


def test_the_form_is_on_the_home_question_and_member_state_pages(client):
    question = make_question()
    for url, subject in [
        ("/", "everything"),
        (question.get_absolute_url(), f"question:{question.slug}"),
        ("/countries/hu/", "member-state:hu"),
    ]:
        page = client.get(url).content.decode()
        assert 'action="/follow/"' in page
        assert f'name="follow-subject" value="{subject}"' in page


def test_the_form_follows_the_question_s_title_and_the_reader_s_language(client):
    # Each process writes the empty form once per subject, name and language: a renamed
    # question and another language must each get their own.
    question = make_question(title="Old title")
    assert "Follow “Old title”" in client.get(question.get_absolute_url()).content.decode()
    question.title = "New title"
    question.save()
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Follow “New title”" in page and "Old title" not in page
    german = client.get(f"/de{question.get_absolute_url()}").content.decode()
    assert 'action="/de/follow/"' in german
    assert 'action="/follow/"' not in german


def test_nothing_is_stored_and_only_the_confirmation_sent_until_the_reader_confirms(client, smtp):
    question = make_question()
    response = ask(client, subject=f"question:{question.slug}", frequency="daily")
    assert response.status_code == 200
    assert "Check your mail" in response.content.decode()
    assert Follower.objects.count() == 0
    run_worker()
    [mail] = smtp.to("reader@example.org")
    assert mail["Subject"].strip() == f"Confirm: follow “{question.title}” on Stances"
    assert "once a day" in text_of(mail)
    assert confirm_link(mail) in html_of(mail)

    # Opening the link (a mail scanner does) confirms nothing; the button does.
    page = client.get(confirm_link(mail))
    assert page.status_code == 200 and Subscription.objects.count() == 0
    done = client.post(confirm_link(mail))
    assert "You follow" in done.content.decode()
    subscription = Subscription.objects.get()
    assert (subscription.follower.email, subscription.question, subscription.frequency) == (
        "reader@example.org",
        question,
        Frequency.DAILY,
    )
    assert timezone.now() - subscription.confirmed_at < datetime.timedelta(minutes=1)


def test_the_answer_is_the_same_whether_the_address_is_known_or_not(client, smtp):
    Subscription.objects.create(
        follower=Follower.objects.create(email="known@example.org"), frequency="instant"
    )
    known = ask(client, email="known@example.org").content.decode()
    unknown = ask(client, email="unknown@example.org").content.decode()
    assert known.replace("known@", "X@") == unknown.replace("unknown@", "X@")


def test_a_replayed_confirmation_says_it_was_used_and_changes_nothing(client, smtp):
    ask(client)
    run_worker()
    link = confirm_link(smtp.messages[0])
    client.post(link)
    again = client.post(link)
    assert again.status_code == 200
    assert "Already confirmed" in again.content.decode()
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("not-an-address", "Enter an email address like name@example.org."),
        ("", "Enter the email address to send the alerts to."),
        ("someone@mailinator.com", "throwaway mailboxes"),
        ("someone@mail.yopmail.com", "throwaway mailboxes"),
    ],
)
def test_bad_addresses_get_a_clear_error_and_no_mail(client, smtp, address, message):
    response = ask(client, email=address)
    assert response.status_code == 400
    assert message in response.content.decode()
    run_worker()
    assert smtp.messages == []


def test_htmx_gets_the_form_back_in_place(client):
    response = ask(client, email="nope", headers={"HTTP_HX_REQUEST": "true"})
    body = response.content.decode()
    assert response.status_code == 400
    assert body.lstrip().startswith('<section class="follow" id="follow"')
    assert 'value="nope"' in body


def test_a_bot_filling_the_hidden_field_is_told_the_same_and_sent_nothing(client, smtp):
    response = ask(client, **{"follow-website": "http://spam.example"})
    assert response.status_code == 200 and "Check your mail" in response.content.decode()
    run_worker()
    assert smtp.messages == []


def test_asking_too_often_is_refused_with_retry_after(client, smtp):
    for _ in range(throttle.PER_ADDRESS):
        assert ask(client).status_code == 200
    refused = ask(client)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Too many requests" in refused.content.decode()
    # Another address from the same network still gets through, up to the network's limit.
    assert ask(client, email="other@example.org").status_code == 200
    run_worker()
    assert len(smtp.messages) == throttle.PER_ADDRESS + 1


def test_one_network_cannot_ask_for_many_addresses(client):
    answers = [ask(client, email=f"r{n}@example.org").status_code for n in range(25)]
    assert answers.count(200) == throttle.PER_NETWORK
    assert set(answers[throttle.PER_NETWORK :]) == {429}


def test_an_unpublished_or_unknown_subject_cannot_be_followed(client):
    hidden = make_question(published=False)
    for subject in [f"question:{hidden.slug}", "member-state:xx", "question:", "nonsense"]:
        response = ask(client, subject=subject)
        assert response.status_code == 400
        assert "can no longer be followed" in response.content.decode()


def signed_days_ago(days: int, kind: str, value: dict) -> str:
    signer = signing.TimestampSigner(salt=f"stances.following.{kind}")
    signer.timestamp = lambda: signing.b62_encode(int(timezone.now().timestamp()) - days * 86400)
    return signer.sign_object(value)


def test_expired_and_altered_links_get_a_page_that_says_so(client):
    subject = Subject(member_state=member_state("HU"))
    token = subscribing.confirmation_token("r@example.org", subject, "instant")
    altered = client.get(f"/follow/confirm/{token[:-2]}xx/")
    assert altered.status_code == 400
    assert "This link does not work" in altered.content.decode()
    request = {"e": "r@example.org", "s": "everything", "f": "instant"}
    expired = client.get(f"/follow/confirm/{signed_days_ago(4, 'confirm', request)}/")
    assert expired.status_code == 410
    assert "This link has expired" in expired.content.decode()
    for path in ["/follow/unsubscribe/xyz/", "/follow/manage/abc:def/"]:
        assert client.get(path).status_code == 400


def test_a_link_of_one_kind_cannot_stand_for_another(client):
    follower = Follower.objects.create(email="r@example.org")
    subscription = Subscription.objects.create(follower=follower, frequency="instant")
    leave = subscribing.leave_token(subscription)
    assert client.get(f"/follow/manage/{leave}/").status_code == 400
    assert client.post(f"/follow/confirm/{leave}/").status_code == 400
    with pytest.raises(tokens.BadLink):
        subscribing.follower_to_manage(leave)


def test_one_click_unsubscribe_as_rfc_8058_has_it(client):
    subscription = follow("r@example.org")
    kept = follow("other@example.org")
    token = subscribing.leave_token(subscription)
    response = client.post(f"/follow/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert list(Subscription.objects.all()) == [kept]
    assert not Follower.objects.filter(email="r@example.org").exists()  # nothing left of it
    again = client.post(f"/follow/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200


def test_the_unsubscribe_page_asks_before_it_acts(client):
    subscription = follow("r@example.org", member_state=member_state("FR"))
    token = subscribing.leave_token(subscription)
    page = client.get(f"/follow/unsubscribe/{token}/").content.decode()
    assert "France" in page and Subscription.objects.exists()
    left = client.post(f"/follow/unsubscribe/{token}/").content.decode()
    assert "no more mails about France" in left
    gone = client.get(f"/follow/unsubscribe/{token}/").content.decode()
    assert "no longer follows this" in gone


def test_manage_changes_how_often_stops_one_and_deletes_everything(client):
    question = make_question()
    everything = follow("r@example.org")
    on_question = follow("r@example.org", question=question)
    url = f"/follow/manage/{subscribing.manage_token(everything.follower)}/"
    page = client.get(url).content.decode()
    assert "every question and member state" in page and question.title in page
    client.post(url, {f"frequency-{everything.pk}": "daily", f"leave-{on_question.pk}": "1"})
    everything.refresh_from_db()
    assert everything.frequency == "daily"
    assert list(Subscription.objects.all()) == [everything]
    deleted = client.post(url, {"delete_everything": "1"})
    assert "Address deleted" in deleted.content.decode()
    assert Follower.objects.count() == 0
    assert "Nothing to manage" in client.get(url).content.decode()


def test_the_address_of_an_unconfirmed_request_is_gone_once_its_mail_went(client, smtp):
    from django_tasks_db.models import DBTaskResult

    from stances.following import sweep

    def kept() -> bool:
        return any("maybe@" in str(task.args_kwargs) for task in DBTaskResult.objects.all())

    ask(client, email="maybe@example.org")
    run_worker()
    assert kept()
    sweep.prune(timezone.now())
    assert not kept()
    assert Follower.objects.count() == 0
