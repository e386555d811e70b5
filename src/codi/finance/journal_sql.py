"""The journal's posting path in plain SQL: a fixed, small number of statements per entry.

``ledger.entry_post`` is called once per source document by every module (PMS, vouchers,
procurement, payroll, lending) and a year of CODI's postings is on the order of a million lines,
so its statements are written here once instead of being compiled by the ORM on every call (the
ORM's per-query overhead was several times the work of the statements themselves; the audit
trail's writer does the same, see ``codi.core.audit``). Per entry, whatever its number of lines:

1. ``prefetch`` — before the transaction, ONE query: the entry already posted for this source
   (idempotency), the ids of the active accounts named, and the dimensions of the budget lines
   named (unit, fund, program, region, used to fill blank line dimensions);
2. ``lock_year`` — the fiscal year row, locked (``FOR UPDATE`` on PostgreSQL; SQLite's
   ``BEGIN IMMEDIATE`` already holds the write lock) so numbering is serial;
3. ``sequence_and_closed`` — the next number in the book and whether the period is closed (a
   separate statement after the lock, so PostgreSQL reads a snapshot taken after the lock);
4. ``insert_entry`` and 5. ``insert_lines`` (one ``executemany``);
then 6. the pre-summed balance rows (one upsert ``executemany``, ``codi.finance.balances``) and
the audit entry (three statements, ``codi.core.audit``). The database's own guards (the
balance triggers and check constraints of migrations 0002/0090) run on these inserts as on any.

The statements name tables and columns from the models' ``_meta`` so a renamed column fails
loudly in the tests rather than writing to the wrong place; only those names are put into the
text (hence the S608 exemptions), every value is a ``%s`` parameter. ``tests/finance/test_posting_queries``
pins the number of statements per entry.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db import connection, models
from django.utils import timezone

from codi.finance.dimensions import Dimensions
from codi.finance.models import Account, BudgetLine, FiscalYear, JournalEntry, JournalLine, Period


@functools.cache
def _quoted(vendor: str, model: Any, field: str | None) -> str:
    name = model._meta.db_table if field is None else model._meta.get_field(field).column
    return connection.ops.quote_name(name)


def _table(model: Any) -> str:
    return _quoted(connection.vendor, model, None)


def _column(model: Any, field: str) -> str:
    return _quoted(connection.vendor, model, field)


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


@dataclass(frozen=True)
class Prefetched:
    existing_id: int | None
    accounts: dict[str, int]
    budget_dimensions: dict[int, Dimensions]


@functools.cache
def _prefetch_sql(vendor: str, n_codes: int, n_budget: int) -> str:
    unit_model = BudgetLine._meta.get_field("unit").related_model
    entry, account, budget, unit = (_table(m) for m in (JournalEntry, Account, BudgetLine, unit_model))
    parts = [
        f"SELECT 'e', '', {_column(JournalEntry, 'id')}, NULL, NULL, NULL, NULL FROM {entry} "  # noqa: S608
        f"WHERE {_column(JournalEntry, 'source_type')} = %s AND {_column(JournalEntry, 'source_id')} = %s"
    ]
    if n_codes:
        parts.append(
            f"SELECT 'a', {_column(Account, 'code')}, {_column(Account, 'id')}, NULL, NULL, NULL, NULL "  # noqa: S608
            f"FROM {account} WHERE {_column(Account, 'is_active')} AND {_column(Account, 'code')} "
            f"IN ({_marks(n_codes)})"
        )
    if n_budget:
        b_id = f"b.{_column(BudgetLine, 'id')}"
        parts.append(
            f"SELECT 'b', '', {b_id}, u.{_column(unit_model, 'code')}, b.{_column(BudgetLine, 'fund')}, "  # noqa: S608
            f"b.{_column(BudgetLine, 'plan')}, b.{_column(BudgetLine, 'region')} FROM {budget} b "
            f"LEFT JOIN {unit} u ON u.{_column(unit_model, 'id')} = b.{_column(BudgetLine, 'unit')} "
            f"WHERE {b_id} IN ({_marks(n_budget)})"
        )
    return " UNION ALL ".join(parts)


def prefetch(
    *, source_type: str, source_id: str, codes: Iterable[str], budget_ids: Iterable[int]
) -> Prefetched:
    """One query: the entry already posted for the source, the active accounts, the budget lines."""
    codes, budget_ids = sorted(set(codes)), sorted(set(budget_ids))
    existing_id = None
    accounts: dict[str, int] = {}
    budgets: dict[int, Dimensions] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            _prefetch_sql(connection.vendor, len(codes), len(budget_ids)),
            [source_type, source_id, *codes, *budget_ids],
        )
        for kind, code, pk, unit_code, fund, plan, region in cursor.fetchall():
            if kind == "e":
                existing_id = pk
            elif kind == "a":
                accounts[code] = pk
            else:
                budgets[pk] = Dimensions(
                    org_unit=unit_code or "", fund=fund or "", program=plan or "", region=region or ""
                )
    return Prefetched(existing_id, accounts, budgets)


_YEAR_FIELDS = ["id", "year_be", "start_date", "end_date", "is_closed"]


@functools.cache
def _lock_year_sql(vendor: str) -> str:
    columns = ", ".join(_column(FiscalYear, f) for f in _YEAR_FIELDS)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return f"SELECT {columns} FROM {_table(FiscalYear)} WHERE {_column(FiscalYear, 'year_be')} = %s{lock}"  # noqa: S608


def lock_year(year_be: int) -> FiscalYear | None:
    """The fiscal year ``year_be``, its row locked for the rest of the transaction; None if missing."""
    with connection.cursor() as cursor:
        cursor.execute(_lock_year_sql(connection.vendor), [year_be])
        row = cursor.fetchone()
    if row is None:
        return None
    return FiscalYear.from_db(connection.alias, _YEAR_FIELDS, [*row[:4], bool(row[4])])


@functools.cache
def _sequence_sql(vendor: str) -> str:
    entry, period = _table(JournalEntry), _table(Period)
    fy_e, fy_p = _column(JournalEntry, "fiscal_year"), _column(Period, "fiscal_year")
    return (
        f"SELECT (SELECT MAX({_column(JournalEntry, 'sequence')}) FROM {entry} "  # noqa: S608
        f"WHERE {fy_e} = %s AND {_column(JournalEntry, 'book')} = %s), "
        f"(SELECT COUNT(*) FROM {period} WHERE {fy_p} = %s AND {_column(Period, 'start_date')} <= %s "
        f"AND {_column(Period, 'end_date')} >= %s AND {_column(Period, 'is_closed')})"
    )


def sequence_and_closed(*, year_id: int, book: str, day: date) -> tuple[int, bool]:
    """The next entry number of ``book`` in the year, and whether ``day``'s period is closed."""
    day_param = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(_sequence_sql(connection.vendor), [year_id, book, year_id, day_param, day_param])
        last, closed = cursor.fetchone()
    return (last or 0) + 1, bool(closed)


