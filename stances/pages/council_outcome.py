"""The map page's "If the Council voted" section, written in Python like the map's pieces
(stances/pages/markup.py says why): as a template it was a fifth of a cold render and of the
pieces an editor's save swaps in. The markup and the words are those the template had.

Values from the database and names are escaped; the sentences are the site's own.
"""

from html import escape

from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from stances import voting
from stances.languages.calendar import formatted
from stances.pages.kept_pieces import KeptPieces
from stances.pages.markup import oob_attribute

# More undeclared members than this are counted, not named.
NAMED_UNDECLARED = 6


# Kept by what the section shows (stances/pages/kept_pieces.py): its day's Council, its
# ballots and how the scale's positions count, the proposal, the date and the language. After an
# edit that changes no vote, and on every other question's page (each edit moves the revision of
# them all), it costs a lookup rather than the arithmetic and its words.
_sections = KeptPieces(size=512)


def outcome_section(snapshot, question, oob: bool = False) -> str:
    """The section for `snapshot`: the Council of its day, each rule's outcome and the method."""
    language = get_language()
    shown = (
        language,
        oob,
        snapshot.as_of,
        snapshot.day,  # the rules of the day, and its former members
        question.proposal,
        # Each member's ballot and where its population comes from, without making the
        # ballots (snapshot.outcome): a key is made on every render, the ballots only when the
        # section is written.
        tuple(
            (
                row.member_state.code,
                row.member_state.name_in(language),
                row.member_state.population,
                row.member_state.population_source,
                row.position.vote if row.position else None,
            )
            for row in snapshot.members
        ),
        len(snapshot.not_yet_members),
        tuple(snapshot.labels_by_vote.items()),
    )
    return _sections.get(shown, lambda: _outcome_section(snapshot, question, oob))


def _outcome_section(snapshot, question, oob: bool) -> str:
    if snapshot.as_of:
        heading = _("If the Council had voted on %(day)s") % {"day": _day(snapshot.as_of)}
    else:
        heading = _("If the Council voted today")
    proposal = _("On the proposal: <em>%(proposal)s</em>.") % {
        "proposal": escape(question.proposal)
    }
    parts = [
        f'<section id="outcome"{oob_attribute(oob)} class="outcome"'
        ' aria-labelledby="outcome-heading">',
        f'<h2 id="outcome-heading">{heading}</h2>',
        f'<p class="meta">{proposal}</p>',
    ]
    if not snapshot.rules.any_council:
        no_council = _(
            "There was no Council yet: the European Economic Community was founded on "
            "1 January 1958."
        )
        parts.append(f'<p class="council-members">{no_council}</p>')
    else:
        parts.append(f'<p class="council-members">{_members(snapshot)}</p>')
        parts.append(f'<dl class="outcome-grid">{_rules(snapshot)}</dl>')
    parts.append(_method(snapshot))
    parts.append("</section>")
    return "".join(parts)


def status_words(status: str, snapshot) -> str:
    """An outcome's status in words: "Reached", "Blocked", "Open", or undecided because an
    untracked member's vote could swing it (Stances has one former member, so the sentence
    names the first)."""
    if status == voting.UNDECIDED_WITHOUT_UNTRACKED:
        # Translators: an outcome that a former member's vote could still swing, e.g.
        # "Undecided without the United Kingdom".
        return _("Undecided without the %(name)s") % {
            "name": escape(snapshot.untracked[0].local_name)
        }
    if status == voting.REACHED:
        # Translators: a Council vote's outcome: it passes.
        return pgettext("outcome of a vote", "Reached")
    if status == voting.BLOCKED:
        # Translators: a Council vote's outcome: it fails.
        return pgettext("outcome of a vote", "Blocked")
    if status == voting.OPEN:
        # Translators: a Council vote's outcome: it could still go either way.
        return pgettext("outcome of a vote", "Open")
    return escape(status[:1].upper() + status[1:])


