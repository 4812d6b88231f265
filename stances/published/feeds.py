"""Atom feeds of stance changes, site-wide and per question, newest recorded first."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stances.languages.calendar import formatted
from stances.models import Question, StanceChange

ENTRIES = 50


def latest_changes(question: Question | None = None) -> list[StanceChange]:
    """The latest changes on published questions, with their sources: two queries."""
    changes = StanceChange.objects.filter(stance__question__is_published=True)
    if question is not None:
        changes = changes.filter(stance__question=question)
    changes = list(
        changes.select_related("position", "stance__member_state", "stance__question").order_by(
            "-recorded_at", "-id"
        )[:ENTRIES]
    )
    StanceChange.attach_sources(changes)
    return changes


@dataclass
class Subject:
    """What a feed is about, and the request, which entry ids need for the site's address."""

    request: HttpRequest
    question: Question | None = None


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    # Translators: Stances is the name of the site: keep it as it is.
    title = gettext_lazy("Stances: latest changes")
    subtitle = gettext_lazy(
        "Where the 27 EU member states stand: every change to a position, as recorded."
    )
    author_name = "Stances"

    def get_object(self, request):
        return Subject(request)

    def link(self):
        return reverse("home")

    def feed_url(self):
        return reverse("changes_feed")

    def items(self, subject):
        changes = latest_changes(subject.question)
        for change in changes:
            # Several changes share a timeline page: an entry's id needs more than its link.
            link = subject.request.build_absolute_uri(self.item_link(change))
            change.entry_id = f"{link}#change-{change.pk}"
        return changes

    def item_title(self, change):
        # Translators: an entry of the feed, e.g. "Hungary: Opposes — Sanctions on Belarus".
        return _("%(member_state)s: %(position)s — %(question)s") % {
            "member_state": change.stance.member_state.local_name,
            "position": change.position,
            "question": change.stance.question,
        }

    def item_description(self, change):
        sources = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({})</li>',
            ((s.url, s.title, s.publisher) for s in change.source_list),
        )
        taken = format_html(
            # Translators: keep the <strong> tags around {position}, and the names in braces.
            _("{member_state} on “{question}”: <strong>{position}</strong>, taken on {date}."),
            member_state=change.stance.member_state.local_name,
            question=change.stance.question,
            position=change.position,
            date=formatted(change.effective_on, "j F Y"),
        )
        return format_html(
            "<p>{}</p><p>{}</p>{}",
            taken,
            change.summary,
            format_html("<ul>{}</ul>", sources) if change.source_list else "",
        )

    def item_link(self, change):
        code = change.stance.member_state.code.lower()
        return reverse("country_timeline", args=[change.stance.question.slug, code])

    def item_guid(self, change):
        return change.entry_id

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.recorded_at

    def item_updateddate(self, change):
        return change.recorded_at


class QuestionChangesFeed(ChangesFeed):
    def get_object(self, request, slug):
        return Subject(request, get_object_or_404(Question.objects.published(), slug=slug))

    def title(self, subject):
        # Translators: Stances is the name of the site: keep it as it is.
        return _("Stances: %(question)s") % {"question": subject.question}

    def subtitle(self, subject):
        return _("Every change to a member state's position on “%(question)s”, as recorded.") % {
            "question": subject.question
        }

    def link(self, subject):
        return subject.question.get_absolute_url()

    def feed_url(self, subject):
        return reverse("question_changes_feed", args=[subject.question.slug])
