import datetime

import pytest
from django.core.exceptions import ValidationError

from stances.models import Stance, StanceChange
from stances.records import StaleVersion
from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


def test_the_first_change_creates_the_stance():
    question = make_question()
    record(question, "HU", "no", "2024-03-10", summary="Budapest says no.")
    stance = Stance.objects.get(question=question, member_state__code="HU")
    assert stance.position.key == "no"
    assert stance.summary == "Budapest says no."
    assert stance.since == datetime.date(2024, 3, 10)
    assert stance.version == 1


def test_a_change_recorded_later_with_an_earlier_date_does_not_become_current():
    question = make_question()
    record(question, "HU", "no", "2024-03-10")
    record(question, "HU", "yes", "2024-03-01")  # entered after the fact
    stance = Stance.objects.get(question=question, member_state__code="HU")
    assert stance.position.key == "no"
    assert stance.since == datetime.date(2024, 3, 10)
    assert stance.changes.count() == 2


def test_since_is_when_the_current_position_was_first_taken():
    question = make_question()
    record(question, "FR", "maybe", "2024-03-01")
    record(question, "FR", "yes", "2024-03-05")
    record(question, "FR", "yes", "2024-03-12", summary="Reaffirmed.")
    stance = Stance.objects.get(question=question, member_state__code="FR")
    assert stance.since == datetime.date(2024, 3, 5)
    assert stance.summary == "Reaffirmed."


def test_a_stale_version_raises_and_writes_nothing():
    question = make_question()
    record(question, "DE", "maybe", "2024-03-01")
    record(question, "DE", "yes", "2024-03-02", expected_version=1)
    with pytest.raises(StaleVersion):
        record(question, "DE", "no", "2024-03-03", expected_version=1)
    stance = Stance.objects.get(question=question, member_state__code="DE")
    assert stance.position.key == "yes"
    assert stance.version == 2
    assert StanceChange.objects.filter(stance=stance).count() == 2


def test_a_future_date_is_refused():
    question = make_question()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="future"):
        record(question, "DE", "yes", tomorrow)
    assert not StanceChange.objects.exists()
    assert not Stance.objects.exists()