def _members(snapshot) -> str:
    """Who the Council of the day had, and which of them are counted here."""
    size = snapshot.council_size
    if not (snapshot.not_yet_members or snapshot.untracked):
        return ngettext(
            "Counted here: all %(size)s member.", "Counted here: all %(size)s members.", size
        ) % {"size": size}
    words = ngettext(
        "The Council then had %(size)s member.", "The Council then had %(size)s members.", size
    ) % {"size": size}
    values = {"tracked": len(snapshot.members), "not_joined": len(snapshot.not_yet_members)}
    if not snapshot.untracked:
        counted = _(
            "Counted here: the %(tracked)s tracked by Stances "
            "(%(not_joined)s of today’s 27 had not joined yet)."
        )
        return f"{words} {counted % values}"
    # Stances has one former member (stances/union.py, FORMER_MEMBERS), so each sentence names
    # the first untracked member only: a second one would need sentences of its own.
    former = snapshot.untracked[0]
    values |= {"name": escape(former.local_name), "left": _day(former.left)}
    if values["not_joined"]:
        counted = _(
            "Counted here: the %(tracked)s tracked by Stances "
            "(%(not_joined)s of today’s 27 had not joined yet), and the %(name)s, a member until "
            "%(left)s, whose positions Stances does not track: an outcome is stated only where it "
            "holds whatever the %(name)s’s vote would have been."
        )
    else:
        counted = _(
            "Counted here: the %(tracked)s tracked by Stances, and the %(name)s, a member until "
            "%(left)s, whose positions Stances does not track: an outcome is stated only where it "
            "holds whatever the %(name)s’s vote would have been."
        )
    return f"{words} {counted % values}"


def _rules(snapshot) -> str:
    """Each rule of the day with its outcome; those of other days named, not computed."""
    outcome, rules = snapshot.outcome, snapshot.rules
    items = [_unanimity(outcome.unanimity, snapshot)]
    if rules.double_majority:
        items.append(_qualified(outcome.qualified_majority, snapshot, rules.transitional))
        items.append(_reinforced(outcome.reinforced_majority, snapshot))
    else:
        weighted = _(
            "Before 1 November 2014 the Council counted a qualified majority in weighted votes, "
            "each member state holding a number of votes set by the treaties of the day. "
            "Stances computes only the double majority (55%% of the members, 65%% of the "
            "population) that applies from that date."
        ).replace("%%", "%")
        items.append(
            _item(
                "not-computed",
                _("Qualified majority"),
                f"<strong>{_('Weighted votes: not computed here')}</strong><br>{weighted}",
            )
        )
    items.append(_constructive_abstention(outcome.constructive_abstention, rules))
    return "".join(items)


def _item(status: str, term: str, description: str) -> str:
    return f'<div class="outcome-item status-{status}"><dt>{term}</dt><dd>{description}</dd></div>'


def _unanimity(unanimity, snapshot) -> str:
    lines = [f"<strong>{status_words(unanimity.status, snapshot)}</strong>"]
    if unanimity.blockers:
        lines.append(_("Blocked by %(names)s.") % {"names": _names(unanimity.blockers)})
    if undeclared := unanimity.undeclared:
        n = len(undeclared)
        if n <= NAMED_UNDECLARED:
            lines.append(
                ngettext(
                    "%(n)s without a counted position: %(names)s.",
                    "%(n)s without a counted position: %(names)s.",
                    n,
                )
                % {"n": n, "names": _names(undeclared)}
            )
        else:
            lines.append(
                ngettext(
                    "%(n)s without a counted position.", "%(n)s without a counted position.", n
                )
                % {"n": n}
            )
    if abstainers := unanimity.abstainers:
        n = len(abstainers)
        lines.append(
            ngettext(
                "%(n)s abstaining (does not prevent unanimity).",
                "%(n)s abstaining (does not prevent unanimity).",
                n,
            )
            % {"n": n}
        )
    return _item(unanimity.status, _("Unanimity"), "<br>".join(lines))


def _votes_for(majority) -> str:
    """ "For: 15 members (15 needed) with 70.1% of the population (65% needed).\""""
    return ngettext(
        "For: %(members)s member (%(needed)s needed) with %(share)s%% of the population "
        "(%(share_needed)s%% needed).",
        "For: %(members)s members (%(needed)s needed) with %(share)s%% of the population "
        "(%(share_needed)s%% needed).",
        majority.members_for,
    ) % {
        "members": majority.members_for,
        "needed": majority.members_needed,
        "share": localize(majority.population_for_percent),
        "share_needed": floatformat(majority.population_needed_percent, "0"),
    }


