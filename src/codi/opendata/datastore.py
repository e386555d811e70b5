"""The datastore: one SQL table per published resource version, and the queries over it.

Each resource's rows live in ``od_<hex>``: ``_id`` (1..n, the row's CKAN id and the paging key),
one typed column per field, and a B-tree index on ``(column, _id)`` for every field, so an
equality filter, a sort and a page are index walks. Full-text ``q`` uses FTS5 on SQLite (a
contentless ``od_<hex>_fts`` table keyed by ``_id``) and a ``tsvector`` column with a GIN index on
PostgreSQL. Tokens are cut the same way for both (``tokens``), and every ``q`` term matches as a
prefix, so both databases answer alike.

Table and column names never come from a request: the table name is generated here and column
ids are validated identifiers from a builder; request input only ever reaches SQL as parameters
after it was checked against the resource's fields.
"""

# Table and column names are generated or validated identifiers (see above), quoted by the backend.
# ruff: noqa: S608

from __future__ import annotations

import logging
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import DatabaseError, connection

from codi.opendata.builders import Column, plain_value

logger = logging.getLogger(__name__)
MAX_LIMIT = 32_000  # CKAN's default ckan.datastore.search.rows_max
DEFAULT_LIMIT = 100
BATCH = 5_000
_TOKEN = re.compile(r"[\w\u0e00-\u0e7f]+")
# unicode61 (Unicode 6.1 tables) splits Thai words at vowel and tone marks (category Mn), which
# turns one Thai word into a phrase of fragments; declaring the whole Thai block as token
# characters makes FTS5 cut exactly where ``tokens`` does.
_THAI_CHARS = "".join(chr(c) for c in range(0x0E01, 0x0E80) if unicodedata.category(chr(c)) != "Cn")


