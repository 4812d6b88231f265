"""Load the benchmark's data set into the database DATABASE_URL points at (already migrated).

    DATABASE_URL=postgres://... BENCH_EDITOR_PASSWORD=... python bench/seed.py

The demo case, plus six published questions with 4–5 positions each, and a history of about
25 dated changes per member state on every question (the demo question included, after its
demo entry), each change citing its own source: about 4,800 changes in all, so that the
as-of query and the timelines work on a realistic history, not on one row per stance.
The history is made up; the database is thrown away at the end of the run.
"""

import datetime
import hashlib
import os
import random
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stances.settings")
# Seeding writes 100,000 changes in long transactions: no web request's deadline here.
os.environ["DATABASE_TIMEOUT_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from stances.models import (  # noqa: E402
    Confidence,
    MemberState,
    Position,
    Question,
    Source,
    Stance,
    StanceChange,
    Vote,
)
from stances.permissions import EDITORS  # noqa: E402
from stances.transfer.demo import load_demo  # noqa: E402

EXTRA_QUESTIONS = 6
# BENCH_CHANGES_PER_STANCE: a longer history (bench/cold_renders.py asks for ~100,000 in all).
CHANGES_PER_STANCE = int(os.environ.get("BENCH_CHANGES_PER_STANCE", "25"))
FIRST_DAY = datetime.date(2024, 3, 16)
EDITOR_USERNAME = "bench-editor"

SCALES = [
    [
        ("supports", "Supports", "#0072B2", Vote.FOR),
        ("leans-for", "Leans in favour", "#56B4E9", Vote.FOR),
        ("undecided", "Undecided", "#E69F00", Vote.ABSTAIN),
        ("opposes", "Opposes", "#D55E00", Vote.AGAINST),
        ("silent", "No public position", "#999999", Vote.ABSENT),
    ],
    [
        ("supports", "Supports", "#0072B2", Vote.FOR),
        ("undecided", "Undecided", "#E69F00", Vote.ABSTAIN),
        ("opposes", "Opposes", "#D55E00", Vote.AGAINST),
        ("silent", "No public position", "#999999", Vote.ABSENT),
    ],
]
PUBLISHERS = ["Reuters", "Politico Europe", "Euractiv", "Agence Europe", "Government press office"]


def dates(rng: random.Random, count: int) -> list[datetime.date]:
    """`count` days between FIRST_DAY and yesterday, oldest first (repeats allowed)."""
    span = (datetime.date.today() - datetime.timedelta(days=1) - FIRST_DAY).days
    return sorted(FIRST_DAY + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))


def make_question(n: int) -> Question:
    question = Question.objects.create(
        title=f"Benchmark question {n}: a Council decision on topic {n}",
        slug=f"bench-question-{n}",
        description="A synthetic question for the load benchmark. " * 4,
        proposal=f"Adopt the Council decision on topic {n}",
        opened_on=FIRST_DAY,
        is_published=True,
    )
    scale = SCALES[n % len(SCALES)]
    Position.objects.bulk_create(
        Position(
            question=question,
            key=key,
            label=label,
            colour=colour,
            vote=vote,
            order=order,
            requires_source=key != "silent",
        )
        for order, (key, label, colour, vote) in enumerate(scale, start=1)
    )
    return question


def add_history(question: Question, member_states, rng: random.Random) -> int:
    """About CHANGES_PER_STANCE sourced changes per member state; returns how many were made."""
    positions = list(question.positions.all())
    stances = {s.member_state_id: s for s in Stance.objects.filter(question=question)}
    missing = [
        Stance(
            question=question,
            member_state=ms,
            position=positions[-1],
            confidence=Confidence.INFERRED,
            since=FIRST_DAY,
        )
        for ms in member_states
        if ms.pk not in stances
    ]
    for stance in Stance.objects.bulk_create(missing):
        stances[stance.member_state_id] = stance

    planned = []  # (change, source) pairs, linked after both are saved
    for ms in member_states:
        for day in dates(rng, CHANGES_PER_STANCE + rng.randint(-3, 3)):
            position = rng.choice(positions)
            # bulk_create skips StanceChange.save(), which fills position_since; the
            # per-stance sync below corrects it to the start of each run.
            change = StanceChange(
                stance=stances[ms.pk],
                position=position,
                effective_on=day,
                position_since=day,
                summary=f"{ms.name} {position.label.lower()} as of {day:%d %B %Y}. " * 2,
                confidence=rng.choice(Confidence.values),
            )
            source = Source(
                url=f"https://news.example.org/{question.slug}/{ms.code.lower()}/{day}",
                title=f"{ms.name} on {question.title[:60]}",
                publisher=rng.choice(PUBLISHERS),
                published_on=day,
            )
            planned.append((change, source))
    StanceChange.objects.bulk_create([c for c, _ in planned], batch_size=1000)
    Source.objects.bulk_create([s for _, s in planned], batch_size=1000)
    Link = StanceChange.sources.through
    Link.objects.bulk_create(
        [Link(stancechange_id=c.pk, source_id=s.pk) for c, s in planned], batch_size=1000
    )
    for stance in stances.values():
        stance.sync_with_timeline()
    return len(planned)


def make_editor(password: str) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    user = get_user_model().objects.create_user(EDITOR_USERNAME, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    # Editors pass a second factor. The bench signs the one account in several times a minute,
    # which an app's code (accepted once per 30 s) cannot do; so recovery codes, derived from
    # the one-run password so that bench/run.py can compute them without another secret.
    device = StaticDevice.objects.create(user=user, name="Bench recovery codes")
    tokens = [bench_recovery_code(password, n) for n in range(1, BENCH_SIGN_INS + 1)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in tokens])


BENCH_SIGN_INS = 200


def bench_recovery_code(password: str, n: int) -> str:
    """The same formula as bench/run.py's Editor.sign_in."""
    return hashlib.sha256(f"{password}:{n}".encode()).hexdigest()[:16]


@transaction.atomic
def seed(password: str) -> int:
    rng = random.Random(2024)  # the same data set on every run
    load_demo()
    member_states = list(MemberState.objects.all())
    questions = [Question.objects.get(slug="putin-re-election-2024")]
    questions += [make_question(n) for n in range(1, EXTRA_QUESTIONS + 1)]
    changes = sum(add_history(q, member_states, rng) for q in questions)
    make_editor(password)
    return changes


def analyze() -> None:
    """Planner statistics for the new rows, as autovacuum gathers them on a live database: a
    freshly seeded one would be measured with the estimates of an empty one (a 30 ms plan
    for a 1 ms query)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    started = time.monotonic()
    total = seed(os.environ["BENCH_EDITOR_PASSWORD"])
    analyze()
    print(
        f"seeded {Question.objects.count()} questions, {StanceChange.objects.count()} changes "
        f"({total} synthetic), {Source.objects.count()} sources "
        f"in {time.monotonic() - started:.1f}s"
    )
