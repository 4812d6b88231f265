"""Finding a published question for an address: the read rule lives on the QuerySet
(`Question.objects.published_with_scale`); this says what a reader is told when it is not
there, and keeps what it found in this process while the reference revision stands
(stances/reading/kept.py)."""

from collections.abc import Callable

from django.http import Http404
from django.utils.translation import gettext as _

from stances.languages.content import words_shown
from stances.models import Position, Question
from stances.reading import kept


def published_question_or_404(request, slug: str) -> tuple[Question, list[Position]]:
    try:
        return published_with_scale(request, slug)
    except Question.DoesNotExist:
        raise Http404(_("No published question has this slug.")) from None


def published_with_scale(
    request, slug: str, load: Callable | None = None
) -> tuple[Question, list[Position]]:
    """The question and its scale, in the words of the reader's language, read once per
    process and reference revision. `load` reads them when they are not kept (by default
    `published_with_scale(slug)`); Question.DoesNotExist when no published question has
    this slug (nothing kept then).

    Shared by every request of the process until the reference moves: not to be changed.
    The scale comes as a new list, which the caller may sort.
    """
    if len(slug) > Question._meta.get_field("slug").max_length:
        raise Question.DoesNotExist  # and nothing of any length is kept
    question, positions = kept.questions.get(
        request,
        (slug, words_shown()),
        load or (lambda: Question.objects.published_with_scale(slug)),
    )
    return question, list(positions)
