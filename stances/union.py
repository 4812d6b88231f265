"""The Union on a date: its former member, and which Council voting rules applied then.

Pure facts and arithmetic on dates; the member states' own accession dates live in the
database (MemberState.accession_date), seeded from stances/data/eu27.csv.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

# The Treaty of Rome took effect: the six founders' accession date.
FOUNDED = datetime.date(1958, 1, 1)
# Art. 16(4) TEU and Art. 3 of Protocol No 36: the double majority from 1 November 2014, and
# until 31 March 2017 any member could ask for a vote by the weighted votes of the Treaty of Nice.
DOUBLE_MAJORITY_FROM = datetime.date(2014, 11, 1)
TRANSITIONAL_UNTIL = datetime.date(2017, 3, 31)
# Art. 31(1) TEU as the Treaty of Lisbon wrote it: constructive abstention counted in member
# states and population. From the Treaty of Amsterdam (1 May 1999) until then, in weighted votes.
LISBON = datetime.date(2009, 12, 1)
AMSTERDAM = datetime.date(1999, 5, 1)


@dataclass(frozen=True)
class FormerMember:
    """A state that was a member and has left; Stances records no positions for it."""

    code: str
    name: str
    joined: datetime.date
    left: datetime.date  # its last day as a member
    population: int
    population_source: str

    def is_member_on(self, day: datetime.date) -> bool:
        return self.joined <= day <= self.left

    @property
    def local_name(self) -> str:
        """The name in the active language, as MemberState.local_name gives a member's; `name`
        stays English for the downloads and the API."""
        from stances.languages.country_names import local_name

        return local_name(self.code, self.name)


UNITED_KINGDOM = FormerMember(
    code="GB",
    name="United Kingdom",
    joined=datetime.date(1973, 1, 1),
    left=datetime.date(2020, 1, 31),
    # The last figure Eurostat published for the United Kingdom as a member: 66.6 million, 13.0%
    # of the EU-28; given to 0.1 million only, so rounded here as there.
    population=66_600_000,
    population_source=gettext_lazy(
        # Translators: where the United Kingdom's population figure comes from; STAT/19/4010
        # is the news release's number (keep it as it is).
        "Eurostat, first population estimates on 1 January 2019 (news release STAT/19/4010), "
        "rounded to 0.1 million"
    ),
)
FORMER_MEMBERS = (UNITED_KINGDOM,)


def untracked_members_on(day: datetime.date) -> tuple[FormerMember, ...]:
    """The members of that day that Stances does not track (the United Kingdom, 1973–2020)."""
    return tuple(member for member in FORMER_MEMBERS if member.is_member_on(day))


@dataclass(frozen=True)
class VotingRules:
    """Which of the Council's rules Stances can compute for a day, and what applied instead."""

    day: datetime.date

    @property
    def double_majority(self) -> bool:
        """Qualified majorities by 55% of members and 65% of population, as computed here."""
        return self.day >= DOUBLE_MAJORITY_FROM

    @property
    def transitional(self) -> bool:
        """Any member could still ask for the old weighted votes instead (until 31 March 2017)."""
        return DOUBLE_MAJORITY_FROM <= self.day <= TRANSITIONAL_UNTIL

    @property
    def constructive_abstention(self) -> bool:
        """Constructive abstention by a third of the states and of the population, as here."""
        return self.day >= LISBON

    @property
    def weighted_abstention(self) -> bool:
        """Constructive abstention existed, but counted in weighted votes (1999–2009)."""
        return AMSTERDAM <= self.day < LISBON

    @property
    def any_council(self) -> bool:
        return self.day >= FOUNDED


def rules_on(day: datetime.date) -> VotingRules:
    return VotingRules(day)
