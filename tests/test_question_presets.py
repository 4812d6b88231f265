"""Questions start from a preset scale, pick colours as swatches, and can be cloned."""

import re

import pytest
from django.urls import reverse

from stances import scales
from stances.models import Position, Question

pytestmark = pytest.mark.django_db
ADD = reverse("admin:stances_question_add")


def question_form(**changes) -> dict:
    data = {
        "title": "Sanctions on Belarus",
        "slug": "sanctions-belarus",
        "description": "",
        "proposal": "A new package of sanctions",
        "opened_on": "2024-03-01",
        "is_open": "on",
        "is_published": "on",
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "0",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def scale_rows(rows) -> dict:
    data = {"positions-TOTAL_FORMS": str(len(rows))}
    for i, row in enumerate(rows):
        for name, value in row.items():
            if name == "colour":
                data[f"positions-{i}-colour_0"] = value
                data[f"positions-{i}-colour_1"] = ""
            elif name == "requires_source":
                if value:
                    data[f"positions-{i}-requires_source"] = "on"
            else:
                data[f"positions-{i}-{name}"] = value
    return data


def test_the_add_page_offers_each_preset(admin_client):
    body = admin_client.get(ADD).content.decode()
    for preset in scales.PRESETS:
        assert f'href="?preset={preset.key}"' in body
        assert preset.name in body


def test_a_preset_fills_in_the_scale_to_edit(admin_client):
    response = admin_client.get(ADD, {"preset": "sanctions"})
    formset = response.context["inline_admin_formsets"][0].formset
    assert [f.initial["label"] for f in formset.forms] == [
        "Supports the sanctions",
        "Supports with exemptions",
        "Undecided",
        "Opposes the sanctions",
        "No public position",
    ]
    body = response.content.decode()
    assert 'fill="#0072B2"' in body  # the palette as swatches
    assert re.search(r'name="positions-3-colour_0" value="#D55E00"[^>]*checked', body)


def test_a_question_saved_from_a_preset_has_its_scale_with_colours_and_votes(admin_client):
    rows = scales.rows_of(scales.BY_KEY["sanctions"])
    response = admin_client.post(ADD, question_form() | scale_rows(rows))
    assert response.status_code == 302, response.context["errors"]
    question = Question.objects.get(slug="sanctions-belarus")
    saved = list(question.positions.order_by("order").values_list("key", "colour", "vote"))
    assert saved == [(r["key"], r["colour"], r["vote"]) for r in rows]


def test_a_colour_outside_the_palette_is_written_in_as_hex(admin_client):
    rows = scales.rows_of(scales.BY_KEY["vote"])
    data = question_form() | scale_rows(rows)
    data |= {"positions-0-colour_0": "other", "positions-0-colour_1": "#123abc"}
    assert admin_client.post(ADD, data).status_code == 302
    assert Position.objects.get(key="yes").colour == "#123abc"


def test_a_colour_that_is_not_a_hex_is_refused(admin_client):
    rows = scales.rows_of(scales.BY_KEY["vote"])
    data = question_form() | scale_rows(rows)
    data |= {"positions-0-colour_0": "other", "positions-0-colour_1": "red"}
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert not Question.objects.filter(slug="sanctions-belarus").exists()


def test_every_preset_is_in_the_palette_and_counts_in_a_council_vote():
    palette = {colour for colour, _ in scales.PALETTE}
    for preset in scales.PRESETS:
        votes = {p.vote for p in preset.positions}
        assert {"for", "against", "absent"} <= votes, preset.key
        assert all(p.colour in palette for p in preset.positions), preset.key
        assert len({p.key for p in preset.positions}) == len(preset.positions)


def test_a_question_is_cloned_with_its_scale_as_a_draft(admin_client):
    rows = scales.rows_of(scales.BY_KEY["recognition"])
    admin_client.post(ADD, question_form() | scale_rows(rows))
    original = Question.objects.get(slug="sanctions-belarus")
    changelist = reverse("admin:stances_question_changelist")
    action = {"action": "clone_with_scale", "_selected_action": [original.pk]}
    response = admin_client.post(changelist, action)
    clone = Question.objects.get(slug="sanctions-belarus-copy")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:stances_question_change", args=[clone.pk])
    assert (clone.title, clone.is_published) == ("Sanctions on Belarus (copy)", False)
    assert [p.key for p in clone.positions.order_by("order")] == [r["key"] for r in rows]
    admin_client.post(changelist, action)
    assert Question.objects.filter(slug="sanctions-belarus-copy-2").exists()
    assert original.positions.count() == len(rows)
