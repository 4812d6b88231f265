"""/api/: the API described for people, read from the dict /api/openapi.json serves."""

from django.shortcuts import render
from django.urls import reverse

from stances.models import Question
from stances.published import api_reference
from stances.published.openapi import openapi_document

# A member state that is always there, so each example answers with something.
EXAMPLE_MEMBER_STATE = "gr"


def example_addresses(paths: dict) -> dict[str, str]:
    """A real address for each path template, with the first published question's slug."""
    first = Question.objects.published().first()
    slug = first.slug if first else None
    examples = {}
    for path in paths:
        if "{slug}" in path and slug is None:
            continue
        examples[path] = path.replace("{slug}", slug or "").replace("{code}", EXAMPLE_MEMBER_STATE)
    return examples


def api_page(request):
    document = openapi_document()
    context = {
        "info": document["info"],
        "version": document["openapi"],
        "operations": api_reference.operations(
            document["paths"], example_addresses(document["paths"])
        ),
        "webhooks": api_reference.operations(document["webhooks"]),
        "schemas": api_reference.schemas(document["components"]["schemas"]),
        "openapi_url": reverse("api_openapi"),
    }
    return render(request, "stances/api.html", context)
