"""Following and leaving: double opt-in, one subscription per address and subject."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stances.following import tokens
from stances.languages import CODES
from stances.models import (
    Follower,
    Frequency,
    MemberState,
    Question,
    Subscription,
)

EVERYTHING = "everything"
# What a mail is written in when nothing says otherwise (a link signed before languages).
DEFAULT_LANGUAGE = "en"


def subject_name(question: Question | None, member_state: MemberState | None) -> str:
    """What a subscription follows, as mails and pages name it, in the active language."""
    if question is not None:
        # Translators: a followed question's title, in your language's quotation marks.
        return _("“%(title)s”") % {"title": question.title}
    if member_state is not None:
        return member_state.local_name
    return _("every question and member state")


@dataclass(frozen=True)
class Subject:
    """What can be followed: one question, one member state, or everything (both None)."""

    question: Question | None = None
    member_state: MemberState | None = None

    @property
    def key(self) -> str:
        if self.question:
            return f"question:{self.question.slug}"
        if self.member_state:
            return f"member-state:{self.member_state.code.lower()}"
        return EVERYTHING

    @property
    def name(self) -> str:
        return subject_name(self.question, self.member_state)

    @property
    def page_url(self) -> str:
        subject = self.question or self.member_state
        return subject.get_absolute_url() if subject else "/"

    @classmethod
    def from_key(cls, key: str) -> "Subject | None":
        """The subject a form or link names, or None if it names none a reader may follow."""
        kind, _sep, value = key.partition(":")
        if key == EVERYTHING:
            return cls()
        if kind == "question" and value:
            question = Question.objects.published().filter(slug=value).first()
            return cls(question=question) if question else None
        if kind == "member-state" and MemberState.is_url_code(value):
            member_state = MemberState.objects.filter(code=value.upper()).first()
            return cls(member_state=member_state) if member_state else None
        return None

    def filter(self) -> Q:
        return Q(question=self.question, member_state=self.member_state)


def confirmation_token(
    email: str, subject: Subject, frequency: str, language: str = DEFAULT_LANGUAGE
) -> str:
    """Everything the request is, signed: nothing is stored until the reader confirms."""
    return tokens.make("confirm", {"e": email, "s": subject.key, "f": frequency, "l": language})


@dataclass(frozen=True)
class Confirmation:
    email: str
    subject: Subject
    frequency: str
    language: str = DEFAULT_LANGUAGE  # the one the reader asked in: their mails' language


def read_confirmation(token: str) -> Confirmation:
    """The request a confirmation link carries; BadLink if altered, expired or gone."""
    value = tokens.read("confirm", token, tokens.CONFIRM_FOR)
    subject = Subject.from_key(str(value.get("s", "")))
    if subject is None or value.get("f") not in Frequency.values or not value.get("e"):
        raise tokens.BadLink(expired=False)
    language = value.get("l")
    if language not in CODES:  # a link signed before languages, or a language since dropped
        language = DEFAULT_LANGUAGE
    return Confirmation(str(value["e"]), subject, value["f"], language)


def confirm(request: Confirmation) -> tuple[Subscription, bool]:
    """Store the subscription; False when this very request had been confirmed already."""
    with transaction.atomic():
        follower, _made = Follower.objects.get_or_create(
            email=request.email, defaults={"language": request.language}
        )
        if follower.language != request.language:  # the latest request's language wins
            follower.language = request.language
            follower.save(update_fields=["language"])
        existing = follower.subscriptions.filter(request.subject.filter()).first()
        if existing is not None:
            if existing.frequency == request.frequency:
                return existing, False
            existing.frequency = request.frequency
            existing.save(update_fields=["frequency"])
            return existing, True
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    follower=follower,
                    question=request.subject.question,
                    member_state=request.subject.member_state,
                    frequency=request.frequency,
                    confirmed_at=timezone.now(),
                )
        except IntegrityError:  # the same link, confirmed twice at once
            return follower.subscriptions.get(request.subject.filter()), False
    return subscription, True


def leave_token(subscription: Subscription) -> str:
    return tokens.make("leave", {"s": subscription.pk})


def leave_digests_token(follower: Follower) -> str:
    """A digest's one-click unsubscribe: every daily subscription of the address at once."""
    return tokens.make("leave", {"f": follower.pk, "frequency": Frequency.DAILY})


def manage_token(follower: Follower) -> str:
    return tokens.make("manage", {"f": follower.pk})


def subscriptions_to_leave(token: str) -> list[Subscription]:
    """The subscriptions an unsubscribe link names; empty if they have gone already."""
    value = tokens.read("leave", token, tokens.LEAVE_FOR)
    found = Subscription.objects.select_related("follower", "question", "member_state")
    if isinstance(value.get("s"), int):
        return list(found.filter(pk=value["s"]))
    if isinstance(value.get("f"), int) and value.get("frequency") == Frequency.DAILY:
        return list(found.filter(follower_id=value["f"], frequency=Frequency.DAILY))
    raise tokens.BadLink(expired=False)


def follower_to_manage(token: str) -> Follower | None:
    value = tokens.read("manage", token, tokens.MANAGE_FOR)
    if not isinstance(value.get("f"), int):
        raise tokens.BadLink(expired=False)
    return Follower.objects.filter(pk=value["f"]).first()


def leave(subscriptions: list[Subscription]) -> None:
    """End these subscriptions; an address left following nothing is forgotten altogether."""
    with transaction.atomic():
        followers = {subscription.follower for subscription in subscriptions}
        Subscription.objects.filter(pk__in=[s.pk for s in subscriptions]).delete()
        for follower in followers:
            if not follower.subscriptions.exists():
                follower.delete()


def forget(follower: Follower) -> None:
    """Delete the address and everything kept about it."""
    follower.delete()
