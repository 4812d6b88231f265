"""On PostgreSQL each worker learns new revisions by LISTEN/NOTIFY, so that a cached page costs
no query at all; whenever the listener cannot vouch for the value, the row is read instead."""

import datetime
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from stances import revisions
from stances.models import Revision
from tests.factories import make_question, record

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="LISTEN/NOTIFY is PostgreSQL's; on SQLite the revision is read on every request. "
    "CI runs this on PostgreSQL.",
)


def test_a_notification_carries_the_number_and_the_time_and_the_references():
    revision = revisions.parse("42 1710460800.25 40 1710374400")
    assert revision.number == 42
    assert revision.changed_at == datetime.datetime(2024, 3, 15, 0, 0, 0, 250000, datetime.UTC)
    assert revision.reference_number == 40
    assert revision.reference_changed_at == datetime.datetime(2024, 3, 14, tzinfo=datetime.UTC)


@pytest.mark.parametrize("payload", ["", "42 1710460800.25", "42 x 40 1710374400"])
def test_a_notification_of_another_shape_is_refused(payload):
    # The listener then reads the row (RevisionListener._listen).
    with pytest.raises(ValueError):
        revisions.parse(payload)


def wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def listener(committed_reference_data, settings):
    """The process's listener, on; stopped afterwards, so the test database can be dropped."""
    settings.REVISION_LISTENER = True
    Revision.current()  # its row, which emptying the tables after the last test removed
    revisions.listener.start()
    try:
        assert wait_for(lambda: revisions.listener.latest is not None), "it never connected"
        yield revisions.listener
    finally:
        revisions.listener.stop()


def caught_up(listener) -> bool:
    return listener.latest is not None and listener.latest.number == Revision.current().number


@needs_postgresql
def test_the_listener_hears_of_every_commit_within_moments(listener):
    before = listener.latest.number
    question = make_question()
    record(question, "HU", "maybe", "2024-03-01")
    assert wait_for(lambda: caught_up(listener), seconds=1)
    assert listener.latest.number > before
    assert listener.latest.changed_at == Revision.current().changed_at


@needs_postgresql
def test_a_cached_page_costs_no_query_at_all(listener, client, django_assert_num_queries):
    question = make_question()
    record(question, "HU", "maybe", "2024-03-01")
    url = reverse("question", args=[question.slug])
    assert wait_for(lambda: caught_up(listener))
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert 'aria-label="Hungary: Undecided since 1 March 2024"' in response.content.decode()

    record(question, "HU", "no", "2024-03-09")
    assert wait_for(lambda: caught_up(listener), seconds=1)
    body = client.get(url).content.decode()
    assert 'aria-label="Hungary: Opposes since 9 March 2024"' in body


@needs_postgresql
def test_inside_a_transaction_the_row_is_read_not_the_listener(listener):
    question = make_question()
    assert wait_for(lambda: caught_up(listener))
    heard = listener.latest.number
    with transaction.atomic():
        record(question, "HU", "maybe", "2024-03-01")
        # Not committed: the listener has heard nothing, but this connection sees its write.
        assert listener.latest.number == heard
        assert revisions.current().number > heard


@needs_postgresql
def test_when_its_connection_dies_the_row_is_read_until_it_is_back(listener):
    terminated = []

    def terminate():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE %s AND pid <> pg_backend_pid() AND datname = current_database()",
                ["%stances_revision%"],
            )
            terminated.extend(cursor.fetchall())
        return listener.latest is None

    assert wait_for(terminate), "the listener kept vouching for a revision it could not know"
    assert terminated
    # Meanwhile every request reads the row.
    assert revisions.current().number == Revision.current().number
    question = make_question()
    assert wait_for(lambda: caught_up(listener)), "the listener did not come back"
    record(question, "HU", "maybe", "2024-03-01")
    assert wait_for(lambda: caught_up(listener), seconds=1)


@needs_postgresql
def test_the_trigger_announces_each_new_revision_at_commit(committed_reference_data):
    import psycopg

    Revision.current()  # its row, which emptying the tables after the last test removed
    params = connection.get_connection_params()
    with psycopg.connect(
        dbname=params["dbname"],
        user=params.get("user"),
        host=params.get("host"),
        port=params.get("port"),
        autocommit=True,
    ) as listening:
        listening.execute(f"LISTEN {revisions.CHANNEL}")
        with transaction.atomic():
            make_question()
            assert list(listening.notifies(timeout=0.2)) == []  # nothing before the commit
        heard = [revisions.parse(n.payload) for n in listening.notifies(timeout=0.5)]
    assert heard, "no notification after the commit"
    numbers = [revision.number for revision in heard]
    assert numbers == sorted(numbers)
    assert heard[-1].number == Revision.current().number
    assert heard[-1].changed_at == Revision.current().changed_at
    assert heard[-1].reference_tag == Revision.current().reference_tag


@needs_postgresql
def test_the_listener_hears_which_edits_move_the_reference(listener):
    question = make_question()
    assert wait_for(lambda: caught_up(listener), seconds=1)
    reference = listener.latest.reference_tag
    record(question, "HU", "maybe", "2024-03-01")
    assert wait_for(lambda: caught_up(listener), seconds=1)
    assert listener.latest.reference_tag == reference
    question.positions.filter(key="maybe").update(label="Unsure")
    assert wait_for(lambda: caught_up(listener), seconds=1)
    assert listener.latest.reference_tag == Revision.current().reference_tag != reference


@needs_postgresql
def test_the_listener_remembers_when_each_revision_it_heard_of_was_made(listener):
    # serving/turns.py counts a page's age from when the revision after its own was made.
    question = make_question()
    times = {}
    for day in ("2024-03-01", "2024-03-02"):
        record(question, "HU", "maybe", day)
        assert wait_for(lambda: caught_up(listener), seconds=1)
        current = Revision.current()
        times[current.number] = current.changed_at
    for number, changed_at in times.items():
        heard = revisions.made_at(number)
        assert abs((heard - changed_at).total_seconds()) < 0.001
    assert revisions.made_at(max(times) + 1) is None
