"""The domain: member states, questions with their position scales, stances and their timelines.

Each record that leaves the site says here how it looks: its FIELDS and to_dict() for the API,
the downloads and the backup, and its COLUMNS in a flat row (the CSV files).
"""

import datetime
import urllib.parse
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from stances import timeline
from stances.citing import long_date
from stances.languages.content import Translated

# Histories reach back before the Union (recognitions of states, for one); a date before
# 1900 is a typing mistake.
EARLIEST_DATE = datetime.date(1900, 1, 1)

# A timeline, oldest first; the last entry is the current record. Ties on a day go to the
# later record. Newest first is the same order reversed.
TIMELINE_ORDER = ("effective_on", "recorded_at", "id")
NEWEST_FIRST = tuple(f"-{field}" for field in TIMELINE_ORDER)

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", gettext_lazy("Enter a colour as #RRGGBB, for example #0072B2.")
)
web_url_validator = URLValidator(
    schemes=["http", "https"],
    message=gettext_lazy("Enter a web address starting with http:// or https://."),
)


def validate_lower_case_scheme(value: str) -> None:
    """A source's address keeps the database's rule (constraint source_url_http): http:// or
    https:// in lower case, which URLValidator does not ask (it takes HTTPS:// too). Only
    said of an address URLValidator would otherwise take, so that no message comes twice."""
    if value.lower().startswith(("http://", "https://")) and not value.startswith(
        ("http://", "https://")
    ):
        raise ValidationError(web_url_validator.message, code="invalid")


def flat_columns(fields: Iterable[str], prefix: str = "", **renamed: str) -> dict[str, str]:
    """Each field's column in a flat row (the CSV files): `prefix` and its name, or the column
    `renamed` gives it."""
    return {name: renamed.get(name, prefix + name) for name in fields}


def validate_not_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("This date is in the future."))


def validate_not_too_early(value: datetime.date) -> None:
    if value < EARLIEST_DATE:
        raise ValidationError(
            _("Dates before %(date)s are not accepted.") % {"date": long_date(EARLIEST_DATE)}
        )


