import pytest

from stances.models import MemberState

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_exactly_the_27_member_states():
    assert MemberState.objects.count() == 27
    assert list(MemberState.objects.values_list("protocol_order", flat=True)) == list(range(1, 28))


def test_greece_has_iso_code_gr_and_eu_code_el():
    greece = MemberState.objects.get(code="GR")
    assert greece.eu_code == "EL"
    assert greece.name == "Greece"
    assert greece.capital == "Athens"


def test_populations_carry_their_source_and_year():
    germany = MemberState.objects.get(code="DE")
    assert germany.population == 83_445_000
    assert germany.population_year == 2024
    assert "Eurostat" in germany.population_source
    assert sum(MemberState.objects.values_list("population", flat=True)) == 449_206_200


def test_accession_dates_match_the_enlargements():
    by_date = {}
    for code, day in MemberState.objects.values_list("code", "accession_date"):
        by_date.setdefault(day.isoformat(), set()).add(code)
    assert by_date == {
        "1958-01-01": {"BE", "DE", "FR", "IT", "LU", "NL"},
        "1973-01-01": {"DK", "IE"},
        "1981-01-01": {"GR"},
        "1986-01-01": {"ES", "PT"},
        "1995-01-01": {"AT", "FI", "SE"},
        "2004-05-01": {"CY", "CZ", "EE", "HU", "LT", "LV", "MT", "PL", "SI", "SK"},
        "2007-01-01": {"BG", "RO"},
        "2013-07-01": {"HR"},
    }
