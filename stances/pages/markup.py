"""The map page's repeated pieces, written here in one pass rather than by template partials.

Each member state appears three times on the page (its link on the map, its button under the
map when it is small, its row in the table), each with a position's tag or swatch: 27 × 3 of
them as `{% url %}`, `{% include %}` and filters were most of a cold render. The same goes for
the entries of a country's timeline in the panel (25 of them took 19 ms as templates, most of
an editor's save). The markup is the same; templates/stances/question.html keeps the rest of
the page and calls these through stances/templatetags/map_page.py, also for the single pieces
a save swaps in.

Every value from the database is escaped; the geometry, which only changes with the code, is
escaped once per process. The words are translated as each piece is written, into the active
language.
"""

import functools
from dataclasses import dataclass, field
from html import escape
from types import SimpleNamespace

from django.http import QueryDict
from django.template.defaulttags import querystring
from django.urls import get_script_prefix, reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from stances.languages.calendar import formatted
from stances.models import Confidence, Vote
from stances.pages.kept_pieces import KeptPieces


@dataclass(frozen=True)
class Links:
    """Where a member state's links go on this page: its timeline as of the date shown."""

    slug: str
    as_of: object  # a date, or None: today
    embed: bool = False  # open in a new tab on the site, not in the frame
    comparison: bool = False  # on a comparison, plain links (no panel to load into)
    oob: bool = False  # an out-of-band swap after a save: the pieces say so
    # The active language and script prefix where the links are made, as the request writing
    # the pieces has them: the addresses and words follow them, so the kept pieces' keys too.
    language: str | None = field(default_factory=get_language)
    prefix: str = field(default_factory=get_script_prefix)

    def timeline(self, code: str) -> str:
        url = _url("country_timeline", self.slug, code.lower(), self.prefix, self.language)
        return f"{url}?as_of={self.as_of.isoformat()}" if self.as_of else url

    def attributes(self, code: str) -> str:
        """href, and hx-get (the panel) or a new tab, as the map and its buttons have them."""
        url = escape(self.timeline(code))
        if self.embed:
            return f'href="{url}" target="_blank" rel="noopener"'
        if self.comparison:
            return f'href="{url}"'
        return f'href="{url}" hx-get="{url}"'

    @property
    def oob_attribute(self) -> str:
        return oob_attribute(self.oob)


def oob_attribute(oob: bool) -> str:
    """What marks a piece for htmx's out-of-band swap after a save (nothing otherwise)."""
    return ' hx-swap-oob="true"' if oob else ""


@functools.lru_cache(maxsize=4096)
def _url(name: str, slug: str, code: str, prefix: str, language: str | None) -> str:
    # The prefix and the language are part of the key: reverse() answers under the current
    # script prefix, and with the active language's prefix (/de/…).
    return reverse(name, args=[slug, code])


@functools.lru_cache(maxsize=256)
def _escaped(text: str) -> str:
    """An outline's path, escaped once: a str keeps its hash, so looking it up costs nothing."""
    return escape(text)


def swatch(position, not_member=False, no_record_fill=None) -> str:
    """A position's colour as a small square: hatched without one, dotted when not_member."""
    kind = " swatch-not-member" if not_member else "" if position else " swatch-none"
    fill = position.colour if position else no_record_fill
    square = ""
    if position or no_record_fill:
        square = f'<svg viewBox="0 0 1 1"><rect width="1" height="1" fill="{escape(fill)}"/></svg>'
    return f'<span class="swatch{kind}" aria-hidden="true">{square}</span>'


def position_tag(position, not_member=False) -> str:
    """A position's colour and name, "No record", or "Not yet a member"."""
    if not_member:
        words = escape(_("Not yet a member"))
        return f'<span class="tag tag-not-member">{swatch(position, True)}{words}</span>'
    if position is None:
        return f'<span class="tag tag-none">{swatch(None)}{escape(_("No record"))}</span>'
    return f'<span class="tag">{swatch(position)}{escape(position.label)}</span>'