class MemberState(models.Model):
    # A member state as it leaves the site (the API, the downloads).
    FIELDS = ("code", "eu_code", "name")
    # In a flat row the codes keep their names; the name is the member_state column.
    COLUMNS = flat_columns(FIELDS, name="member_state")

    code = models.CharField(
        gettext_lazy("ISO code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", gettext_lazy("Two capital letters."))],
        help_text=gettext_lazy("ISO 3166-1 alpha-2 (GR for Greece)."),
    )
    eu_code = models.CharField(
        gettext_lazy("EU code"),
        max_length=2,
        unique=True,
        help_text=gettext_lazy("The EU's own code (EL for Greece)."),
    )
    iso3 = models.CharField(gettext_lazy("ISO alpha-3"), max_length=3, unique=True)
    iso_numeric = models.CharField(gettext_lazy("ISO numeric"), max_length=3, unique=True)
    name = models.CharField(max_length=100, unique=True)
    capital = models.CharField(max_length=100)
    accession_date = models.DateField(
        validators=[MinValueValidator(datetime.date(1958, 1, 1))],
        help_text=gettext_lazy(
            "The day it joined (1958-01-01 for the six founders): before it, the site "
            "shows it as not yet a member and the Council counts without it."
        ),
    )
    population = models.PositiveBigIntegerField(
        validators=[MinValueValidator(1)],
        help_text=gettext_lazy("Used for the qualified-majority arithmetic."),
    )
    population_source = models.CharField(max_length=200)
    population_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    protocol_order = models.PositiveSmallIntegerField(
        unique=True,
        help_text=gettext_lazy("The EU's protocol order (by name in the national language)."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["protocol_order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(population__gt=0), name="member_state_population_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("member_state", args=[self.code.lower()])

    @property
    def local_name(self) -> str:
        """The name in the active language (CLDR through Babel; stances/languages/),
        remembered with its language: a page names each member state several times."""
        return self.name_in(get_language())

    def name_in(self, language: str | None) -> str:
        """The name in `language`, remembered: for a caller that names many member states in
        the same language and knows it already."""
        from stances.languages.country_names import local_name

        known = self.__dict__.get("_local_name")
        if known is None or known[0] != language:
            known = self._local_name = (language, local_name(self.code, self.name, language))
        return known[1]

    def is_member_on(self, day: datetime.date) -> bool:
        return self.accession_date <= day

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    @staticmethod
    def is_url_code(code: str) -> bool:
        """Addresses spell the code in two lowercase ASCII letters (`/countries/gr/`).

        Checked before any query: PostgreSQL refuses some characters (NUL) outright.
        """
        return len(code) == 2 and code.isascii() and code.isalpha() and code.islower()


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def published_with_scales(self) -> "dict[Question, list[Position]]":
        """Published questions, newest first, each with its ordered scale: one query.

        A question without a scale has nothing to show yet; the admin refuses to publish one.
        """
        scales = {}
        positions = Position.objects.filter(question__in=self.published()).select_related(
            "question"
        )
        for position in positions.order_by("-question__opened_on", "question__title", "order"):
            scales.setdefault(position.question, []).append(position)
        return scales

    def published_with_scale(self, slug: str, **annotations) -> "tuple[Question, list[Position]]":
        """A published question and its ordered scale, in one query when it has a scale.

        `annotations` ride along on each position (something else the caller needs in the
        same query). Question.DoesNotExist when no published question has this slug.
        """
        # Published as published() says, written on the join: a subquery took longer to compile.
        positions = list(
            Position.objects.filter(question__slug=slug, question__is_published=True)
            .select_related("question")
            .annotate(**annotations)
            .order_by("order")
        )
        if positions:
            return positions[0].question, positions
        return self.published().get(slug=slug), []


class Question(Translated, models.Model):
    TRANSLATED_FIELDS = ("title", "description", "proposal")  # stances/languages/content.py
    title = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, max_length=4000)
    proposal = models.CharField(
        max_length=300,
        help_text=gettext_lazy(
            "What a Council decision on this question would adopt. Each position "
            "counts for, against or abstaining on it."
        ),
    )
    opened_on = models.DateField(validators=[validate_not_too_early, validate_not_future])
    # Translators: a question still open (its stances still move), not a verb.
    is_open = models.BooleanField(pgettext_lazy("question status", "open"), default=True)
    is_published = models.BooleanField(
        gettext_lazy("published"),
        default=False,
        help_text=gettext_lazy("Only published questions are shown to readers."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opened_on__gte=EARLIEST_DATE), name="question_opened_on_sane"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("question", args=[self.slug])

    def timeline_url(self, member_state: "MemberState") -> str:
        """The page of one member state's timeline on this question."""
        return reverse("country_timeline", args=[self.slug, member_state.code.lower()])


class Vote(models.TextChoices):
    """How a position counts if the Council voted on the question's proposal."""

    # Translators: how a position counts in a Council vote: for the proposal.
    FOR = "for", pgettext_lazy("vote", "For")
    # Translators: how a position counts in a Council vote: against the proposal.
    AGAINST = "against", pgettext_lazy("vote", "Against")
    ABSTAIN = "abstain", pgettext_lazy("vote", "Abstains")
    ABSENT = "absent", gettext_lazy("Not counted (takes no part)")


class Position(Translated, models.Model):
    TRANSLATED_FIELDS = ("label", "description")  # stances/languages/content.py
    # A position wherever it is named (the API, the downloads).
    FIELDS = ("key", "label", "vote")
    # In a flat row the key is the position column and the label position_label.
    COLUMNS = flat_columns(FIELDS, key="position", label="position_label")
    # All of a position, in the order of its fields: a question's scale in the API, the backup.
    DETAIL_FIELDS = ("key", "label", "description", "colour", "order", "vote", "requires_source")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="positions")
    key = models.SlugField(
        max_length=40, help_text=gettext_lazy("Short identifier used in exports.")
    )
    label = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    colour = models.CharField(
        max_length=7,
        validators=[colour_validator],
        help_text=gettext_lazy("Use a colour-blind-safe colour."),
    )
    order = models.PositiveSmallIntegerField(help_text=gettext_lazy("Place on the scale, from 1."))
    vote = models.CharField(max_length=10, choices=Vote.choices)
    requires_source = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Recording this position needs at least one source."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="position_key_unique"),
            models.UniqueConstraint(fields=["question", "order"], name="position_order_unique"),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="position_colour_hex"
            ),
            models.CheckConstraint(condition=Q(vote__in=Vote.values), name="position_vote_valid"),
        ]

    def __str__(self):
        return self.label

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    def to_detail_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.DETAIL_FIELDS}


