"""The home page's view of the questions: counts per position and a member-state matrix."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from stances.models import MemberState, Position, Question, Stance

NO_RECORD, NOT_MEMBER = "none", "not-member"


@dataclass
class Count:
    position: Position | None  # None: no record (or not yet a member)
    count: int
    offset: int  # how many states come before this segment in a stacked bar
    not_member: bool = False  # states that had not joined the Union on the date

    @property
    def key(self) -> str:
        """The key the table's filter uses: a position's, "none" or "not-member"."""
        if self.not_member:
            return NOT_MEMBER
        return self.position.key if self.position else NO_RECORD

    @property
    def label(self) -> str:
        if self.not_member:
            return _("Not yet a member")
        return self.position.label if self.position else _("No record")


def tally(
    scale: Iterable[Position], held: Iterable[Position | None], not_members: int = 0
) -> list[Count]:
    """Count the states holding each position of the scale, in scale order, then "no record",
    then those not yet members on the date (when there are any)."""
    counter = Counter(position.pk if position else None for position in held)
    counts, offset = [], 0
    for position in [*scale, None]:
        number = counter[position.pk if position else None]
        if number or position is not None:
            counts.append(Count(position, number, offset))
            offset += number
    if not_members:
        counts.append(Count(None, not_members, offset, not_member=True))
    return counts


@dataclass
class QuestionOverview:
    question: Question
    counts: list[Count]
    total: int


@dataclass
class MatrixRow:
    member_state: MemberState
    positions: list[Position | None]  # one per question, in the questions' order


def overviews_and_matrix(
    scales: dict[Question, list[Position]],
    member_states: list[MemberState],
    stances: Iterable[Stance],
) -> tuple[list[QuestionOverview], list[MatrixRow]]:
    """Each question's counts, and each member state's current position on every question."""
    current = {(s.question_id, s.member_state_id): s.position for s in stances}
    overviews = [
        QuestionOverview(
            question,
            tally(scale, [current.get((question.pk, ms.pk)) for ms in member_states]),
            len(member_states),
        )
        for question, scale in scales.items()
    ]
    matrix = [MatrixRow(ms, [current.get((q.pk, ms.pk)) for q in scales]) for ms in member_states]
    return overviews, matrix
