"""What editors write in the Union's other languages: a question's title, description and
proposal, and its positions' labels and descriptions. English stays on the records themselves;
a language without a translation shows the English, marked "not yet translated"."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stances.languages import ENGLISH, OFFICIAL_LANGUAGES

# English is the records' own language: the languages a translation can be in.
TRANSLATION_LANGUAGES = [(code, name) for code, name in OFFICIAL_LANGUAGES if code != ENGLISH]


class QuestionTranslation(models.Model):
    question = models.ForeignKey(
        "stances.Question", on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=8, choices=TRANSLATION_LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    proposal = models.CharField(_("proposal"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question in another language")
        verbose_name_plural = _("questions in other languages")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "language"], name="question_translation_unique"
            )
        ]

    def __str__(self):
        return f"{self.question_id} ({self.language})"


class PositionTranslation(models.Model):
    position = models.ForeignKey(
        "stances.Position", on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=8, choices=TRANSLATION_LANGUAGES)
    label = models.CharField(_("label"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position in another language")
        verbose_name_plural = _("positions in other languages")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "language"], name="position_translation_unique"
            )
        ]

    def __str__(self):
        return f"{self.position_id} ({self.language})"