# Each member state's pieces, kept by what they show (stances/pages/kept_pieces.py): after an
# edit, the member states it did not touch cost a lookup, not their markup (2.9 ms of a 26 ms
# cold render, timed per template node). 27 member states × 3 pieces, for a few dates and
# languages.
_pieces = KeptPieces(size=4096)


def _shown_on_map(country) -> tuple:
    """Everything a member state's map link and inset button show, as plain values: its
    name in the page's language follows from its code and English name, its outline from its
    code."""
    position = country.row.position
    return (
        country.code,
        country.name,
        country.row.member_state.eu_code,
        country.fill,
        position.colour if position else None,
        country.position_label,
        country.since,
        country.joins_on,
        country.marker,
        country.move_number,
        country.hard_to_see,
        country.inset,
    )


def map_link(country, links: Links) -> str:
    """A member state on the map: its outline (and circle), a link to its timeline."""
    key = ("map", _shown_on_map(country), links)
    return _pieces.get(key, lambda: _map_link(country, links))


def _map_link(country, links: Links) -> str:
    classes = "country"
    if country.move_number:
        classes += " moved"
    if country.hard_to_see:
        classes += " hard-to-see"
    since = ""
    if country.since:
        # Translators: in the map's tooltip, under a member state's position: "since 3 March 2024".
        since = escape(_("since %(date)s") % {"date": formatted(country.since, "j F Y")})
    fill = escape(country.fill)
    marker = country.marker
    circle = (
        f'<circle class="marker" cx="{marker.x}" cy="{marker.y}" r="{marker.radius}"'
        f' fill="{fill}"/>'
        if marker
        else ""
    )
    code = escape(country.code)
    return (
        f'<a id="map-{code}"{links.oob_attribute} class="{classes}"'
        f" {links.attributes(country.code)}"
        f' aria-label="{escape(country.description)}" data-code="{code}"'
        f' data-name="{escape(country.local_name)}"'
        f' data-position="{escape(country.position_label)}" data-since="{since}">'
        f'<path d="{_escaped(country.d)}" fill="{fill}"/>{circle}</a>'
    )


def inset_button(country, links: Links) -> str:
    """A member state too small to tap on the map: a button under it."""
    key = ("inset", _shown_on_map(country), links)
    return _pieces.get(key, lambda: _inset_button(country, links))


def _inset_button(country, links: Links) -> str:
    code = escape(country.code)
    row = country.row
    return (
        f'<li id="inset-{code}"{links.oob_attribute} class="inset-{country.inset}">'
        f'<a id="inset-link-{code}" {links.attributes(country.code)}'
        f' aria-label="{escape(country.description)}">'
        f"{swatch(row.position, country.joins_on)}{escape(row.member_state.eu_code)}</a></li>"
    )


def _shown_in_table(row) -> tuple:
    """Everything a member state's row in the table shows, as plain values."""
    member_state, position, source = row.member_state, row.position, row.latest_source
    return (
        member_state.code,
        member_state.name,
        member_state.eu_code,
        (position.label, position.colour) if position else None,
        row.not_yet_member,
        row.since,
        row.checked_on,
        row.change.summary if row.change else None,
        (source.url, source.publisher, source.published_on) if source else None,
    )


def table_row(row, links: Links, editing: bool) -> str:
    """A member state's row in the table; `editing` adds its Edit link."""
    key = ("row", _shown_in_table(row), links, editing)
    return _pieces.get(key, lambda: _table_row(row, links, editing))