class Confidence(models.TextChoices):
    OFFICIAL = "official", gettext_lazy("Official statement")
    # Translators: how sure a record is: the position was reported (by the press, say).
    REPORTED = "reported", pgettext_lazy("confidence", "Reported")
    # Translators: how sure a record is: the position was inferred from what was said or done.
    INFERRED = "inferred", pgettext_lazy("confidence", "Inferred")


class Source(models.Model):
    # The fields that tell one source from another: all a flat row has room for, and what the
    # import matches the sources of its rows on.
    CITATION_FIELDS = ("url", "title", "publisher", "published_on")
    # A source as it leaves the site (the API, the downloads, the backup).
    FIELDS = (*CITATION_FIELDS, "speaker", "quote")
    # In a flat row: source_url, source_title, source_publisher, source_published_on.
    COLUMNS = flat_columns(CITATION_FIELDS, prefix="source_")

    # A CharField, not a URLField: its form field would reject other schemes with a vaguer
    # message, and would guess a scheme for bare addresses.
    url = models.CharField(
        gettext_lazy("web address"),
        max_length=500,
        validators=[web_url_validator, validate_lower_case_scheme],
    )
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    published_on = models.DateField(
        null=True, blank=True, validators=[validate_not_too_early, validate_not_future]
    )
    quote = models.TextField(blank=True, max_length=2000)
    speaker = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "publisher"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="source_url_http",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=EARLIEST_DATE),
                name="source_published_on_sane",
            ),
        ]

    def __str__(self):
        if self.published_on:
            return _("%(publisher)s: %(title)s, %(published_on)s") % {
                "publisher": self.publisher,
                "title": self.title,
                "published_on": date_format(self.published_on, "d M Y"),
            }
        return _("%(publisher)s: %(title)s") % {"publisher": self.publisher, "title": self.title}

    # Both constraints restate the fields' validators (web_url_validator with
    # validate_lower_case_scheme; validate_not_too_early), which full_clean() runs first:
    # Django would check each again with a query of its own, two round trips per new source.
    CONSTRAINTS_OF_FIELDS = {"source_url_http", "source_published_on_sane"}

    def get_constraints(self):
        return [
            (model, [c for c in constraints if c.name not in self.CONSTRAINTS_OF_FIELDS])
            for model, constraints in super().get_constraints()
        ]

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    def fill_in(self) -> "Source":
        """A source given by its address alone is still cited by something: the address's host
        stands in for a missing publisher, publisher and address for a missing title."""
        if self.url:
            host = urllib.parse.urlsplit(self.url).hostname or ""
            self.publisher = self.publisher or host[: self._meta.get_field("publisher").max_length]
            if not self.title:
                title = f"{self.publisher}: {self.url}"
                self.title = title[: self._meta.get_field("title").max_length]
        return self


