"""Shared set-up for the finance benchmarks (a helper, not a benchmark: it has no NAME)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

YEAR_BE = 2570
DAY = date(2026, 11, 2)
EXPENSES = ["5104010104", "5104010107", "5104010112", "5104020101", "5107010101", "5107010102", "5101010101"]
BANK = "1101020601"
LINES_PER_ENTRY = 10
# Dimensions the seeded lines carry (as a PMS disbursement's would): 6 programs, 20 provinces.
PROGRAMS = ["BAANMANKONG", "WELFARE", "LAND", "DISASTER", "ECONOMY", "NETWORK"]
PROVINCES = ["10", "20", "30", "34", "40", "41", "44", "45", "46", "47", "50", "53", "57", "65", "80", "83", "84",
             "90", "94", "95"]  # fmt: skip


def setup_books() -> tuple[Any, Any, Any]:
    """Migrated database → (fiscal year, a country-wide finance viewer, a budget line)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from codi.finance import ledger
    from codi.finance.models import Account, BudgetCategory
    from codi.identity.models import OrgUnit, RoleAssignment, User

    ledger.chart_load(actor=None)
    year = ledger.fiscal_year_ensure(actor=None, year_be=YEAR_BE)
    viewer = User.objects.create(username="bench-finance")
    RoleAssignment.objects.create(user=viewer, role="finance_officer", scope_level="country", scope_code="")
    unit = OrgUnit.objects.get_or_create(code="BENCH-FIN", defaults={"name_th": "หน่วยทดสอบ"})[0]
    line = ledger.budget_line_create(
        actor=None, fiscal_year=year, code="BENCH-1", name="งบทดสอบ", unit=unit, category=BudgetCategory.OPERATING,
        expense_account=Account.objects.get(code="5104010112"), allocated=Decimal("900000000000.00"),
    )  # fmt: skip
    return year, viewer, line


def entry_lines(number: int) -> list[tuple[str, Decimal, Decimal]]:
    """The (account, debit, credit) rows of entry ``number``: nine expense debits, one bank credit."""
    debits = [
        (
            EXPENSES[(number + k) % len(EXPENSES)],
            Decimal(100 + (number * 7 + k) % 900) + Decimal("0.25"),
            Decimal(0),
        )
        for k in range(LINES_PER_ENTRY - 1)
    ]
    total = sum((d for _a, d, _c in debits), Decimal(0))
    return [*debits, (BANK, Decimal(0), total)]


DIMENSION_FIELDS = ["org_unit", "fund", "program", "project", "region", "province"]


def dimensions_of(number: int) -> dict[str, str]:
    return {"program": PROGRAMS[number % len(PROGRAMS)], "province": PROVINCES[number % len(PROVINCES)],
            "fund": "subsidy", "org_unit": "BENCH-FIN"}  # fmt: skip


def bulk_insert(
    year: Any,
    first: int,
    count: int,
    *,
    source_type: str = "bench.bulk",
    budget_line_id: int | None = None,
    spread: bool = False,
) -> int:
    """Insert ``count`` entries (10 lines each) with bulk_create, as one import would; returns lines.

    Every line carries the entry's dimensions; expense lines are charged to ``budget_line_id``.
    ``spread`` dates the entries over 300 days from ``DAY`` (eleven fiscal months) instead of one day."""
    from django.db import connection, transaction

    from codi.finance.models import Account, JournalEntry, JournalLine

    accounts = {a.code: a.pk for a in Account.objects.all()}
    written = 0
    chunk = 5000 if connection.vendor == "postgresql" else 500
    for start in range(first, first + count, chunk):
        numbers = range(start, min(start + chunk, first + count))
        with transaction.atomic():
            last = JournalEntry.objects.filter(fiscal_year=year, book="BK").order_by("-sequence").first()
            sequence = last.sequence if last else 0
            entries = []
            for offset, number in enumerate(numbers, start=1):
                total = sum((d for _a, d, _c in entry_lines(number)), Decimal(0))
                entries.append(
                    JournalEntry(
                        fiscal_year=year,
                        book="BK",
                        sequence=sequence + offset,
                        entry_date=DAY + timedelta(days=number % 300) if spread else DAY,
                        description="bulk",
                        source_type=source_type,
                        source_id=str(number),
                        total=total,
                        total_debit=total,
                        total_credit=total,
                    )
                )
            created = JournalEntry.objects.bulk_create(entries)
            lines = [
                JournalLine(
                    entry_id=entry.pk,
                    account_id=accounts[a],
                    debit=d,
                    credit=c,
                    budget_line_id=budget_line_id if a != BANK else None,
                    **dimensions_of(number),
                )
                for entry, number in zip(created, numbers, strict=True)
                for a, d, c in entry_lines(number)
            ]
            _insert_lines(lines)
            written += len(lines)
    return written


def _insert_lines(lines: list[Any]) -> None:
    """bulk_create, or on PostgreSQL one ``COPY`` (same rows, same triggers: the balance check runs
    for every line as on any insert; only the client-side cost of a multi-row INSERT is saved)."""
    from django.db import connection

    from codi.finance.models import JournalLine

    if connection.vendor != "postgresql":
        JournalLine.objects.bulk_create(lines, batch_size=2000)
        return
    fields = ["entry_id", "account_id", "debit", "credit", "budget_line_id", "memo", *DIMENSION_FIELDS]
    meta: Any = JournalLine._meta
    columns = ", ".join(meta.get_field(f.removesuffix("_id")).column for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {JournalLine._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for line in lines:
            copy.write_row([getattr(line, f) for f in fields])
