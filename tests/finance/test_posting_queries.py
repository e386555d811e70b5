"""The posting path's statements per entry are pinned: a fixed number, whatever the number of lines.

``ledger.entry_post`` is the one door every module posts through (the ``ledger_post`` benchmark's
goal is 2,000 lines/s on SQLite), so a change that adds a query per entry or per line fails here
instead of showing up later as a slower benchmark.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from codi.core.models import AuditEntry
from codi.finance import ledger
from codi.finance.ledger import LineSpec
from codi.finance.models import JournalEntry, JournalLine
from tests.finance.conftest import IN_FY

BANK, EXPENSES = "1101020601", ["5104010104", "5104010107", "5104010112", "5104020101", "5107010101"]

# prefetch (existing entry + accounts + budget dimensions), fiscal-year lock, number + closed period,
# entry insert, lines insert (one executemany), balance upserts (one executemany), audit head read,
# audit insert, audit head update.
STATEMENTS_PER_ENTRY = 9
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def _statements(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in captured.captured_queries if not q["sql"].upper().startswith(TRANSACTION_CONTROL)
    ]


def _post(source: str, debits: int, budget_id: int | None) -> JournalEntry:
    amounts = [Decimal(100 + k) + Decimal("0.25") for k in range(debits)]
    lines = [
        LineSpec(EXPENSES[k % len(EXPENSES)], debit=amount, budget_line_id=budget_id)
        for k, amount in enumerate(amounts)
    ]
    return ledger.entry_post(
        actor=None, entry_date=IN_FY, description="query count", source_type="test.queries", source_id=source,
        lines=[*lines, LineSpec(BANK, credit=sum(amounts, Decimal(0)))],
        dimensions={"program": "WELFARE", "province": "40"},
    )  # fmt: skip


@pytest.mark.parametrize("debits", [1, 9, 40])
def test_an_entry_costs_the_same_statements_whatever_its_lines(books, budget, debits):
    _post("warm-up", 2, budget.pk)
    with CaptureQueriesContext(connection) as captured:
        entry = _post(f"n{debits}", debits, budget.pk)
    statements = _statements(captured)
    assert len(statements) == STATEMENTS_PER_ENTRY, "\n".join(statements)
    # ... and it wrote what it says: the lines, their dimensions (the budget line's unit filled in),
    # the balanced header and the audit entry.
    lines = list(JournalLine.objects.filter(entry=entry))
    assert len(lines) == debits + 1
    assert {(line.program, line.province) for line in lines} == {("WELFARE", "40")}
    assert {line.org_unit for line in lines if line.budget_line_id} == {budget.unit.code}
    assert sum(line.debit for line in lines) == sum(line.credit for line in lines) == entry.total
    assert AuditEntry.objects.filter(action="finance.entry_post", object_id=str(entry.pk)).count() == 1


def test_posting_the_same_source_again_is_one_query_more_and_writes_nothing(books, budget):
    first = _post("again", 3, budget.pk)
    lines = JournalLine.objects.count()
    with CaptureQueriesContext(connection) as captured:
        again = _post("again", 3, budget.pk)
    assert again.pk == first.pk
    # the prefetch finds the entry; the entry itself is then read
    assert len(_statements(captured)) == 2
    assert JournalLine.objects.count() == lines


def test_without_a_budget_line_the_count_is_the_same(books):
    with CaptureQueriesContext(connection) as captured:
        _post("no-budget", 5, None)
    assert len(_statements(captured)) == STATEMENTS_PER_ENTRY


def test_unknown_budget_line_is_refused_before_anything_is_written(books):
    entries = JournalEntry.objects.count()
    with pytest.raises(ledger.FinanceError) as refused:
        _post("bad-budget", 2, 987654)
    assert "987654" in refused.value.message_en
    assert JournalEntry.objects.count() == entries
