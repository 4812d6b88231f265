"""The share card: the map of a question as a 1200 × 630 PNG, for link previews (og:image).

The SVG is drawn by templates/stances/share.svg from the same geometry as the page; resvg
renders it with the fonts shipped in stances/data/fonts (DejaVu Sans: Latin Extended, Greek,
Cyrillic), never the system's, so every server draws the same picture.
"""

import datetime
import textwrap
from pathlib import Path

import resvg_py
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import timezone

from stances.citing import download_name, long_date
from stances.dates import BadDate, parse_as_of
from stances.reading.member_states import member_states
from stances.reading.questions import published_question_or_404
from stances.reading.snapshots import take_snapshot

WIDTH, HEIGHT = 1200, 630
# Where the map goes: its 1000 × 1002 units scaled into the card's left part.
MAP_LEFT, MAP_TOP, MAP_SCALE = 24, 24, 0.58
FONTS_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"
FONT_FILES = sorted(str(path) for path in FONTS_DIR.glob("*.ttf"))
TITLE_CHARACTERS = 28  # per line at the title's size (30 px bold), in the right-hand column
TEXT_LEFT = MAP_LEFT + round(1000 * MAP_SCALE) + 36
LINE, LEGEND_LINE = 38, 38


def map_point(x: float, y: float) -> tuple[float, float]:
    """Where a point of the map (in its own units) falls on the card, in pixels."""
    return MAP_LEFT + x * MAP_SCALE, MAP_TOP + y * MAP_SCALE


def title_lines(title: str, lines: int = 4) -> list[str]:
    """The title wrapped for the card, the last line cut with an ellipsis if it runs over."""
    wrapped = textwrap.wrap(title, TITLE_CHARACTERS)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: TITLE_CHARACTERS - 1].rstrip() + "…"
    return wrapped


def render_png(svg: str) -> bytes:
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            skip_system_fonts=True,
            font_files=FONT_FILES,
            font_family="DejaVu Sans",
            sans_serif_family="DejaVu Sans",
        )
    )


def card_layout(title: str, day: datetime.date, counts, site: str) -> dict:
    """Where each text of the card goes: the title, the date, one legend line per count."""
    lines = title_lines(title)
    title = [(line, 70 + i * LINE) for i, line in enumerate(lines)]
    date_y = title[-1][1] + 44
    shown = [count for count in counts if count.count or count.position]
    legend = [(count, date_y + 34 + i * LEGEND_LINE) for i, count in enumerate(shown)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "map_left": MAP_LEFT,
        "map_top": MAP_TOP,
        "map_scale": MAP_SCALE,
        "text_left": TEXT_LEFT,
        "title": title,
        "date": long_date(day),
        "date_y": date_y,
        "legend": legend,
        "credit_y": HEIGHT - 32,
        "site": site,
    }


def question_share_png(request, slug):
    """`/questions/<slug>/share.png?as_of=`: the card link previews show (og:image)."""
    try:
        as_of = parse_as_of(request.GET.get("as_of"))
    except BadDate as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    question, positions = published_question_or_404(request, slug)
    snapshot = take_snapshot(question, as_of, member_states(request), positions=positions)
    day = as_of or timezone.localdate()
    card = card_layout(question.title, day, snapshot.counts, request.get_host())
    svg = render_to_string("stances/share.svg", {"snapshot": snapshot, "card": card}, request)
    response = HttpResponse(render_png(svg), content_type="image/png")
    name = download_name(question, day, "png", kind="map")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
