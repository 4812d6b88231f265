"""`{% load map_page %}`: the map page's repeated pieces, written in Python (stances/pages/markup.py
says why), from what the page's context already holds.

    {% map_links countries %}      every member state on the map; {% map_link country %} one
    {% inset_buttons countries %}  the buttons under the map;     {% inset_button country %} one
    {% table_rows rows %}          the table's rows;              {% table_row row %} one
    {% timeline_entries changes %} a country's timeline in the panel, as of the page's date
    {% legend %}, {% filters %}    the legend and the table's filter chips, for the snapshot shown
    {% sort_headers %}             the table's sortable column headers
    {% outcome_section %}          "If the Council voted" (stances/pages/council_outcome.py)
    {% outcome_status status snapshot %}  an outcome's status in words
    {% position_tag position not_member %}, {% swatch position not_member no_record_fill %}
"""

from django import template

from stances.pages import council_outcome, markup

register = template.Library()


def _map_links(context) -> markup.Links:
    """The map's links go to each timeline as of the snapshot's date."""
    snapshot = context.get("snapshot")
    return markup.Links(
        slug=context["question"].slug,
        as_of=snapshot.as_of if snapshot else None,
        embed=bool(context.get("embed")),
        comparison=bool(context.get("comparison")),
        oob=bool(context.get("oob")),
    )


def _table_links(context) -> markup.Links:
    """The table's, as of the page's date."""
    return markup.Links(
        slug=context["question"].slug, as_of=context.get("as_of"), oob=bool(context.get("oob"))
    )


def _editing(context) -> bool:
    return bool(context.get("user_is_editor")) and not context.get("as_of")


@register.simple_tag(takes_context=True)
def map_links(context, countries):
    links = _map_links(context)
    return markup.joined(markup.map_link(country, links) for country in countries)


@register.simple_tag(takes_context=True)
def map_link(context, country):
    return markup.joined([markup.map_link(country, _map_links(context))])


@register.simple_tag(takes_context=True)
def inset_buttons(context, countries):
    links = _map_links(context)
    return markup.joined(markup.inset_button(c, links) for c in countries if c.inset)


@register.simple_tag(takes_context=True)
def inset_button(context, country):
    return markup.joined([markup.inset_button(country, _map_links(context))])


@register.simple_tag(takes_context=True)
def table_rows(context, rows):
    links, editing = _table_links(context), _editing(context)
    return markup.joined(markup.table_row(row, links, editing) for row in rows)


@register.simple_tag(takes_context=True)
def table_row(context, row):
    return markup.joined([markup.table_row(row, _table_links(context), _editing(context))])


@register.simple_tag(takes_context=True)
def timeline_entries(context, changes):
    editing = bool(context.get("user_is_editor"))
    as_of = context.get("as_of")
    return markup.joined(markup.timeline_entry(change, as_of, editing) for change in changes)


@register.simple_tag
def position_tag(position, not_member=False):
    return markup.joined([markup.position_tag(position, not_member)])


@register.simple_tag
def swatch(position, not_member=False, no_record_fill=None):
    return markup.joined([markup.swatch(position, not_member, no_record_fill)])


@register.simple_tag(takes_context=True)
def legend(context):
    snapshot = context["snapshot"]
    return markup.joined(
        [
            markup.legend(
                snapshot.counts,
                context.request,
                snapshot.as_of,
                embed=bool(context.get("embed")),
                oob=bool(context.get("oob")),
            )
        ]
    )


@register.simple_tag(takes_context=True)
def filters(context):
    return markup.joined(
        [
            markup.filters(
                context["snapshot"].counts,
                context.request,
                context.get("as_of"),
                context.get("sort"),
                context.get("position_filter"),
                oob=bool(context.get("oob")),
            )
        ]
    )


@register.simple_tag(takes_context=True)
def sort_headers(context):
    return markup.joined(
        [
            markup.sort_headers(
                context["sort_labels"],
                context.request,
                context.get("as_of"),
                context.get("sort"),
                context.get("position_filter"),
            )
        ]
    )


@register.simple_tag(takes_context=True)
def outcome_section(context):
    section = council_outcome.outcome_section(
        context["snapshot"], context["question"], oob=bool(context.get("oob"))
    )
    return markup.joined([section])


@register.simple_tag
def outcome_status(status, snapshot):
    return markup.joined([council_outcome.status_words(status, snapshot)])
