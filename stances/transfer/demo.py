"""The demo case: the March 2024 debate on recognising Russia's presidential election.

Only what the two cited sources support is recorded: the EU said it would not recognise the
vote held in the occupied Ukrainian regions (Commission spokesperson, 14 March 2024), while
recognising the vote on the Russian Federation's own territory was left to the member states
and still under discussion (Adnkronos, 15 March 2024). No government's position is invented.

Each source points at the item itself where its address was checked against a stored copy of
the page (the Adnkronos article); where it could not be, it points at the publisher's page and
its title says so (the Commission's briefing). Never a guessed address. Titles describe the items.
"""

import datetime

from django.db import transaction

from stances import records
from stances.models import Confidence, MemberState, Position, Question, Source, Vote

STATEMENT_DAY = datetime.date(2024, 3, 14)
REPORT_DAY = datetime.date(2024, 3, 15)

SOURCES = {
    "commission": dict(
        # No stored copy of the briefing's own page could be checked: the press corner it is on.
        url="https://ec.europa.eu/commission/presscorner/home/en",
        title="Midday briefing: the EU will not recognise the Russian presidential vote held in "
        "the occupied Ukrainian regions (the Commission's press corner; the briefing's own "
        "address is not verified)",
        publisher="European Commission",
        published_on=STATEMENT_DAY,
        speaker="Peter Stano, European Commission spokesperson for foreign affairs",
    ),
    "adnkronos": dict(
        # Checked against a stored copy: "Non riconoscere la vittoria di Vladimir Putin alle
        # elezioni che si tengono da oggi, 15 marzo ...", with the chargés d'affaires scenario.
        url="https://www.adnkronos.com/internazionale/esteri/"
        "elezioni-russia-vittoria-putin-reazione-europa_5cYfDzI5GlPuF89OkiEhxo",
        title="EU will not recognise the vote in the occupied regions; recognition of the "
        "Russian Federation's vote left to the member states",
        publisher="Adnkronos",
        published_on=REPORT_DAY,
    ),
}

# Both questions share these; each counts for or against the question's own proposal.
RECOGNISES = dict(key="recognises", label="Recognises", colour="#D55E00", vote=Vote.AGAINST)
DOES_NOT_RECOGNISE = dict(
    key="does-not-recognise", label="Does not recognise", colour="#0072B2", vote=Vote.FOR
)
NO_PUBLIC_POSITION = dict(
    key="no-public-position",
    label="No public position",
    colour="#999999",
    vote=Vote.ABSENT,
    requires_source=False,
    description="No statement of the government's own has been recorded.",
)

QUESTIONS = [
    dict(
        title="Recognition of Vladimir Putin's March 2024 re-election",
        slug="putin-re-election-2024",
        opened_on=REPORT_DAY,
        description=(
            "Russia held its presidential election on 15–17 March 2024. Recognition of the vote "
            "on the Russian Federation's own territory was left to the member states, with "
            "different sensitivities in the capitals; not recognising it would have lowered "
            "relations with Moscow to the level of chargés d'affaires."
        ),
        proposal="A common EU position not to recognise the result, lowering relations with "
        "Moscow to the level of chargés d'affaires",
        positions=[
            RECOGNISES,
            dict(
                key="recognises-with-reservations",
                label="Recognises with reservations",
                colour="#CC79A7",
                vote=Vote.AGAINST,
            ),
            dict(key="undecided", label="Undecided", colour="#E69F00", vote=Vote.ABSTAIN),
            DOES_NOT_RECOGNISE,
            NO_PUBLIC_POSITION,
        ],
        stance=dict(
            position="no-public-position",
            effective_on=REPORT_DAY,
            confidence=Confidence.REPORTED,
            summary=(
                "As of 15 March 2024 recognition of the vote on Russian territory was left to "
                "the member states and still under discussion in the capitals; no national "
                "position recorded yet."
            ),
            sources=["adnkronos"],
        ),
    ),
    dict(
        title="Recognition of the March 2024 vote held in Russian-occupied Ukrainian territories",
        slug="occupied-territories-vote-2024",
        opened_on=STATEMENT_DAY,
        description=(
            "Russia also organised its presidential vote in the regions of Ukraine it occupies. "
            "On 14 March 2024 the European Commission's spokesperson, Peter Stano, said that the "
            "EU would not recognise that vote."
        ),
        proposal="A common EU position not to recognise the vote held in the occupied regions",
        positions=[
            RECOGNISES,
            DOES_NOT_RECOGNISE,
            NO_PUBLIC_POSITION,
        ],
        stance=dict(
            position="does-not-recognise",
            effective_on=STATEMENT_DAY,
            confidence=Confidence.INFERRED,
            summary=(
                "Covered by the EU-level position: the EU will not recognise the vote held in "
                "the occupied Ukrainian regions (Commission spokesperson, 14 March 2024). "
                "No separate national statement recorded."
            ),
            sources=["commission", "adnkronos"],
        ),
    ),
]


@transaction.atomic
def load_demo() -> bool:
    """Load the demo case into a database without questions; False if there were some."""
    if Question.objects.exists():
        return False
    sources = {key: Source.objects.create(**fields) for key, fields in SOURCES.items()}
    for spec in QUESTIONS:
        spec = dict(spec)
        scale, stance = spec.pop("positions"), spec.pop("stance")
        question = Question.objects.create(is_published=True, **spec)
        positions = {
            fields["key"]: Position.objects.create(question=question, order=order, **fields)
            for order, fields in enumerate(scale, start=1)
        }
        for member_state in MemberState.objects.all():
            records.record_change(
                question=question,
                member_state=member_state,
                position=positions[stance["position"]],
                effective_on=stance["effective_on"],
                summary=stance["summary"],
                confidence=stance["confidence"],
                sources=[sources[key] for key in stance["sources"]],
            )
    return True
