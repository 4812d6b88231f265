"""Small builders for test data: a question with its scale, stances recorded through the service."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from stances import records
from stances.models import Confidence, MemberState, Position, Question, Source, Vote
from stances.permissions import EDITORS

_numbers = itertools.count(1)

SCALE = [
    ("yes", "Supports", "#0072B2", Vote.FOR, True),
    ("maybe", "Undecided", "#E69F00", Vote.ABSTAIN, True),
    ("no", "Opposes", "#D55E00", Vote.AGAINST, True),
    ("silent", "No public position", "#999999", Vote.ABSENT, False),
]


def make_question(title=None, *, published=True, scale=SCALE, **fields) -> Question:
    n = next(_numbers)
    question = Question.objects.create(
        title=title or f"Question {n}",
        slug=fields.pop("slug", f"question-{n}"),
        proposal=fields.pop("proposal", "A Council decision"),
        opened_on=fields.pop("opened_on", datetime.date(2024, 3, 1)),
        is_published=published,
        **fields,
    )
    for order, (key, label, colour, vote, requires_source) in enumerate(scale, start=1):
        Position.objects.create(
            question=question,
            key=key,
            label=label,
            colour=colour,
            vote=vote,
            order=order,
            requires_source=requires_source,
        )
    return question


def make_source(**fields) -> Source:
    n = next(_numbers)
    defaults = dict(
        url=f"https://news.example.org/{n}",
        title=f"Report {n}",
        publisher="Example News",
        published_on=datetime.date(2024, 3, 15),
    )
    return Source.objects.create(**{**defaults, **fields})


def member_state(code: str) -> MemberState:
    return MemberState.objects.get(code=code)


def record(question, code, key, on, *, summary="", user=None, sources=None, **extra):
    """Record a change through the same service the dashboard and admin use."""
    return records.record_change(
        question=question,
        member_state=member_state(code),
        position=question.positions.get(key=key),
        effective_on=on if isinstance(on, datetime.date) else datetime.date.fromisoformat(on),
        summary=summary,
        confidence=extra.pop("confidence", Confidence.REPORTED),
        sources=sources if sources is not None else [make_source()],
        user=user,
        **extra,
    )


def record_for_all(question, key, on):
    """The same position recorded for each of the 27 on the same day."""
    for code in MemberState.objects.values_list("code", flat=True):
        record(question, code, key, on)


def make_editor(username="editor", password="a-long-editor-password"):
    user = get_user_model().objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def sign_in_verified(client, user):
    """Signs a user in as the site's sign-in does for an editor: password, then a confirmed
    authenticator app (django-otp notes the device in the session)."""
    client.force_login(user)
    return pass_second_step(client, user)


def pass_second_step(client, user):
    """After the password: the session verified by the user's authenticator app, as a right code
    on the second step leaves it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