class Stance(models.Model):
    """A member state's current position on a question: the head of its timeline."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="stances")
    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="stances")
    # Derived from the latest change by effective date; see sync_with_timeline().
    position = models.ForeignKey(Position, on_delete=models.RESTRICT, related_name="stances")
    summary = models.CharField(max_length=1000, blank=True)
    confidence = models.CharField(max_length=10, choices=Confidence.choices)
    since = models.DateField(
        help_text=gettext_lazy("Since when the member state holds this position.")
    )
    version = models.PositiveIntegerField(
        default=1,
        help_text=gettext_lazy("Raised by every save; a stale version means someone saved first."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    # An editor's confirmation that the position still holds, without a new change.
    checked_on = models.DateField(
        null=True,
        blank=True,
        validators=[validate_not_too_early, validate_not_future],
        help_text=gettext_lazy("The last day an editor confirmed the position as still current."),
    )
    checked_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["question", "member_state__protocol_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "member_state"],
                name="one_stance_per_question_and_member_state",
                violation_error_message=gettext_lazy(
                    "This member state already has a stance on this question."
                ),
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="stance_confidence_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="stance_version_positive"),
            models.CheckConstraint(condition=Q(since__gte=EARLIEST_DATE), name="stance_since_sane"),
        ]

    def __str__(self):
        # Translators: a stance in the admin, e.g. "Greece on Sanctions on Belarus".
        return _("%(member_state)s on %(question)s") % {
            "member_state": self.member_state,
            "question": self.question,
        }

    def clean(self):
        if self.position_id and self.question_id and self.position.question_id != self.question_id:
            raise ValidationError({"position": _("This position belongs to another question.")})

    @classmethod
    def claim(cls, pk: int, expected_version: int) -> bool:
        """Raise the version if it is still the expected one; False means someone saved first.

        A conditional UPDATE is atomic on every database: of two racing saves, the second
        waits for the first's row lock, then finds the version changed and updates nothing.
        """
        return bool(
            cls.objects.filter(pk=pk, version=expected_version).update(version=F("version") + 1)
        )

    def sync_with_timeline(self, version_known: bool = False):
        """Make the stance and each change's `position_since` agree with the timeline.

        `version_known`: this object's version is the row's (the caller has just claimed it),
        so it need not be read back before the stance is saved."""
        # Bare tuples, not models: a long timeline (530 entries) is read on every save.
        fields = ("pk", "position_id", "effective_on", "position_since", "summary", "confidence")
        changes = list(self.changes.order_by(*TIMELINE_ORDER).values_list(*fields))
        if not changes:
            return
        runs = timeline.position_since([timeline.Entry(*change[:3]) for change in changes])
        stale = [
            StanceChange(pk=change[0], position_since=runs[change[0]])
            for change in changes
            if change[3] != runs[change[0]]
        ]
        StanceChange.objects.bulk_update(stale, ["position_since"])
        latest_pk, position_id, _, _, summary, confidence = changes[-1]
        self._take_head((position_id, summary, confidence, runs[latest_pk]), version_known)

    def newest_entry(self):
        """The newest entry's key, position, date, moment recorded and `position_since` (a
        named tuple), or None: read off the timeline's index, the rest of it not read."""
        fields = ("pk", "position_id", "effective_on", "recorded_at", "position_since")
        return self.changes.order_by(*NEWEST_FIRST).values_list(*fields, named=True).first()

    def follow_newest(self, change: "StanceChange", version_known: bool = False):
        """Make the stance agree with `change`, its timeline's newest entry, whose
        `position_since` is already right (records.record_change)."""
        head = (change.position_id, change.summary, change.confidence, change.position_since)
        self._take_head(head, version_known)

    def _take_head(self, head: tuple, version_known: bool):
        """Save the stance with the newest entry's (position, summary, confidence, since), if
        it differs from them."""
        if not version_known:
            self.refresh_from_db(fields=["version"])
        if head != (self.position_id, self.summary, self.confidence, self.since):
            self.position_id, self.summary, self.confidence, self.since = head
            self.save()


class StanceChangeQuerySet(models.QuerySet):
    def timeline_of(self, question: Question, member_state: MemberState):
        """One member state's changes on one question, newest first."""
        changes = self.filter(stance__question=question, stance__member_state=member_state)
        return changes.order_by(*NEWEST_FIRST)

    def with_sources(self):
        """Each change with its `source_list`, newest source first: one more query."""
        return self.prefetch_related(sources_newest_first())


def sources_newest_first() -> Prefetch:
    return Prefetch(
        "sources", queryset=Source.objects.order_by("-published_on", "id"), to_attr="source_list"
    )