_ENTRY_FIELDS = [
    "fiscal_year", "book", "sequence", "entry_date", "description", "source_type", "source_id", "total",
    "total_debit", "total_credit", "reverses", "posted_at", "posted_by",
]  # fmt: skip


_ENTRY_ATTNAMES = [
    "id",
    *(cast("models.Field[Any, Any]", JournalEntry._meta.get_field(f)).attname for f in _ENTRY_FIELDS),
]


@functools.cache
def _entry_sql(vendor: str) -> str:
    columns = ", ".join(_column(JournalEntry, f) for f in _ENTRY_FIELDS)
    return (
        f"INSERT INTO {_table(JournalEntry)} ({columns}) VALUES ({_marks(len(_ENTRY_FIELDS))}) "  # noqa: S608
        f"RETURNING {_column(JournalEntry, 'id')}"
    )


def insert_entry(*, year: FiscalYear, values: dict[str, Any]) -> JournalEntry:
    """Insert the entry's header (``values`` keyed by the names of ``_ENTRY_FIELDS``); the saved row."""
    values = {**values, "posted_at": timezone.now()}
    ops = connection.ops
    params = [
        ops.adapt_datefield_value(values[f]) if f == "entry_date"
        else ops.adapt_datetimefield_value(values[f]) if f == "posted_at"
        else values[f]
        for f in _ENTRY_FIELDS
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_entry_sql(connection.vendor), params)
        (pk,) = cursor.fetchone()
    entry = JournalEntry.from_db(connection.alias, _ENTRY_ATTNAMES, [pk, *(values[f] for f in _ENTRY_FIELDS)])
    entry.fiscal_year = year
    return entry


LINE_FIELDS = [
    "entry", "account", "debit", "credit", "budget_line", "memo", "org_unit", "fund", "program", "project",
    "region", "province", "spends_budget",
]  # fmt: skip


@functools.cache
def _lines_sql(vendor: str) -> str:
    columns = ", ".join(_column(JournalLine, f) for f in LINE_FIELDS)
    return f"INSERT INTO {_table(JournalLine)} ({columns}) VALUES ({_marks(len(LINE_FIELDS))})"  # noqa: S608


def insert_lines(rows: Sequence[Sequence[Any]]) -> None:
    """Insert the entry's lines (each row in ``LINE_FIELDS`` order) in one ``executemany``."""
    with connection.cursor() as cursor:
        cursor.executemany(_lines_sql(connection.vendor), rows)