def _table_row(row, links: Links, editing: bool) -> str:
    member_state = row.member_state
    code = escape(member_state.code)
    name = escape(member_state.local_name)
    url = escape(links.timeline(member_state.code))
    since = ""
    if row.since:
        since = f'<time datetime="{row.since.isoformat()}">{formatted(row.since, "j M Y")}</time>'
    if row.checked_on and links.as_of is None:
        checked = f'<time datetime="{row.checked_on}">{formatted(row.checked_on, "j M Y")}</time>'
        # Translators: in the table, after the date a position was taken: the day an editor last
        # confirmed it still holds, e.g. "checked 2 Apr 2024".
        checked = escape(_("checked %(date)s")) % {"date": checked}
        since += f'<span class="checked"> · {checked}</span>'
    edit = ""
    if editing:
        edit_url = _url("edit_stance", links.slug, code.lower(), links.prefix, links.language)
        edit_url = escape(edit_url)
        # Translators: a link in the table to record a change; screen readers also read the hidden
        # part, the member state's name.
        words = _('Edit<span class="visually-hidden"> %(name)s</span>') % {"name": name}
        edit = f'<td><a href="{edit_url}" hx-get="{edit_url}">{words}</a></td>'
    summary = escape(row.change.summary) if row.change else ""
    labels = _column_labels(links.language)
    tag = position_tag(row.position, row.not_yet_member)
    return (
        f'<tr id="row-{code}"{links.oob_attribute}>'
        f'<th scope="row"><a href="{url}" hx-get="{url}" hx-push-url="true">{name}</a>'
        f' <abbr class="code" title="{labels["code"]}">{escape(member_state.eu_code)}</abbr></th>'
        f'<td data-label="{labels["position"]}">{tag}</td>'
        f'<td data-label="{labels["since"]}">{since}</td>'
        f'<td data-label="{labels["summary"]}">{summary}</td>'
        f'<td data-label="{labels["source"]}">{_source(row.latest_source)}</td>{edit}</tr>'
    )


@functools.lru_cache(maxsize=64)
def _column_labels(language: str | None) -> dict[str, str]:
    """The table's column names in `language` (the active one), escaped, as a narrow screen
    shows them beside each cell: written once per language, not once per row."""
    return {
        # Translators: the title of a member state's two-letter code in the table, e.g. "EL".
        "code": escape(_("EU code")),
        "position": escape(_("Position")),
        "since": escape(pgettext("table column: the day a position was taken", "Since")),
        "summary": escape(_("Summary")),
        "source": escape(_("Latest source")),
    }


def _source(source) -> str:
    if source is None:
        return ""
    published = f", {formatted(source.published_on, 'j M Y')}" if source.published_on else ""
    return (
        f'<a href="{escape(source.url)}" rel="noopener noreferrer nofollow">'
        f"{escape(source.publisher)}</a>{published}"
    )


def timeline_entry(change, as_of, editing: bool) -> str:
    """An entry of a country's timeline in the panel: the position taken, when, how sure, the
    summary and sources; for editors who recorded it, when, and any later corrections.
    `as_of`: the date the page shows (None: today); later entries are marked as such."""
    after = as_of is not None and change.effective_on > as_of
    day = formatted(change.effective_on, "j F Y")
    # Translators: when a position was taken, before its confidence
    # ("taken 3 March 2024 · Reported").
    taken = _('taken <time datetime="%(iso)s">%(day)s</time>') % {
        "iso": change.effective_on.isoformat(),
        "day": escape(day),
    }
    meta = f'<span class="meta">{taken} · {_confidence(change.confidence, get_language())}</span>'
    if after:
        later = _("(after %(day)s)") % {"day": escape(formatted(as_of, "j M Y"))}
        meta += f' <span class="meta">{later}</span>'
    parts = [f"<p>{position_tag(change.position)} {meta}</p>"]
    if change.summary:
        parts.append(f"<p>{escape(change.summary)}</p>")
    if sources := getattr(change, "source_list", None):
        items = "".join(f"<li>{_source_entry(source)}</li>" for source in sources)
        parts.append(f'<ul class="sources">{items}</ul>')
    if editing:
        parts.append(f'<p class="meta audit">{_audit(change)}</p>')
    classes = "timeline-entry after-as-of" if after else "timeline-entry"
    return f'<li class="{classes}" id="change-{change.pk}">{"".join(parts)}</li>'


def _source_entry(source) -> str:
    text = (
        f'<a href="{escape(source.url)}" rel="noopener noreferrer nofollow">'
        f"{escape(source.title)}</a> — {escape(source.publisher)}"
    )
    if source.published_on:
        text += f", {formatted(source.published_on, 'j M Y')}"
    if source.speaker:
        text += f"; {escape(source.speaker)}"
    if source.quote:
        text += f"<blockquote>{escape(source.quote)}</blockquote>"
    return text