class StanceChange(models.Model):
    """One dated entry in a stance's timeline. Entries are appended, never deleted by editors."""

    TIMELINE_ORDER = TIMELINE_ORDER
    NEWEST_FIRST = NEWEST_FIRST
    # A change as it leaves the site (the API, the downloads), besides its member state,
    # position and sources: see to_dict(). A flat row has a column of the same name for each.
    FIELDS = ("effective_on", "since", "summary", "confidence")
    COLUMNS = flat_columns(FIELDS)

    stance = models.ForeignKey(Stance, on_delete=models.CASCADE, related_name="changes")
    position = models.ForeignKey(Position, on_delete=models.RESTRICT, related_name="changes")
    effective_on = models.DateField(
        gettext_lazy("taken on"),
        validators=[validate_not_too_early, validate_not_future],
        help_text=gettext_lazy("When the position was taken in the real world."),
    )
    position_since = models.DateField(
        editable=False,
        help_text=gettext_lazy("Start of the unbroken run of this position (derived)."),
    )
    summary = models.CharField(max_length=1000, blank=True)
    confidence = models.CharField(max_length=10, choices=Confidence.choices)
    sources = models.ManyToManyField(Source, related_name="changes", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stance_changes",
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(m2m_fields=[sources])
    objects = StanceChangeQuerySet.as_manager()

    class Meta:
        ordering = list(NEWEST_FIRST)
        indexes = [
            # Serves "the latest change on or before a date" per stance, and the timelines.
            models.Index(fields=["stance", *NEWEST_FIRST], name="change_as_of_idx"),
            models.Index(fields=["-recorded_at"], name="change_recorded_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_on__gte=EARLIEST_DATE), name="change_effective_on_sane"
            ),
            models.CheckConstraint(
                condition=Q(position_since__lte=F("effective_on")),
                name="change_since_not_after_effective_on",
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="change_confidence_valid"
            ),
        ]

    def __str__(self):
        return _("%(member_state)s: %(position)s (%(effective_on)s)") % {
            "member_state": self.stance.member_state,
            "position": self.position,
            "effective_on": date_format(self.effective_on, "d M Y"),
        }

    def save(self, *args, **kwargs):
        # A first guess, corrected by Stance.sync_with_timeline() once the timeline is known.
        if self.position_since is None or self.position_since > self.effective_on:
            self.position_since = self.effective_on
        super().save(*args, **kwargs)

    def clean(self):
        if (
            self.position_id
            and self.stance_id
            and self.position.question_id != self.stance.question_id
        ):
            raise ValidationError({"position": _("This position belongs to another question.")})

    def to_dict(self) -> dict:
        """When the position was taken, since when it has been held, what was said, how sure."""
        return {
            "effective_on": self.effective_on,
            "since": self.position_since,
            "summary": self.summary,
            "confidence": self.confidence,
        }

    @staticmethod
    def attach_sources(changes: "Iterable[StanceChange]") -> None:
        """Give each change its `source_list`, newest first, fetching them all in one query.

        Changes that have one already are left as they are, and not handed to Django at all: it
        would make each a related manager on the way (0.18 ms for the map page's 27).
        """
        missing = [change for change in changes if not hasattr(change, "source_list")]
        if missing:
            prefetch_related_objects(missing, sources_newest_first())

    @staticmethod
    def attach_corrections(changes: "Iterable[StanceChange]") -> None:
        """Give each change its `corrections` (history entries after its creation): one query.

        Only editors see these, so public pages never pay for the query.
        """
        changes = list(changes)
        # Who edited, by name only: no user row (its password hash included) is read for it.
        history = (
            StanceChange.history.filter(id__in=[c.pk for c in changes], history_type="~")
            .annotate(history_user_name=F("history_user__username"))
            .order_by("-history_date")
        )
        by_change = {change.pk: [] for change in changes}
        for entry in history:
            by_change[entry.id].append(entry)
        for change in changes:
            change.corrections = by_change[change.pk]


class Revision(models.Model):
    """A single row the database itself moves on every write to the records.

    Triggers (migration 0005) raise `number` on any insert, update or delete of member states,
    questions, positions, sources, stances and changes, whoever makes it (dashboard, admin,
    import, raw SQL). Cached pages are keyed on it, so they are never stale. On PostgreSQL
    they also announce it with NOTIFY (migration 0006; read through stances.revisions).
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)
    # The revision (number and moment) of the latest write to what frames the records: member
    # states, questions, their scales and translations (migration 0017). A stance's edit leaves
    # them be, so processes keep those in memory across edits (stances/reading/kept.py).
    reference_number = models.BigIntegerField(default=0)
    reference_changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"revision {self.number}"

    @property
    def tag(self) -> tuple:
        """What tells two revisions apart even across a restore, which counts again from a
        lower number: for what processes keep in memory per revision."""
        return (self.number, self.changed_at)

    @property
    def reference_tag(self) -> tuple:
        """The same for the latest write to the member states, questions and scales."""
        return (self.reference_number, self.reference_changed_at)

    @classmethod
    def current(cls) -> "Revision":
        revision = cls.objects.filter(pk=1).first()
        return revision or cls.objects.get_or_create(pk=1)[0]


class ChangeDay(models.Model):
    """A day on which something was recorded as taken for a question, and when the latest of
    that day's changes was recorded: the slider's ticks and "Last updated", read without
    scanning every change (a question with 100,000 changes has about a thousand such days).

    Kept by database triggers on the changes (migration 0011), whoever writes them; never
    written by the application.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="change_days")
    day = models.DateField()
    last_recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "day"], name="change_day_unique"),
        ]

    def __str__(self):
        return f"{self.question}: {date_format(self.day, 'd M Y')}"


