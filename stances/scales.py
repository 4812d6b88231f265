"""Position scales to start a question from, in colours that readers with any colour vision
tell apart (the Okabe–Ito palette), each position with how it counts in a Council vote.

Each preset reads its positions against the question's proposal: a question "Sanctions on X"
proposes the sanctions, so "Supports" counts for and "Opposes" against. All of it stays
editable once the question is created.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stances.models import Vote

# Okabe & Ito, "Color Universal Design" (2008): eight colours, distinct for the common forms of
# colour blindness; the map adds patterns and labels, so colour is never the only signal.
PALETTE = (
    # Translators: the palette's colours are named beside each swatch in the admin.
    ("#0072B2", pgettext_lazy("colour", "Blue")),
    ("#D55E00", pgettext_lazy("colour", "Vermilion")),
    ("#E69F00", pgettext_lazy("colour", "Orange")),
    ("#009E73", pgettext_lazy("colour", "Bluish green")),
    ("#CC79A7", pgettext_lazy("colour", "Reddish purple")),
    ("#56B4E9", pgettext_lazy("colour", "Sky blue")),
    ("#F0E442", pgettext_lazy("colour", "Yellow")),
    ("#999999", pgettext_lazy("colour", "Grey")),
)
NO_POSITION_COLOUR = "#999999"


@dataclass(frozen=True)
class PresetPosition:
    key: str
    label: str
    colour: str
    vote: str
    requires_source: bool = True
    description: str = ""


NO_PUBLIC_POSITION = PresetPosition(
    "no-public-position",
    "No public position",
    NO_POSITION_COLOUR,
    Vote.ABSENT,
    requires_source=False,
    description="No statement of the government's own has been recorded.",
)


@dataclass(frozen=True)
class Preset:
    key: str
    # Marked for translation, read in the language of the request (name and proposal below).
    lazy_name: Promise
    lazy_proposal: Promise  # what the proposal is, for the form's hint
    positions: tuple[PresetPosition, ...]

    @property
    def name(self) -> str:
        return str(self.lazy_name)

    @property
    def proposal(self) -> str:
        return str(self.lazy_proposal)


PRESETS = (
    Preset(
        "recognition",
        # Translators: the name of a preset scale in the admin: recognition of a state, say.
        pgettext_lazy("preset scale", "Recognition"),
        _("a common position not to recognise"),
        (
            PresetPosition("recognises", "Recognises", "#D55E00", Vote.AGAINST),
            PresetPosition(
                "recognises-with-reservations",
                "Recognises with reservations",
                "#CC79A7",
                Vote.AGAINST,
            ),
            PresetPosition("undecided", "Undecided", "#E69F00", Vote.ABSTAIN),
            PresetPosition("does-not-recognise", "Does not recognise", "#0072B2", Vote.FOR),
            NO_PUBLIC_POSITION,
        ),
    ),
    Preset(
        "support",
        pgettext_lazy("preset scale", "Support / oppose / undecided"),
        _("the proposal itself"),
        (
            PresetPosition("supports", "Supports", "#0072B2", Vote.FOR),
            PresetPosition("undecided", "Undecided", "#E69F00", Vote.ABSTAIN),
            PresetPosition("opposes", "Opposes", "#D55E00", Vote.AGAINST),
            NO_PUBLIC_POSITION,
        ),
    ),
    Preset(
        "sanctions",
        pgettext_lazy("preset scale", "Sanctions"),
        _("the sanctions"),
        (
            PresetPosition("supports", "Supports the sanctions", "#0072B2", Vote.FOR),
            PresetPosition(
                "supports-with-exemptions", "Supports with exemptions", "#56B4E9", Vote.FOR
            ),
            PresetPosition("undecided", "Undecided", "#E69F00", Vote.ABSTAIN),
            PresetPosition("opposes", "Opposes the sanctions", "#D55E00", Vote.AGAINST),
            NO_PUBLIC_POSITION,
        ),
    ),
    Preset(
        "ratification",
        pgettext_lazy("preset scale", "Ratification"),
        _("the agreement's entry into force"),
        (
            PresetPosition("ratified", "Ratified", "#009E73", Vote.FOR),
            PresetPosition("signed", "Signed, not yet ratified", "#56B4E9", Vote.FOR),
            PresetPosition("undecided", "Undecided", "#E69F00", Vote.ABSTAIN),
            PresetPosition("refuses", "Refuses to ratify", "#D55E00", Vote.AGAINST),
            NO_PUBLIC_POSITION,
        ),
    ),
    Preset(
        "vote",
        pgettext_lazy("preset scale", "Yes / no / abstain"),
        _("the text put to the vote"),
        (
            PresetPosition("yes", "Yes", "#0072B2", Vote.FOR),
            PresetPosition("no", "No", "#D55E00", Vote.AGAINST),
            PresetPosition("abstains", "Abstains", "#E69F00", Vote.ABSTAIN),
            NO_PUBLIC_POSITION,
        ),
    ),
)
BY_KEY = {preset.key: preset for preset in PRESETS}


def rows_of(preset: Preset) -> list[dict]:
    """A preset's positions as the fields of a scale's rows, in order from 1."""
    return [
        {
            "order": order,
            "key": p.key,
            "label": p.label,
            "colour": p.colour,
            "vote": p.vote,
            "requires_source": p.requires_source,
            "description": p.description,
        }
        for order, p in enumerate(preset.positions, start=1)
    ]
