"""What a recorded change says to someone following it: who moved, from what to what, when."""

import copy
import datetime
from dataclasses import dataclass, replace

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from stances import revisions
from stances.citing import long_date, permalink
from stances.languages import ENGLISH
from stances.languages.content import in_language
from stances.models import Position, Source, StanceChange


def site_url(path: str) -> str:
    """An address on this site as a mail or a webhook must give it: whole."""
    return settings.SITE_URL + path


@dataclass(frozen=True)
class Move:
    change: StanceChange
    previous: Position | None
    sources: list[Source]

    @property
    def question(self):
        return self.change.stance.question

    @property
    def member_state(self):
        return self.change.stance.member_state

    @property
    def position(self) -> Position:
        return self.change.position

    @property
    def moved(self) -> bool:
        return self.previous is not None and self.previous.pk != self.position.pk

    @property
    def headline(self) -> str:
        """e.g. "Hungary: from Undecided to Opposes, since 14 March 2024", in the active
        language (the position labels as the database has them)."""
        words = {
            "member_state": self.member_state.local_name,
            "position": self.position.label,
            "since": long_date(self.change.position_since),
        }
        if self.previous is None:
            # Translators: an alert's headline, e.g. "Hungary: Opposes, since 14 March 2024".
            return _("%(member_state)s: %(position)s, since %(since)s") % words
        if not self.moved:
            # Translators: an alert's headline, e.g. "Hungary: still Opposes, since 14 March 2024".
            return _("%(member_state)s: still %(position)s, since %(since)s") % words
        # Translators: an alert's headline, e.g. "Hungary: from Undecided to Opposes, since 14
        # March 2024".
        return _("%(member_state)s: from %(previous)s to %(position)s, since %(since)s") % {
            **words,
            "previous": self.previous.label,
        }

    def in_language(self, language: str) -> "Move":
        """The same move with the question's and the positions' words in `language`, where
        editors translated them (the English otherwise)."""
        if language == ENGLISH:
            return self
        revision = revisions.current().reference_tag
        change, stance = copy.copy(self.change), copy.copy(self.change.stance)
        stance.question = in_language(stance.question, language, revision)
        change.stance = stance
        change.position = in_language(change.position, language, revision)
        return replace(self, change=change, previous=in_language(self.previous, language, revision))

    @property
    def question_url(self) -> str:
        """The question as it stood on the day of the change, its country's panel open."""
        page = self.question.timeline_url(self.member_state)
        return site_url(permalink(page, self.change.effective_on))

    @property
    def effective_on(self) -> datetime.date:
        return self.change.effective_on


def move_of(change_id: int) -> Move | None:
    """The change as followers read of it; None if it is gone or its question is not public."""
    change = (
        StanceChange.objects.filter(pk=change_id, stance__question__is_published=True)
        .select_related("stance__question", "stance__member_state", "position")
        .with_sources()
        .first()
    )
    if change is None:
        return None
    earlier = (
        StanceChange.objects.filter(stance_id=change.stance_id)
        .exclude(pk=change.pk)
        .filter(effective_on__lte=change.effective_on)
        .select_related("position")
        .order_by(*StanceChange.NEWEST_FIRST)
    )
    # Same-day entries recorded later than this one come after it on the timeline.
    previous = next(
        (
            entry
            for entry in earlier
            if (entry.effective_on, entry.recorded_at, entry.pk)
            < (change.effective_on, change.recorded_at, change.pk)
        ),
        None,
    )
    return Move(change, previous.position if previous else None, change.source_list)


def payload(move: Move) -> dict:
    """The JSON body of a webhook (OpenAPI `webhooks.stanceChanged`)."""
    question, member_state = move.question, move.member_state
    return {
        "type": "stance.changed",
        "data": {
            "change_id": move.change.pk,
            "question": {
                "slug": question.slug,
                "title": question.title,
                "url": site_url(question.get_absolute_url()),
            },
            "member_state": {"code": member_state.code, "name": member_state.name},
            "from": _position(move.previous),
            "to": _position(move.position),
            "effective_on": move.change.effective_on.isoformat(),
            "since": move.change.position_since.isoformat(),
            "summary": move.change.summary,
            "confidence": move.change.confidence,
            "sources": [
                {
                    "url": source.url,
                    "title": source.title,
                    "publisher": source.publisher,
                    "published_on": (
                        source.published_on.isoformat() if source.published_on else None
                    ),
                }
                for source in move.sources
            ],
            "url": move.question_url,
            "api_url": site_url(reverse("api_question", args=[question.slug])),
        },
    }


def _position(position: Position | None) -> dict | None:
    if position is None:
        return None
    return {"key": position.key, "label": position.label, "colour": position.colour}