def _audit(change) -> str:
    """Who recorded an entry and when, then each later edit: for editors only."""
    when = escape(_moment(change.recorded_at))
    # The panel's queries name the editor (stances/reading/country_timelines.py).
    if change.recorded_by_name is not None:
        words = _("Recorded %(when)s by %(username)s") % {
            "when": when,
            "username": escape(change.recorded_by_name),
        }
    else:
        words = _("Recorded %(when)s") % {"when": when}
    for correction in getattr(change, "corrections", ()):
        edited = escape(_moment(correction.history_date))
        if correction.history_user_name is not None:
            user = escape(correction.history_user_name)
            words += "; " + _("edited %(when)s by %(user)s") % {"when": edited, "user": user}
        else:
            words += "; " + _("edited %(when)s") % {"when": edited}
    return words


@functools.lru_cache(maxsize=16)
def _confidence(value: str, language: str) -> str:
    """How sure an entry is, in `language` (the active one) and escaped, as
    get_confidence_display() says it: each of the 25 entries asked the catalogue anew."""
    return escape(str(dict(Confidence.choices).get(value, value)))


@functools.lru_cache(maxsize=128)
def _vote_words(value: str, language: str | None) -> str:
    """How a position counts, in `language` (the active one), in lower case and escaped, as
    get_vote_display() says it: which built the table of choices anew for each position."""
    return escape(str(dict(Vote.choices).get(value, value)).lower())


def _moment(value) -> str:
    """A moment as the templates' `date:"j M Y, H:i"` writes it: in the site's time zone."""
    return _moment_in(value, get_language(), timezone.get_current_timezone_name())


@functools.lru_cache(maxsize=4096)
def _moment_in(value, language: str, zone: str) -> str:
    # Kept per process: an editor's panel writes the same entries' moments after every save.
    # `language` and `zone` are the active ones, which the format follows. The day through the
    # date format, kept by day (a panel's entries were often recorded on the same few), the time
    # written out: a member state's first panel in a process wrote 25 moments, 36 µs each.
    local = timezone.localtime(value)
    return f"{_day_in(local.date(), language)}, {local:%H:%M}"


@functools.lru_cache(maxsize=1024)
def _day_in(day, language: str) -> str:
    return dateformat.format(day, "j M Y")


# The legend and the filter chips, kept by what they show: each position's key, label, count,
# colour and vote, the address's query string their links keep, the date and the language.
# After an edit that moves no count, and on every other question's page, each costs a lookup.
_counted = KeptPieces(size=1024)


def _shown_counts(counts) -> tuple:
    return tuple(
        (
            c.key,
            c.label,
            c.count,
            c.not_member,
            *((c.position.colour, c.position.vote) if c.position else ()),
        )
        for c in counts
    )


def legend(counts, request, as_of, embed: bool = False, oob: bool = False) -> str:
    """The map's legend: each position with its colour, count and how it votes; outside an
    embed, each a link that filters the table."""
    query = request.META.get("QUERY_STRING", "")
    shown = ("legend", get_language(), query, as_of, embed, oob, _shown_counts(counts))
    return _counted.get(shown, lambda: _legend(counts, request, as_of, embed, oob))


def _legend(counts, request, as_of, embed: bool, oob: bool) -> str:
    links = "" if embed else ' hx-target="#table" hx-swap="outerHTML" hx-push-url="true"'
    language = get_language()
    items = []
    for count in counts:
        label = f"{swatch(count.position, count.not_member)}{escape(count.label)}"
        if embed:
            label = f"<span>{label}</span>"
        else:
            query = _query(request, as_of=_iso(as_of), sort=None, position=count.key)
            label = f'<a href="{query}#table" hx-get="{query}">{label}</a>'
        meta = ""
        if count.position:
            vote = _vote_words(count.position.vote, language)
            # Translators: how a position counts in a Council vote, e.g. "counts as for",
            # "counts as abstain".
            meta = _("counts as %(vote)s") % {"vote": vote}
            meta = f'<span class="meta">{meta}</span>'
        elif count.not_member:
            meta = f'<span class="meta">{_("not counted: joined later")}</span>'
        items.append(
            f'<li>{label}<strong class="count" data-count="{escape(count.key)}">{count.count}'
            f"</strong>{meta}</li>"
        )
    # Translators: the heading of the map's legend, which lists the positions a member state
    # may hold.
    heading = _("Positions")
    return (
        f'<section id="legend"{oob_attribute(oob)} class="legend" aria-labelledby="legend-heading">'
        f'<h2 id="legend-heading">{heading}</h2><ul{links}>{"".join(items)}</ul></section>'
    )


