"""Two editors saving the same stance at the same moment, on two real database connections."""

import threading

import pytest
from django.db import connection, connections

from stances import records
from stances.models import Stance, StanceChange
from tests.factories import make_question, record

pytestmark = [
    pytest.mark.usefixtures("committed_reference_data"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks are a PostgreSQL matter; CI runs this on PostgreSQL.",
    ),
]


def test_two_racing_saves_on_the_same_version_cannot_both_win():
    question = make_question()
    record(question, "HU", "maybe", "2024-03-01")
    barrier = threading.Barrier(2)
    outcomes = []

    def save(key):
        try:
            barrier.wait()
            records.record_change(
                question=question,
                member_state=question.stances.get().member_state,
                position=question.positions.get(key=key),
                effective_on="2024-03-10",
                summary=f"Saved by the {key} editor",
                confidence="reported",
                sources=[],
                expected_version=1,
            )
            outcomes.append(("saved", key))
        except records.StaleVersion:
            outcomes.append(("conflict", key))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(key,)) for key in ("yes", "no")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(kind for kind, _ in outcomes) == ["conflict", "saved"]
    (winner,) = [key for kind, key in outcomes if kind == "saved"]
    stance = Stance.objects.get()
    assert stance.position.key == winner
    assert stance.version == 2
    assert StanceChange.objects.count() == 2
