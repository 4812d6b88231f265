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


def test_accession_years_match_the_enlargements():
    founders = set(MemberState.objects.filter(accession_year=1958).values_list("code", flat=True))
    assert founders == {"BE", "DE", "FR", "IT", "LU", "NL"}
    assert MemberState.objects.get(code="HR").accession_year == 2013
