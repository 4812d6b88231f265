"""Finding a published question for an address: the read rule lives on the QuerySet
(`Question.objects.published_with_scale`); this says what a reader is told when it is not
there."""

from django.http import Http404
from django.utils.translation import gettext as _

from stances.models import Position, Question


def published_question_or_404(slug: str) -> tuple[Question, list[Position]]:
    try:
        return Question.objects.published_with_scale(slug)
    except Question.DoesNotExist:
        raise Http404(_("No published question has this slug.")) from None
