"""schemathesis against the live server: every operation of /api/openapi.json, all its checks.

Over real HTTP (pytest-django's live server) rather than schemathesis's WSGI transport, so the
answers are the ones a client gets: through the middleware, the caching and the 404 handler.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from stances.published.openapi import openapi_document
from tests.factories import make_question, make_source, record

# Enough to reach each parameter's edges (empty, malformed, out of range), bounded so that the
# whole run stays well under a minute; derandomised, so a failure is the same on every run.
EXAMPLES = 20


@pytest.fixture
def seeded(committed_reference_data):
    """A published question with a timeline and sources, and a draft the API must not show."""
    question = make_question(slug="sanctions")
    record(question, "HU", "maybe", "2024-03-01", summary="Budapest hesitates.")
    record(question, "HU", "no", "2024-03-09", summary="Budapest says no.")
    record(question, "GR", "yes", "2024-03-05", sources=[make_source()])
    make_question(slug="draft", published=False)


# The dict /api/openapi.json serves (test_api.py holds the two equal). Loaded here rather than
# from the live server: schemathesis's fixture-loaded schemas break under pytest 9's node ids.
schema = schemathesis.openapi.from_dict(openapi_document())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_passes_every_check(case, live_server, seeded):
    case.call_and_validate(base_url=live_server.url)
