"""What an embed shows and in which theme, as its address asks: `?show=` and `?theme=`."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

# What to show, each including the ones before: the map; the map and its legend; all three.
SHOWS = ("map", "legend", "outcome")
THEMES = ("auto", "light", "dark")
# The <iframe> height the snippet sets, for pages without the resizing script: enough for a
# 680-pixel article column, where the map alone is about as tall as it is wide.
HEIGHTS = {"map": 800, "legend": 1040, "outcome": 1800}


class BadEmbedRequest(ValueError):
    """The address asks for something an embed cannot show; the message says what can."""


@dataclass(frozen=True)
class EmbedOptions:
    show: str = "outcome"
    theme: str = "auto"

    @classmethod
    def of(cls, query) -> "EmbedOptions":
        show = query.get("show", "outcome")
        theme = query.get("theme", "auto")
        if show not in SHOWS:
            raise BadEmbedRequest(_not_one_of("show", SHOWS, show))
        if theme not in THEMES:
            raise BadEmbedRequest(_not_one_of("theme", THEMES, theme))
        return cls(show, theme)

    @property
    def legend(self) -> bool:
        return self.show in ("legend", "outcome")

    @property
    def outcome(self) -> bool:
        return self.show == "outcome"

    @property
    def height(self) -> int:
        return HEIGHTS[self.show]


def _not_one_of(parameter: str, choices, value: str) -> str:
    # Translators: an embed's address asked for something it cannot show. %(parameter)s is the
    # name in the address ("show", "theme") and %(choices)s its values: keep both as they are.
    return _("“%(parameter)s” may be %(choices)s, not “%(value)s”.") % {
        "parameter": parameter,
        "choices": ", ".join(choices),
        "value": value[:40],
    }
