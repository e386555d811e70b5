"""The pre-summed balance table (``AccountBalance``): kept on posting, rebuilt and checked from lines.

``upsert`` is called by ``ledger.entry_post`` inside the posting transaction, after the lines are
inserted: the entry's lines are folded per key in Python, then ONE ``executemany`` of
``INSERT … ON CONFLICT (key) DO UPDATE SET debit = debit + excluded.debit …`` (PostgreSQL and
SQLite ≥ 3.24 both speak it). The update adds to the row the database holds at that moment, so two
transactions posting to the same key add up (PostgreSQL takes the row lock on conflict; SQLite
has one writer). Keys are written in sorted order so that two PostgreSQL postings never wait on
each other's rows in opposite orders.

Reversals and year-end closing entries are ordinary postings and pass through the same path.
Lines that reach the database another way (the benchmarks' bulk insert, a restore) are brought in
by ``rebuild``; ``check`` compares the table with the lines and names every difference.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Sum

from codi.finance.models import ZERO, AccountBalance, JournalLine

DIMENSIONS = ("org_unit", "fund", "program", "project", "region", "province")
_SEP = "\x1f"


def fiscal_month(day: date) -> int:
    """The fiscal period of ``day``: 1 = October … 12 = September (as ``Period.month``)."""
    return (day.month - 10) % 12 + 1


def balance_key(
    year_id: int, month: int, book: str, account_id: int, budget_line_id: int | None, dims: Iterable[str]
) -> str:
    text = _SEP.join([str(year_id), str(month), book, str(account_id), str(budget_line_id or ""), *dims])
    return hashlib.sha256(text.encode()).hexdigest()


_FIELDS = [
    "key",
    "fiscal_year",
    "month",
    "book",
    "account",
    "budget_line",
    *DIMENSIONS,
    "debit",
    "credit",
    "lines",
]


@functools.cache
def _upsert_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    meta: Any = AccountBalance._meta
    table = quote(meta.db_table)
    columns = [quote(meta.get_field(f).column) for f in _FIELDS]
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns[-3:])
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "  # noqa: S608
        f"ON CONFLICT ({columns[0]}) DO UPDATE SET {adds}"
    )


@dataclass
class _Sum:
    row: list[Any]
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    lines: int = 0


def upsert(
    *,
    year_id: int,
    day: date,
    book: str,
    lines: Iterable[tuple[int, int | None, Mapping[str, str | None], Decimal, Decimal]],
) -> None:
    """Add an entry's lines ``(account_id, budget_line_id, {dimension column: value}, debit, credit)``
    to the balance table: one statement (an ``executemany``), whatever the number of lines."""
    month = fiscal_month(day)
    sums: dict[str, _Sum] = {}
    for account_id, budget_id, dims, debit, credit in lines:
        values = [dims.get(name) or "" for name in DIMENSIONS]
        key = balance_key(year_id, month, book, account_id, budget_id, values)
        item = sums.get(key)
        if item is None:
            item = sums[key] = _Sum([key, year_id, month, book, account_id, budget_id, *values])
        item.debit += debit
        item.credit += credit
        item.lines += 1
    rows = [[*s.row, s.debit, s.credit, s.lines] for _k, s in sorted(sums.items())]
    with connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(connection.vendor), rows)


# --- rebuild and check ------------------------------------------------------------------------


def _from_lines(
    year_id: int | None = None, *, line_model: Any = JournalLine, balance_model: Any = AccountBalance
) -> dict[str, Any]:
    """The balance rows the journal lines add up to (one GROUP BY per entry date, folded per month).

    The models are parameters so that the migration creating the table fills it with its own."""
    lines = line_model.objects.all()
    if year_id is not None:
        lines = lines.filter(entry__fiscal_year_id=year_id)
    grouped = (
        lines.values(
            "entry__fiscal_year_id",
            "entry__entry_date",
            "entry__book",
            "account_id",
            "budget_line_id",
            *DIMENSIONS,
        )
        .annotate(d=Sum("debit"), c=Sum("credit"), n=Count("id"))
        .order_by()
    )
    result: dict[str, Any] = {}
    for row in grouped:
        year, day, book = row["entry__fiscal_year_id"], row["entry__entry_date"], row["entry__book"]
        dims = [row[name] or "" for name in DIMENSIONS]
        month = fiscal_month(day)
        key = balance_key(year, month, book, row["account_id"], row["budget_line_id"], dims)
        balance = result.get(key)
        if balance is None:
            balance = result[key] = balance_model(
                key=key, fiscal_year_id=year, month=month, book=book, account_id=row["account_id"],
                budget_line_id=row["budget_line_id"], **dict(zip(DIMENSIONS, dims, strict=True)),
            )  # fmt: skip
        balance.debit += _cents(row["d"])
        balance.credit += _cents(row["c"])
        balance.lines += row["n"]
    return result


def fill(line_model: Any, balance_model: Any) -> int:
    """Insert the sums of ``line_model``'s rows into an empty ``balance_model`` (the migration's step)."""
    rows = list(_from_lines(line_model=line_model, balance_model=balance_model).values())
    balance_model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def rebuild(*, year_id: int | None = None) -> int:
    """Replace the balance table (or one fiscal year's rows) by the sums of the journal lines.

    The journal's tables are locked against posting for the duration (PostgreSQL: SHARE ROW
    EXCLUSIVE on the lines; SQLite: the write lock), so nothing posted meanwhile is lost."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {JournalLine._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        stale = AccountBalance.objects.all()
        if year_id is not None:
            stale = stale.filter(fiscal_year_id=year_id)
        stale.delete()
        rows = list(_from_lines(year_id).values())
        AccountBalance.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@dataclass(frozen=True)
class Difference:
    key: str
    stored: tuple[Decimal, Decimal, int] | None
    from_lines: tuple[Decimal, Decimal, int] | None


def check(*, year_id: int | None = None) -> list[Difference]:
    """Every key where the balance table differs from the sum of the journal lines (empty: consistent)."""
    expected = {k: (b.debit, b.credit, b.lines) for k, b in _from_lines(year_id).items()}
    stored_rows = AccountBalance.objects.all()
    if year_id is not None:
        stored_rows = stored_rows.filter(fiscal_year_id=year_id)
    stored = {
        key: (_cents(d), _cents(c), n)
        for key, d, c, n in stored_rows.values_list("key", "debit", "credit", "lines")
        if d or c or n
    }
    return [
        Difference(key, stored.get(key), expected.get(key))
        for key in sorted(set(expected) | set(stored))
        if stored.get(key) != expected.get(key)
    ]


def _cents(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))