class ReportStatus(models.TextChoices):
    # Translators: the status of a reader's error report, not yet worked on.
    OPEN = "open", pgettext_lazy("report status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("report status", "In progress")
    FIXED = "fixed", pgettext_lazy("report status", "Fixed")
    REJECTED = "rejected", pgettext_lazy("report status", "Rejected")


class ErrorReportQuerySet(models.QuerySet):
    def open_on(self, question: Question, member_state: MemberState):
        """The reports editors still have to work through on one record, oldest first."""
        return self.filter(
            question=question, member_state=member_state, status__in=ErrorReport.OPEN_STATUSES
        ).order_by("reported_at")


class ErrorReport(models.Model):
    """A reader's report of an error in one member state's record on one question, which
    editors work through in the admin (stances/reports/ is what fills and shows these)."""

    OPEN_STATUSES = (ReportStatus.OPEN, ReportStatus.IN_PROGRESS)

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    member_state = models.ForeignKey(MemberState, on_delete=models.CASCADE, related_name="reports")
    what = models.TextField(gettext_lazy("what is wrong"), max_length=2000)
    source_url = models.CharField(
        gettext_lazy("a source that shows it"),
        max_length=500,
        blank=True,
        validators=[web_url_validator],
    )
    email = models.EmailField(gettext_lazy("email for a reply"), blank=True)
    status = models.CharField(
        max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    note = models.TextField(
        gettext_lazy("editors' note"),
        blank=True,
        max_length=2000,
        help_text=gettext_lazy("What was done, for the others."),
    )
    reported_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at"]
        indexes = [
            models.Index(fields=["question", "member_state", "status"], name="report_by_record")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            )
        ]

    def __str__(self):
        # Translators: a reader's error report in the admin: member state, question, day.
        return _("%(member_state)s on %(question)s (%(day)s)") % {
            "member_state": self.member_state,
            "question": self.question,
            "day": date_format(self.reported_at, "d M Y"),
        }

    def get_absolute_url(self):
        """The record it is about: the country's panel on the question's page."""
        return self.question.timeline_url(self.member_state)


# Following: readers who asked for mail when a country moves, and newsrooms' webhooks.
# The following wing (stances/following/) is what fills and reads these.


class Frequency(models.TextChoices):
    INSTANT = "instant", gettext_lazy("As it happens")
    DAILY = "daily", gettext_lazy("Once a day")


class Follower(models.Model):
    """An email address that asked to follow something: all we keep of a reader."""

    email = models.EmailField(max_length=254, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The language the reader last subscribed in: their mails are written in it.
    language = models.CharField(max_length=8, default="en")

    def __str__(self):
        return self.email


def subject_name(question: "Question | None", member_state: "MemberState | None") -> str:
    """What a subscription follows, as mails and pages name it."""
    if question is not None:
        # Translators: a question's title in quotation marks, as a follower's mails name it.
        return _("“%(title)s”") % {"title": question.title}
    if member_state is not None:
        return member_state.local_name
    return _("every question and member state")


class Subscription(models.Model):
    """What one address follows: a question, a member state, or (neither set) everything.

    Written only when the reader confirms (double opt-in): until then the request lives in the
    signed link of the confirmation mail, and nothing is stored.
    """

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="subscriptions")
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    member_state = models.ForeignKey(
        MemberState, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    confirmed_at = models.DateTimeField(gettext_lazy("consented at"), default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=True) | Q(member_state__isnull=True),
                name="subscription_one_subject",
            ),
            models.UniqueConstraint(
                fields=["follower", "question"],
                condition=Q(question__isnull=False),
                name="subscription_one_per_question",
            ),
            models.UniqueConstraint(
                fields=["follower", "member_state"],
                condition=Q(member_state__isnull=False),
                name="subscription_one_per_member_state",
            ),
            models.UniqueConstraint(
                fields=["follower"],
                condition=Q(question__isnull=True, member_state__isnull=True),
                name="subscription_one_for_everything",
            ),
        ]

    def __str__(self):
        return _("%(follower)s follows %(subject)s") % {
            "follower": self.follower,
            "subject": self.subject_name,
        }

    @property
    def subject_name(self) -> str:
        return subject_name(self.question, self.member_state)


