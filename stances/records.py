"""Writing to the timeline: every way in (dashboard, admin, import, demo data) goes through here."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import Signal
from django.utils.translation import gettext as _

from stances import timeline
from stances.models import MemberState, Position, Question, Source, Stance, StanceChange

# StanceChange's foreign keys: full_clean() would check with a query each that they exist.
RELATED = ["stance", "position", "recorded_by"]
# Not checked by full_clean(): the derived fields, and the related objects passed in (asking
# the database whether they exist is moot). Nor are check constraints: the fields' validators
# check the same rules (the earliest date, the confidence's choices), the database enforces
# them, and Django checks each with a query in a savepoint (6 of a save's 45 queries).
FIELDS_NOT_CHECKED = ["position_since", "recorded_at", *RELATED]


# Sent inside the transaction of each new entry, so that receivers write what they owe in it
# too (the following wing's alerts and webhooks): a rollback takes both back.
change_recorded = Signal()


class StaleVersion(Exception):
    """Someone saved the stance after the editor loaded it; nothing was written."""

    def __init__(self, stance: Stance):
        super().__init__(_("%(stance)s was changed by someone else.") % {"stance": stance})
        self.stance = stance


@transaction.atomic
def record_change(
    *,
    question: Question,
    member_state: MemberState,
    position: Position,
    effective_on: datetime.date,
    summary: str,
    confidence: str,
    sources: Iterable[Source] = (),
    user=None,
    expected_version: int | None = None,
    stance: Stance | None = None,
) -> StanceChange:
    """Append a change to a member state's timeline on a question and update its stance.

    With `expected_version`, the write happens only if nobody saved the stance in between;
    otherwise StaleVersion is raised and the transaction writes nothing. `sources` not yet
    saved (an editor's new ones) are saved here, in the same transaction. `stance`: the
    member state's stance on the question as the caller read it, which spares reading it
    again (its version is checked all the same).
    """
    new_stance = dict(position=position, summary=summary, confidence=confidence, since=effective_on)
    stance, claimed = claimed_stance(question, member_state, stance, expected_version, new_stance)
    change = StanceChange(
        stance=stance,
        position=position,
        effective_on=effective_on,
        summary=summary,
        confidence=confidence,
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    change.full_clean(exclude=FIELDS_NOT_CHECKED, validate_constraints=False)
    since = since_if_newest(stance, change)
    if since is not None:
        change.position_since = since
    save_with_sources(change, sources, created=True)
    if since is not None:
        stance.follow_newest(change, version_known=claimed)
    else:
        stance.sync_with_timeline(version_known=claimed)
    change_recorded.send(sender=StanceChange, change=change)
    return change


def since_if_newest(stance: Stance, change: StanceChange) -> datetime.date | None:
    """The new `change`'s `position_since` if it comes after every entry of its stance's
    timeline, else None (sync_with_timeline() then works the whole timeline out).

    Most entries come last: then the entry before says since when the position holds, and the
    rest of the timeline (530 entries at 100,000 changes) need not be read. The change's key,
    the last of the timeline's order, is higher than any before it.
    """
    last = stance.newest_entry()
    if last is None:
        return change.effective_on
    if (change.effective_on, change.recorded_at) < (last.effective_on, last.recorded_at):
        return None
    return timeline.since_after(
        timeline.Entry(last.pk, last.position_id, last.effective_on),
        last.position_since,
        timeline.Entry(change.pk, change.position_id, change.effective_on),
    )


def claimed_stance(question, member_state, stance, expected_version, new_stance: dict):
    """The stance a new entry goes on (created from `new_stance` if there is none yet), and
    whether its version was claimed: then the object's version is the row's."""
    if stance is None:
        stance = Stance.objects.filter(question=question, member_state=member_state).first()
    if stance is None:
        if expected_version not in (None, 0):
            raise StaleVersion(Stance(question=question, member_state=member_state))
        return Stance.objects.create(
            question=question, member_state=member_state, **new_stance
        ), False
    if expected_version is None:
        return stance, False
    if not Stance.claim(stance.pk, expected_version):
        # Saved by someone else, or gone since the caller read it (its last entry deleted).
        now = Stance.objects.filter(pk=stance.pk).first()
        raise StaleVersion(now or Stance(question=question, member_state=member_state))
    stance.version = expected_version + 1  # as claim() wrote it, with the row locked
    return stance, True


def save_with_sources(change: StanceChange, sources: Iterable[Source], *, created: bool) -> None:
    """Save an entry and its sources as one entry of its history, sources included; sources
    not saved yet (an editor's new ones) are saved first.

    simple-history writes an entry when the change is saved and another when its sources are
    set: a new entry would read "Recorded 10:02; edited 10:02" though nobody edited it. So both
    are written without history, then post_save is sent once more for the one entry.
    """
    sources = list(sources)
    for source in sources:
        if source.pk is None:
            source.save()
    change.skip_history_when_saving = True
    try:
        change.save()
        if created:
            # A new entry has no sources yet: its rows go in as they are, without add()'s query
            # for those already there (add()'s m2m_changed would be skipped here anyway).
            through = StanceChange.sources.through
            unique = {source.pk: source for source in sources}.values()
            through.objects.bulk_create(through(stancechange=change, source=s) for s in unique)
        else:
            change.sources.set(sources)
    finally:
        del change.skip_history_when_saving
    post_save.send(
        sender=StanceChange, instance=change, created=created, using=change._state.db, raw=False
    )


@transaction.atomic
def correct_summary(
    *, change: StanceChange, summary: str, user=None, expected_version: int
) -> StanceChange:
    """Reword an entry's summary; the old text stays in its history, with who and when."""
    stance = change.stance
    if not Stance.claim(stance.pk, expected_version):
        raise StaleVersion(Stance.objects.get(pk=stance.pk))
    change.summary = summary
    change.full_clean(exclude=FIELDS_NOT_CHECKED, validate_constraints=False)
    if user is not None and user.is_authenticated:
        change._history_user = user
    change.save()
    stance.sync_with_timeline()
    return change


@transaction.atomic
def amend_change(
    *,
    change: StanceChange,
    position: Position,
    effective_on: datetime.date,
    summary: str,
    confidence: str,
    sources: Iterable[Source],
    user=None,
    expected_version: int,
) -> StanceChange:
    """Correct an entry of a timeline (the admin's change page); its history keeps the old one.

    The stance follows: a new date or position may change which entry is current.
    """
    stance = change.stance
    if not Stance.claim(stance.pk, expected_version):
        raise StaleVersion(Stance.objects.get(pk=stance.pk))
    change.position, change.effective_on = position, effective_on
    change.summary, change.confidence = summary, confidence
    change.full_clean(exclude=FIELDS_NOT_CHECKED, validate_constraints=False)
    if user is not None and user.is_authenticated:
        change._history_user = user
    save_with_sources(change, sources, created=False)
    stance.sync_with_timeline()
    return change


@transaction.atomic
def delete_change(*, change: StanceChange, user=None) -> None:
    """Take an entry off its timeline (admins only); the stance follows what is left.

    A stance whose last entry goes is deleted too: a stance is the head of its timeline.
    The version moves, so an editor who opened the stance before sees the new record first.
    """
    stance = change.stance
    if user is not None and user.is_authenticated:
        change._history_user = user
    change.delete()
    if stance.changes.exists():
        Stance.objects.filter(pk=stance.pk).update(version=F("version") + 1)
        stance.sync_with_timeline()
    else:
        stance.delete()


@transaction.atomic
def confirm_current(
    *, stance: Stance, checked_on: datetime.date, source: Source, user=None, expected_version: int
) -> Stance:
    """Say that a stance still holds on `checked_on`, citing `source`: no new change, but the
    stance's version moves (an editor who opened it before sees the new record first) and its
    history keeps who checked and when."""
    if not Stance.claim(stance.pk, expected_version):
        raise StaleVersion(Stance.objects.get(pk=stance.pk))
    stance.refresh_from_db()
    if source.pk is None:
        source.save()
    stance.checked_on, stance.checked_source = checked_on, source
    if user is not None and user.is_authenticated:
        stance._history_user = user
    stance.save(update_fields=["checked_on", "checked_source", "updated_at"])
    return stance
