"""The mails: a confirmation, an alert per change, a digest per day. Plain text and HTML, no
remote images, and on every one a one-click unsubscribe (RFC 8058) and a link to manage all."""

from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from stances.following import subscribing
from stances.following.news import Move, site_url
from stances.models import Follower, Frequency, Subscription


def _mail(to: str, subject: str, template: str, context: dict, unsubscribe: str | None):
    text = render_to_string(f"stances/mail/{template}.txt", context)
    html = render_to_string(f"stances/mail/{template}.html", context)
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def _links(follower: Follower, leave_token: str) -> dict:
    return {
        "unsubscribe_url": site_url(reverse("follow_unsubscribe", args=[leave_token])),
        "manage_url": site_url(reverse("follow_manage", args=[subscribing.manage_token(follower)])),
    }


def confirmation(
    email: str, subject: subscribing.Subject, frequency: str
) -> EmailMultiAlternatives:
    token = subscribing.confirmation_token(email, subject, frequency)
    context = {
        "subject": subject,
        "frequency": Frequency(frequency).label.lower(),
        "confirm_url": site_url(reverse("follow_confirm", args=[token])),
        "days": subscribing.tokens.CONFIRM_FOR.days,
        "site_url": settings.SITE_URL,
    }
    return _mail(email, f"Confirm: follow {subject.name} on Stances", "confirm", context, None)


@dataclass(frozen=True)
class MoveParts:
    """A change as every alert about it tells it, rendered once for all its followers."""

    text: str
    html: str

    @classmethod
    def of(cls, move: Move) -> "MoveParts":
        context = {"move": move}
        return cls(
            mark_safe(render_to_string("stances/mail/_move.txt", context)),  # noqa: S308 - our template's output
            mark_safe(render_to_string("stances/mail/_move.html", context)),  # noqa: S308
        )


def alert(subscription: Subscription, move: Move, parts: MoveParts | None = None):
    """One follower's mail about one change; `parts` when many are sent about the same one."""
    follower = subscription.follower
    context = {
        "move": move,
        "parts": parts or MoveParts.of(move),
        "subscription": subscription,
        **_links(follower, subscribing.leave_token(subscription)),
    }
    title = f"{move.headline} ({move.question.title})"
    return _mail(follower.email, title, "alert", context, context["unsubscribe_url"])


def digest(follower: Follower, moves: list[Move]) -> EmailMultiAlternatives:
    """A day's changes for one address, grouped per question, oldest first within each."""
    ordered = sorted(moves, key=lambda m: (m.question.title, m.effective_on, m.change.pk))
    questions = [
        (question, list(group)) for question, group in groupby(ordered, key=lambda m: m.question)
    ]
    context = {
        "questions": questions,
        "count": len(moves),
        **_links(follower, subscribing.leave_digests_token(follower)),
    }
    countries = "change" if len(moves) == 1 else "changes"
    title = f"Stances daily: {len(moves)} {countries} on {len(questions)} question" + (
        "s" if len(questions) > 1 else ""
    )
    return _mail(follower.email, title, "digest", context, context["unsubscribe_url"])