class Alert(models.Model):
    """One change owed to one follower: the outbox the mails are sent from.

    A follower whose subscriptions match a change twice gets it once. A worker claims alerts
    until `claimed_until`; one that dies leaves them to be claimed again once that passes.
    """

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="alerts")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="alerts")
    change = models.ForeignKey(StanceChange, on_delete=models.CASCADE, related_name="alerts")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "change"], name="alert_once_per_change")
        ]
        indexes = [models.Index(fields=["sent_at", "frequency"], name="alert_unsent")]

    def __str__(self):
        # Translators: an alert owed to a follower: the change, then the follower's address.
        return _("%(change)s for %(follower)s") % {"change": self.change, "follower": self.follower}


class WebhookEndpoint(models.Model):
    """A newsroom's address that receives every matching change as signed JSON."""

    name = models.CharField(
        max_length=100, help_text=gettext_lazy("Whose it is, e.g. “Le Monde live desk”.")
    )
    url = models.CharField(
        gettext_lazy("web address"),
        max_length=500,
        validators=[web_url_validator],
        # Translators: POST is the HTTP method: keep it as it is.
        help_text=gettext_lazy("Where to POST."),
    )
    secret = models.CharField(
        max_length=100,
        help_text=gettext_lazy(
            "Shared with the receiver, who checks each signature with it (whsec_…)."
        ),
    )
    questions = models.ManyToManyField(
        Question, blank=True, help_text=gettext_lazy("Only these questions; none chosen means all.")
    )
    member_states = models.ManyToManyField(
        MemberState,
        blank=True,
        help_text=gettext_lazy("Only these member states; none chosen means all."),
    )
    is_active = models.BooleanField(gettext_lazy("active"), default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    failing_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("The first failure since its last success."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name


class DeliveryState(models.TextChoices):
    # Translators: the state of a webhook delivery.
    PENDING = "pending", pgettext_lazy("delivery state", "Pending")
    DELIVERED = "delivered", pgettext_lazy("delivery state", "Delivered")
    FAILED = "failed", pgettext_lazy("delivery state", "Failed")


class WebhookDelivery(models.Model):
    """One change for one endpoint, under one message id however often it is attempted."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    change = models.ForeignKey(
        StanceChange, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True)
    payload = models.JSONField()
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = gettext_lazy("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "change"], name="delivery_once_per_change")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.message_id} to {self.endpoint}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what came back, or why nothing did."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(gettext_lazy("response time (ms)"))
    status_code = models.PositiveSmallIntegerField(
        gettext_lazy("response code"), null=True, blank=True
    )
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.delivery.message_id} at {self.started_at:%Y-%m-%d %H:%M:%S}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class SecurityEvent(models.Model):
    """What a security review asks for: who failed to sign in, was paused, or was refused."""

    class Kind(models.TextChoices):
        SIGN_IN_FAILED = "sign_in_failed", gettext_lazy("Sign-in failed")
        SIGN_IN_PAUSED = "sign_in_paused", gettext_lazy("Sign-in paused (too many failures)")
        SIGNED_IN = "signed_in", gettext_lazy("Signed in")
        FORBIDDEN = "forbidden", gettext_lazy("Refused (403)")
        SECOND_FACTOR_FAILED = "second_factor_failed", gettext_lazy("Second factor failed")
        SECOND_FACTOR_ENROLLED = "second_factor_enrolled", gettext_lazy("Second factor enrolled")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    username = models.CharField(max_length=255, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        # Translators: a security event whose user name is unknown.
        who = self.username or _("anonymous")
        # Translators: a security event: what happened, who, and when (YYYY-MM-DD HH:MM).
        return _("%(kind)s: %(who)s at %(when)s") % {
            "kind": self.get_kind_display(),
            "who": who,
            "when": f"{self.at:%Y-%m-%d %H:%M}",
        }


# Questions and scales in the Union's other languages (stances/languages/).
from stances.languages.models import PositionTranslation, QuestionTranslation  # noqa: E402, F401
