"""On PostgreSQL, a query a connection has run twice is kept prepared: the map page's queries
are planned once per connection, not once per render (settings: DATABASE_PREPARED_STATEMENTS).
"""

import pytest
from django.core.cache import caches
from django.db import connection

from tests.factories import make_question, record

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="Prepared statements are PostgreSQL's."
    ),
]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def cold_map_page(client, question):
    for cache in caches.all():
        cache.clear()
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return response


def test_the_map_pages_queries_are_prepared_once_run_twice(client):
    question = make_question()
    record(question, "FR", "yes", "2024-03-18")
    record(question, "DE", "no", "2024-03-19")
    cold_map_page(client, question)
    assert not any("stances_stancechange" in sql for sql in prepared_statements())

    first = cold_map_page(client, question).content
    again = cold_map_page(client, question).content

    kept = [sql for sql in prepared_statements() if "stances_stancechange" in sql]
    assert kept, "the changes in force are read by a prepared statement"
    # Parameters travel apart from the query (server-side binding): the SQL has placeholders.
    assert all("$1" in sql for sql in kept)
    assert again == first