def _qualified(majority, snapshot, transitional: bool) -> str:
    strong = f"<strong>{status_words(majority.status, snapshot)}</strong>"
    if majority.deemed_attained:
        strong += " " + _("(deemed attained: fewer than 4 members block)")
    opposed = ngettext(
        "Against or abstaining: %(members)s member with %(share)s%% (a blocking minority needs "
        "at least 4 members and more than 35%%).",
        "Against or abstaining: %(members)s members with %(share)s%% (a blocking minority needs "
        "at least 4 members and more than 35%%).",
        majority.members_opposed,
    ) % {
        "members": majority.members_opposed,
        "share": localize(majority.population_opposed_percent),
    }
    lines = [strong, _votes_for(majority), opposed]
    if transitional:
        lines.append(
            _(
                "Until 31 March 2017 any member could ask for this vote to be taken by the "
                "weighted votes of the Treaty of Nice instead, which are not computed here."
            )
        )
    term = f'{_("Qualified majority")} <span class="meta">{_("(Commission proposal)")}</span>'
    return _item(majority.status, term, "<br>".join(lines))


def _reinforced(majority, snapshot) -> str:
    strong = f"<strong>{status_words(majority.status, snapshot)}</strong>"
    term = (
        f"{_('Reinforced qualified majority')}"
        f' <span class="meta">{_("(proposal not from the Commission)")}</span>'
    )
    return _item(majority.status, term, f"{strong}<br>{_votes_for(majority)}")


def _constructive_abstention(abstention, rules) -> str:
    term = f'{_("Constructive abstention")} <span class="meta">{_("(foreign policy)")}</span>'
    if rules.constructive_abstention:
        blocks = _("Abstainers block") if abstention.blocks else _("Abstainers do not block")
        n = abstention.members_abstaining
        words = ngettext(
            "%(abstaining)s abstaining with %(share)s%% of the population; abstainers block only "
            "from %(needed)s states with a third of the population.",
            "%(abstaining)s abstaining with %(share)s%% of the population; abstainers block only "
            "from %(needed)s states with a third of the population.",
            n,
        ) % {
            "abstaining": n,
            "share": localize(abstention.population_abstaining_percent),
            "needed": abstention.members_needed,
        }
        status = "blocked" if abstention.blocks else abstention.status
        return _item(status, term, f"<strong>{blocks}</strong><br>{words}")
    if rules.weighted_abstention:
        strong = _("Weighted votes: not computed here")
        words = _(
            "Until 30 November 2009 abstainers blocked a decision with more than a third of the "
            "weighted votes."
        )
    else:
        strong = _("Not yet in the treaties")
        words = _("Constructive abstention exists from 1 May 1999 (Treaty of Amsterdam).")
    return _item("not-computed", term, f"<strong>{strong}</strong><br>{words}")


def _method(snapshot) -> str:
    """How the section counts: which positions count how, and where the populations come from."""
    # Translators: said of a vote when no position counts that way, as in "Against: none".
    nothing = pgettext("no position counts this way", "none")
    labels = {vote: escape(text) or nothing for vote, text in snapshot.labels_by_vote.items()}
    if snapshot.labels_by_vote[voting.ABSENT]:
        absent = _("Not counted (takes no part): %(positions)s; no record.") % {
            "positions": labels[voting.ABSENT]
        }
    else:
        absent = _("Not counted (takes no part): no record.")
    sources = "; ".join(escape(source) for source in snapshot.population_sources)
    items = [
        # Translators: the positions that count as a vote for, e.g. "For: Supports; Supports
        # with conditions."
        _("For: %(positions)s.") % {"positions": labels[voting.FOR]},
        _("Against: %(positions)s.") % {"positions": labels[voting.AGAINST]},
        _(
            "Abstains (counts against under qualified majority, does not prevent unanimity): "
            "%(positions)s."
        )
        % {"positions": labels[voting.ABSTAIN]},
        absent,
        # Translators: “Reached”, “blocked” and “open” are the outcomes shown above: use the
        # same words.
        _(
            "“Reached” holds whatever the undecided do; “blocked” holds even if all of them "
            "joined; otherwise “open”."
        ),
        _(
            "Only the members of the day count: a state before its accession date is not yet a "
            "member."
        ),
        _("Populations: %(sources)s.") % {"sources": sources},
    ]
    listed = "".join(f"<li>{item}</li>" for item in items)
    return (
        f'<details class="outcome-method"><summary>{_("How this is counted")}</summary>'
        f"<ul>{listed}</ul></details>"
    )


def _names(names) -> str:
    return ", ".join(escape(name) for name in names)


def _day(value) -> str:
    return escape(formatted(value, "j F Y"))
