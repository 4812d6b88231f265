import datetime
import itertools

from stances.timeline import Entry, as_of, position_since, since_after

D = datetime.date


def test_a_repeated_position_keeps_the_date_it_was_first_taken():
    entries = [Entry(1, "no", D(2024, 3, 1)), Entry(2, "no", D(2024, 3, 10))]
    assert position_since(entries) == {1: D(2024, 3, 1), 2: D(2024, 3, 1)}


def test_a_new_position_starts_a_new_run():
    entries = [
        Entry(1, "no", D(2024, 3, 1)),
        Entry(2, "yes", D(2024, 3, 5)),
        Entry(3, "yes", D(2024, 3, 9)),
        Entry(4, "no", D(2024, 3, 20)),
    ]
    assert position_since(entries) == {
        1: D(2024, 3, 1),
        2: D(2024, 3, 5),
        3: D(2024, 3, 5),
        4: D(2024, 3, 20),
    }


def test_as_of_takes_the_last_entry_on_or_before_the_date():
    entries = [Entry(1, "no", D(2024, 3, 1)), Entry(2, "yes", D(2024, 3, 5))]
    assert as_of(entries, D(2024, 3, 4)).key == 1
    assert as_of(entries, D(2024, 3, 5)).key == 2
    assert as_of(entries, D(2024, 2, 29)) is None


def test_as_of_on_a_day_with_several_entries_takes_the_last_recorded():
    entries = [Entry(1, "no", D(2024, 3, 5)), Entry(2, "yes", D(2024, 3, 5))]
    assert as_of(entries, D(2024, 3, 5)).key == 2


def test_since_after_the_last_entry_is_what_the_whole_timeline_gives():
    """Every timeline of up to five entries on two positions: an entry added after the last
    needs only that one and its run's start."""
    for length in range(1, 6):
        for positions in itertools.product("ny", repeat=length):
            entries = [Entry(i, p, D(2024, 3, 1 + i)) for i, p in enumerate(positions)]
            runs = position_since(entries)
            *before, new = entries
            last = before[-1] if before else None
            assert since_after(last, last and runs[last.key], new) == runs[new.key]
