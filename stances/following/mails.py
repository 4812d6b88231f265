"""The mails: a confirmation, an alert per change, a digest per day. Plain text and HTML, no
remote images, and on every one a one-click unsubscribe (RFC 8058) and a link to manage all.

Each is written in its reader's language (the one they subscribed in), subject included."""

from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stances.following import subscribing
from stances.following.news import Move, site_url
from stances.models import Follower, Subscription


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
    email: str,
    subject: subscribing.Subject,
    frequency: str,
    language: str = subscribing.DEFAULT_LANGUAGE,
) -> EmailMultiAlternatives:
    """The mail that asks the reader to confirm, in the language they asked in."""
    token = subscribing.confirmation_token(email, subject, frequency, language)
    with translation.override(language):
        context = {
            "subject": subject,
            "frequency": frequency,
            "confirm_url": site_url(reverse("follow_confirm", args=[token])),
            "days": subscribing.tokens.CONFIRM_FOR.days,
            "site_url": settings.SITE_URL,
        }
        title = _("Confirm: follow %(subject)s on Stances") % {"subject": subject.name}
        return _mail(email, title, "confirm", context, None)


@dataclass(frozen=True)
class MoveParts:
    """A change as every alert about it tells it, rendered once for all its followers (in the
    active language: once per language its followers read)."""

    text: str
    html: str

    @classmethod
    def of(cls, move: Move) -> "MoveParts":
        context = {"move": move}
        # Our templates' output: they escape what they show.
        return cls(
            mark_safe(render_to_string("stances/mail/_move.txt", context)),  # noqa: S308  # nosec B308 B703
            mark_safe(render_to_string("stances/mail/_move.html", context)),  # noqa: S308  # nosec B308 B703
        )


def alert(
    subscription: Subscription, move: Move, parts: dict[str, MoveParts] | None = None
) -> EmailMultiAlternatives:
    """One follower's mail about one change; `parts`, the change rendered per language, when
    many are sent about the same one (filled here as languages come up)."""
    follower = subscription.follower
    parts = {} if parts is None else parts
    move = move.in_language(follower.language)
    with translation.override(follower.language):
        if follower.language not in parts:
            parts[follower.language] = MoveParts.of(move)
        context = {
            "move": move,
            "parts": parts[follower.language],
            "subscription": subscription,
            **_links(follower, subscribing.leave_token(subscription)),
        }
        # Translators: an alert's subject: what changed, then the question's title.
        title = _("%(headline)s (%(question)s)") % {
            "headline": move.headline,
            "question": move.question.title,
        }
        return _mail(follower.email, title, "alert", context, context["unsubscribe_url"])


def digest(follower: Follower, moves: list[Move]) -> EmailMultiAlternatives:
    """A day's changes for one address, grouped per question, oldest first within each."""
    moves = [move.in_language(follower.language) for move in moves]
    ordered = sorted(moves, key=lambda m: (m.question.title, m.effective_on, m.change.pk))
    questions = [
        (question, list(group)) for question, group in groupby(ordered, key=lambda m: m.question)
    ]
    with translation.override(follower.language):
        context = {
            "questions": questions,
            "count": len(moves),
            **_links(follower, subscribing.leave_digests_token(follower)),
        }
        # Translators: part of a digest's subject, "Stances daily: 3 changes on 2 questions".
        changes = ngettext("%(count)d change", "%(count)d changes", len(moves)) % {
            "count": len(moves)
        }
        # Translators: part of a digest's subject, "Stances daily: 3 changes on 2 questions".
        on = ngettext("%(count)d question", "%(count)d questions", len(questions)) % {
            "count": len(questions)
        }
        # Translators: a digest's subject; %(changes)s is e.g. "3 changes", %(questions)s
        # e.g. "2 questions".
        title = _("Stances daily: %(changes)s on %(questions)s") % {
            "changes": changes,
            "questions": on,
        }
        return _mail(follower.email, title, "digest", context, context["unsubscribe_url"])