class DatastoreInputError(Exception):
    """A datastore_search argument that cannot be answered; ``field`` names the argument."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def tokens(values: Iterable[Any]) -> list[str]:
    """The lower-case words of a row (Thai runs are kept whole), unique, in order."""
    seen: dict[str, None] = {}
    for value in values:
        if value is None:
            continue
        for token in _TOKEN.findall(str(value).lower()):
            seen.setdefault(token, None)
    return list(seen)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _sql_type(column_type: str) -> str:
    if column_type == "int":
        return "BIGINT" if _is_postgres() else "INTEGER"
    if column_type == "numeric":
        return "NUMERIC"
    return "TEXT"  # text and date (ISO 8601, sorts correctly)


def new_table_name() -> str:
    return f"od_{secrets.token_hex(8)}"


def _tsvector_literal(words: Sequence[str]) -> str:
    return " ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words)


def create_and_load(table: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """Create ``table``, insert the rows, build the indexes; the number of rows loaded."""
    cols = ", ".join(f"{_q(c.id)} {_sql_type(c.type)}" for c in columns)
    names = [c.id for c in columns]
    width = len(names)
    count = 0
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(f"CREATE TABLE {_q(table)} (_id BIGINT PRIMARY KEY, {cols}, _full_text TSVECTOR)")
            copy_sql = f"COPY {_q(table)} (_id, {', '.join(_q(n) for n in names)}, _full_text) FROM STDIN"
            # One COPY per batch, the batch read before the COPY starts: a builder may query this
            # same connection, which cannot run anything else while a COPY is open.
            for chunk in _batches(rows, width):
                with cursor.cursor.copy(copy_sql) as copy:
                    for values in chunk:
                        count += 1
                        copy.write_row((count, *values, _tsvector_literal(tokens(values))))
        else:
            cursor.execute(f"CREATE TABLE {_q(table)} (_id INTEGER PRIMARY KEY, {cols})")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {_q(table + '_fts')} USING fts5(body, content='',"
                f" tokenize=\"unicode61 remove_diacritics 0 tokenchars '_{_THAI_CHARS}'\")"
            )
            insert = f"INSERT INTO {_q(table)} (_id, {', '.join(_q(n) for n in names)}) VALUES ({', '.join(['%s'] * (width + 1))})"
            insert_fts = f"INSERT INTO {_q(table + '_fts')} (rowid, body) VALUES (%s, %s)"
            batch: list[tuple[Any, ...]] = []
            text_batch: list[tuple[int, str]] = []
            for row in rows:
                count += 1
                values = _checked(row, width)
                batch.append((count, *values))
                text_batch.append((count, " ".join(tokens(values))))
                if len(batch) >= BATCH:
                    cursor.executemany(insert, batch)
                    cursor.executemany(insert_fts, text_batch)
                    batch, text_batch = [], []
            if batch:
                cursor.executemany(insert, batch)
                cursor.executemany(insert_fts, text_batch)
        for i, name in enumerate(names):
            cursor.execute(f"CREATE INDEX {_q(f'{table}_i{i}')} ON {_q(table)} ({_q(name)}, _id)")
        if _is_postgres():
            cursor.execute(f"CREATE INDEX {_q(table + '_ft')} ON {_q(table)} USING GIN (_full_text)")
        # Statistics, so that with several filters the planner walks the most selective index.
        cursor.execute(f"ANALYZE {_q(table)}")
    return count


def _batches(rows: Iterable[Sequence[Any]], width: int) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(_checked(row, width))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _checked(row: Sequence[Any], width: int) -> list[Any]:
    if len(row) != width:
        raise ValueError(f"a row has {len(row)} values for {width} columns")
    return [plain_value(v) for v in row]


def vacuum(table: str) -> None:
    """After the publishing transaction commits, on PostgreSQL: set the visibility map, so that
    counts over a filter are index-only scans instead of a heap visit per row."""
    if not _is_postgres() or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {_q(table)}")
    except DatabaseError:  # dropped meanwhile by a newer refresh: nothing to tidy
        logger.warning("vacuum of %s skipped", table, exc_info=True)


def drop(table: str) -> None:
    if not table:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_q(table)}")
        if not _is_postgres():
            cursor.execute(f"DROP TABLE IF EXISTS {_q(table + '_fts')}")


def smallest_class(table: str, quasi_identifiers: Sequence[str]) -> tuple[int, dict[str, Any], int]:
    """The smallest equivalence class over the quasi-identifiers: (size, its values, number of classes)."""
    qis = ", ".join(_q(q) for q in quasi_identifiers)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qis}, COUNT(*) AS n FROM {_q(table)} GROUP BY {qis} ORDER BY n, {qis} LIMIT 1"
        )
        row = cursor.fetchone()
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {_q(table)} GROUP BY {qis}) AS c")
        classes = cursor.fetchone()[0]
    if row is None:
        return 0, {}, 0
    return int(row[-1]), dict(zip(quasi_identifiers, row[:-1], strict=True)), int(classes)


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    filters: dict[str, list[Any]]
    q: str
    limit: int
    offset: int
    fields: list[str]
    sort: list[tuple[str, str]]


@dataclass(frozen=True)
class SearchResult:
    fields: list[dict[str, str]]
    records: list[dict[str, Any]]
    total: int


def _coerce(field_type: str, field: str, value: Any) -> Any:
    if value is None:
        return None
    if field_type == "int":
        if isinstance(value, bool):
            raise DatastoreInputError("filters", f'field "{field}" needs a whole number, not {value!r}')
        try:
            number = int(str(value).strip())
        except ValueError:
            raise DatastoreInputError(
                "filters", f'field "{field}" needs a whole number, not {value!r}'
            ) from None
        if abs(number) >= 2**63:
            raise DatastoreInputError("filters", f'field "{field}": {value!r} is out of range')
        return number
    if field_type == "numeric":
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            raise DatastoreInputError("filters", f'field "{field}" needs a number, not {value!r}') from None
    if field_type == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise DatastoreInputError(
                "filters", f'field "{field}" needs a date YYYY-MM-DD, not {value!r}'
            ) from None
    if isinstance(value, dict | list):
        raise DatastoreInputError("filters", f'field "{field}" needs a text value')
    return str(value)


def _match(words: Sequence[str]) -> str:
    """The full-text query: every word as a prefix (FTS5 syntax on SQLite, tsquery text on PostgreSQL)."""
    if _is_postgres():
        return " & ".join(_tsvector_literal([w]) + ":*" for w in words)
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def _where(table: str, types: dict[str, str], query: Query) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for name, values in query.filters.items():
        coerced = [_coerce(types[name], name, v) for v in values]
        present = [v for v in coerced if v is not None]
        conds = []
        if present:
            conds.append(f"{_q(name)} IN ({', '.join(['%s'] * len(present))})")
            params.extend(present)
        if len(present) != len(coerced):
            conds.append(f"{_q(name)} IS NULL")
        parts.append("(" + " OR ".join(conds) + ")" if conds else "1 = 0")
    words = tokens([query.q]) if query.q else []
    if words:
        fts = _q(table + "_fts")
        parts.append(
            "_full_text @@ %s::tsquery"
            if _is_postgres()
            else f"_id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"
        )
        params.append(_match(words))
    elif query.q:
        parts.append("1 = 0")  # only punctuation: nothing can match
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def search(*, table: str, fields: list[dict[str, str]], row_count: int, query: Query) -> SearchResult:
    """Rows of ``table`` matching the (already validated) query, with the total before paging."""
    types = {"_id": "int", **{f["id"]: f["type"] for f in fields}}
    chosen = query.fields or [f["id"] for f in fields]
    select = ["_id", *chosen] if not query.fields or "_id" in query.fields else chosen
    select = list(dict.fromkeys(select))
    columns = ", ".join(_q(c) for c in select)
    words = tokens([query.q]) if query.q else []
    by_id = not query.sort or query.sort == [("_id", "ASC")]
    with connection.cursor() as cursor:
        if words and not query.filters and by_id and not _is_postgres():
            # Only words, in row order: FTS5 hands out matching rowids in order, so the page and
            # the count come from the full-text index alone (no IN-list of every match).
            fts = _q(table + "_fts")
            match = _match(words)
            cursor.execute(
                f"SELECT {columns} FROM {_q(table)} WHERE _id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s"
                " ORDER BY rowid LIMIT %s OFFSET %s) ORDER BY _id",
                [match, query.limit, query.offset],
            )
            rows = cursor.fetchall()
            cursor.execute(f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH %s", [match])
            total = int(cursor.fetchone()[0])
        else:
            where, params = _where(table, types, query)
            order = ", ".join(f"{_q(name)} {direction}" for name, direction in query.sort)
            if not any(name == "_id" for name, _ in query.sort):
                order = f"{order}, _id" if order else "_id"
            cursor.execute(
                f"SELECT {columns} FROM {_q(table)}{where} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, query.limit, query.offset],
            )
            rows = cursor.fetchall()
            if where:
                cursor.execute(f"SELECT COUNT(*) FROM {_q(table)}{where}", params)
                total = int(cursor.fetchone()[0])
            else:
                total = row_count
    out_types = {"_id": "int", **types}
    records = [
        {name: _out(out_types[name], value) for name, value in zip(select, row, strict=True)} for row in rows
    ]
    return SearchResult(
        fields=[{"id": name, "type": out_types[name]} for name in select], records=records, total=total
    )


def _out(field_type: str, value: Any) -> Any:
    if value is None:
        return None
    if field_type == "numeric":
        # Exact in JSON as text; SQLite keeps NUMERIC as a float when it has a fraction.
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        return format(number.normalize(), "f")  # the same text on both databases: 1250000.5, 900
    if field_type == "int":
        return int(value)
    return value


def iterate(*, table: str, fields: list[dict[str, str]], batch: int = BATCH) -> Iterator[list[Any]]:
    """Every row in ``_id`` order as a list of values (``_id`` first), read page by page by key."""
    names = ["_id", *(f["id"] for f in fields)]
    types = ["int", *(f["type"] for f in fields)]
    sql = f"SELECT {', '.join(_q(n) for n in names)} FROM {_q(table)} WHERE _id > %s ORDER BY _id LIMIT %s"
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, batch])
            rows = cursor.fetchall()
        if not rows:
            return
        for row in rows:
            yield [_out(t, v) for t, v in zip(types, row, strict=True)]
        last = rows[-1][0]
