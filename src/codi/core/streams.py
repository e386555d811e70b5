"""Large read-only scans streamed as plain tuples (the audit feeds read every payment with these).

``value_rows(qs)`` runs a ``values_list`` queryset in chunks. On PostgreSQL it runs the ORM's own
SQL on a server-side cursor (``connection.chunked_cursor``) and returns psycopg's typed values as
they come: Django's per-row converters are skipped, which is only right for columns PostgreSQL
already returns as Python wants them (text, numbers, ``numeric`` → ``Decimal``, ``date``,
``timestamptz``, booleans) — not for JSON or encrypted fields. Elsewhere (SQLite) it is the
ordinary ``iterator``, converters and all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import connections
from django.db.models import QuerySet

CHUNK = 20_000


def value_rows(qs: QuerySet[Any, Any], chunk_size: int = CHUNK) -> Iterator[tuple[Any, ...]]:
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        yield from qs.iterator(chunk_size=chunk_size)
        return
    sql, params = qs.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield from rows
