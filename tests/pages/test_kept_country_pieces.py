"""The map page's pieces for each member state (its map link, inset button and table row) are
kept by exactly what they show: after an edit only the member state it touched is written
again, and each piece follows every value it shows."""

import datetime

import pytest
from django.urls import reverse

from stances.models import MemberState, Position, Source, Stance, StanceChange
from stances.pages import markup
from stances.pages.kept_pieces import KeptPieces
from tests.factories import make_question, make_source, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    question = make_question()
    record(question, "HU", "maybe", "2024-03-01", summary="Budapest hesitates.")
    record(question, "MT", "yes", "2024-03-02", summary="Valletta agrees.")
    return question


@pytest.fixture
def written(monkeypatch):
    """The member states whose pieces were written, not given as kept, by kind."""
    written = {"map": [], "inset": [], "row": []}
    for kind, name in (("map", "_map_link"), ("inset", "_inset_button"), ("row", "_table_row")):
        write = getattr(markup, name)

        def counted(first, *args, kind=kind, write=write):
            code = first.code if kind != "row" else first.member_state.code
            written[kind].append(code)
            return write(first, *args)

        monkeypatch.setattr(markup, name, counted)
    return written


def page(client, question, **query) -> str:
    return client.get(reverse("question", args=[question.slug]), query).content.decode()


def test_after_an_edit_only_the_member_state_it_touched_is_written_again(client, question, written):
    page(client, question)  # the first render writes them, or finds them from another test
    for pieces in written.values():
        pieces.clear()
    record(question, "HU", "yes", "2024-03-05", summary="Budapest agrees.")
    body = page(client, question)
    assert 'aria-label="Hungary: Supports since 5 March 2024"' in body
    assert "Budapest agrees." in body and "Budapest hesitates." not in body
    assert written["map"] == ["HU"] and written["row"] == ["HU"]
    assert written["inset"] == ["HU"]  # a narrow one; Malta's is unchanged


def test_each_piece_follows_every_value_it_shows(client, question):
    def hungary_and_malta() -> str:
        body = page(client, question)
        start = body.index('id="row-HU"')
        return body[body.index('id="map-HU"') :] + body[start : body.index("</tr>", start)]

    assert "Undecided" in hungary_and_malta()
    Position.objects.filter(question=question, key="maybe").update(label="Hesitant")
    assert 'aria-label="Hungary: Hesitant since 1 March 2024"' in hungary_and_malta()
    Position.objects.filter(question=question, key="maybe").update(colour="#123456")
    assert 'fill="#123456"' in hungary_and_malta()
    hungary = Stance.objects.get(question=question, member_state__code="HU")
    StanceChange.objects.filter(stance=hungary).update(summary="Corrected summary.")
    assert "Corrected summary." in hungary_and_malta()
    Source.objects.filter(changes__stance=hungary).update(publisher="Corrected Press")
    assert "Corrected Press" in hungary_and_malta()
    Stance.objects.filter(pk=hungary.pk).update(checked_on=datetime.date.today())
    assert "checked " in hungary_and_malta()
    MemberState.objects.filter(code="HU").update(name="Magyarország", eu_code="HX")
    changed = hungary_and_malta()
    assert 'data-name="Magyarország"' in changed and ">HX</abbr>" in changed
    dated = page(client, question, as_of="2024-03-03")
    assert f'href="/questions/{question.slug}/countries/hu/?as_of=2024-03-03"' in dated
    german = client.get(f"/de{reverse('question', args=[question.slug])}").content.decode()
    assert 'data-name="Ungarn"' in german


def test_a_member_states_inset_button_follows_its_position(client, question):
    assert 'id="inset-MT"' in page(client, question)
    record(question, "MT", "no", "2024-03-06", sources=[make_source()])
    body = page(client, question)
    start = body.index('id="inset-MT"')
    assert "Malta: Opposes since 6 March 2024" in body[start : body.index("</li>", start)]


def test_the_pieces_kept_are_bounded_the_least_recently_used_let_go_first():
    pieces = KeptPieces(size=2)
    assert pieces.get("a", lambda: "A") == "A"
    assert pieces.get("b", lambda: "B") == "B"
    assert pieces.get("a", lambda: "not written again") == "A"  # now the most recent
    assert pieces.get("c", lambda: "C") == "C"
    assert len(pieces) == 2
    assert pieces.get("b", lambda: "B again") == "B again"  # "b" was let go
    assert pieces.get("a", lambda: "A again") == "A again"  # then "a", after "c" and "b"
