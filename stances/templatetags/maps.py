"""Drawing the map in templates: `{% load maps %}`, then the geometry and its colours.

Views hand templates a snapshot; the map is drawn from it here, so that the pages and the
drawing stay apart and the geometry file is read once per process (stances/maps/).
"""

from django import template

from stances.maps.choropleth import MapCountry, choropleth, legend_layout
from stances.maps.mapsvg import EuropeMap, load_map

register = template.Library()


@register.simple_tag
def europe() -> EuropeMap:
    """`{% europe as europe %}`: the outlines, the view box and the markers' places."""
    return load_map()


@register.simple_tag
def map_countries(rows, europe: EuropeMap, moved=None) -> list[MapCountry]:
    """`{% map_countries snapshot.rows europe moved as countries %}`: each member state as drawn;
    `moved`, on a comparison, numbers those that moved (code -> number)."""
    return choropleth(rows, europe, moved)


@register.simple_tag
def map_country(row) -> MapCountry:
    """`{% map_country row as country %}`: one member state, for an out-of-band swap."""
    (country,) = choropleth([row], load_map())
    return country


@register.simple_tag
def map_legend(counts) -> list:
    """`{% map_legend snapshot.counts as legend %}`: where each entry goes in the SVG file."""
    return legend_layout(counts)