def filters(counts, request, as_of, sort, position_filter, oob: bool = False) -> str:
    """The table's filter chips, one for each position with its count, and "All"."""
    query = request.META.get("QUERY_STRING", "")
    shown = ("filters", get_language(), query, as_of, sort, position_filter, oob)
    return _counted.get(
        (*shown, _shown_counts(counts)),
        lambda: _filters(counts, request, as_of, sort, position_filter, oob),
    )


def _filters(counts, request, as_of, sort, position_filter, oob: bool) -> str:
    as_of, sort = _iso(as_of), sort or None
    # "" when nothing is left: "?" still clears the address's.
    query = _query(request, as_of=as_of, sort=sort, position=None) or "?"
    current = ' aria-current="true"'
    # Translators: the filter that shows every member state, whatever its position.
    chips = [
        f'<a href="{query}#table" hx-get="{query}"{"" if position_filter else current}>'
        f"{pgettext('filter: every position', 'All')}</a>"
    ]
    for count in counts:
        query = _query(request, as_of=as_of, sort=sort, position=count.key)
        chips.append(
            f'<a href="{query}#table" hx-get="{query}"'
            f"{current if position_filter == count.key else ''}>"
            f"{escape(count.label)} ({count.count})</a>"
        )
    return (
        f'<nav id="filters" class="filters"{oob_attribute(oob)}'
        f' aria-label="{escape(_("Filter by position"))}" hx-target="#table"'
        f' hx-swap="outerHTML" hx-push-url="true">{"".join(chips)}</nav>'
    )


def sort_headers(sort_labels, request, as_of, sort, position_filter) -> str:
    """The table's sortable column headers: each a link that sorts by it, the other way round
    when it sorts by it already, with its direction said (aria-sort) and shown (▲, ▼)."""
    as_of, position = _iso(as_of), position_filter or None
    cells = []
    for key, label in sort_labels.items():
        if key == "protocol":
            continue  # the order the table starts in: no column of its own
        descending = f"-{key}"
        aria_sort, arrow = "", ""
        if sort == key:
            aria_sort, arrow = ' aria-sort="ascending"', ' <span aria-hidden="true">▲</span>'
        elif sort == descending:
            aria_sort, arrow = ' aria-sort="descending"', ' <span aria-hidden="true">▼</span>'
        query = _query(
            request, as_of=as_of, position=position, sort=descending if sort == key else key
        )
        words = _("Member state") if key == "name" else escape(str(label))
        cells.append(
            f'<th scope="col"{aria_sort}><a href="{query}#table" hx-get="{query}">'
            f"{words}{arrow}</a></th>"
        )
    return "".join(cells)


def _query(request, **changes) -> str:
    """The address's query string with `changes` (None removes one), as {% querystring %}
    writes it, escaped for an attribute."""
    return _query_with(request.META.get("QUERY_STRING", ""), tuple(changes.items()))


@functools.lru_cache(maxsize=1024)
def _query_with(query_string: str, changes: tuple) -> str:
    # Kept per process by the address's query string (the one request.GET is read from) and
    # the changes: the map page writes 14 of these, and {% querystring %} copies the request's
    # QueryDict for each.
    request = SimpleNamespace(GET=QueryDict(query_string))
    return escape(querystring(SimpleNamespace(request=request), **dict(changes)))


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def joined(pieces) -> SafeString:
    """Pieces built above, every value in them escaped, as one safe string for a template."""
    return mark_safe("".join(pieces))  # noqa: S308  # nosec B308 B703
