import pytest
from django.urls import reverse

from tests.factories import make_question, record

pytestmark = pytest.mark.django_db


def test_a_member_state_page_shows_its_position_on_every_question_with_timeline_links(client):
    first, second = make_question("First question"), make_question("Second question")
    record(first, "EE", "no", "2024-03-02", summary="Tallinn says no.")
    response = client.get(reverse("member_state", args=["ee"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Estonia" in body and "Tallinn" in body
    assert "Tallinn says no." in body
    assert "No record" in body  # nothing on the second question yet
    assert reverse("country_timeline", args=[first.slug, "ee"]) in body
    assert reverse("country_timeline", args=[second.slug, "ee"]) in body


def test_greece_is_found_by_its_iso_code(client):
    body = client.get(reverse("member_state", args=["gr"])).content.decode()
    assert "Greece" in body and "EL" in body


@pytest.mark.parametrize("code", ["xx", "grc", "<b>"])
def test_an_unknown_code_is_a_404(client, code):
    assert client.get(f"/countries/{code}/").status_code == 404


def test_the_member_state_page_uses_few_queries(client, django_assert_max_num_queries):
    for _ in range(4):
        record(make_question(), "EE", "no", "2024-03-02")
    with django_assert_max_num_queries(4):
        assert client.get(reverse("member_state", args=["ee"])).status_code == 200
