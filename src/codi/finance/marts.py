"""Finance facts for the analytics store (read-only; only finance's own tables).

``ledger_lines``: every posted journal line with its entry's date and dimensions; posted lines are
never changed (a reversal is a new entry), so the mart grows by id. ``budget_lines``: the annual
budget per unit × category × plan with what is committed and spent; small and mutable, rebuilt
when its fingerprint changes. See ``codi.core.marts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Sum

from codi.core.marts import MartSource, columns_of, fingerprint
from codi.finance.models import BudgetLine, JournalLine

_LEDGER = (
    ("id", "int", "finance.JournalLine.id", "id"),
    ("entry_id", "int", "finance.JournalLine.entry", "entry_id"),
    ("entry_date", "date", "finance.JournalEntry.entry_date via JournalLine.entry", "entry__entry_date"),
    ("book", "str", "finance.JournalEntry.book via JournalLine.entry", "entry__book"),
    ("source_type", "str", "finance.JournalEntry.source_type via JournalLine.entry", "entry__source_type"),
    ("account", "str", "finance.Account.code via JournalLine.account", "account__code"),
    ("account_type", "str", "finance.Account.account_type via JournalLine.account", "account__account_type"),
    ("debit", "decimal", "finance.JournalLine.debit", "debit"),
    ("credit", "decimal", "finance.JournalLine.credit", "credit"),
    ("budget_line", "str", "finance.BudgetLine.code via JournalLine.budget_line", "budget_line__code"),
    ("org_unit", "str", "finance.JournalLine.org_unit", "org_unit"),
    ("fund", "str", "finance.JournalLine.fund", "fund"),
    ("program", "str", "finance.JournalLine.program", "program"),
    ("project", "str", "finance.JournalLine.project", "project"),
    ("region", "str", "finance.JournalLine.region", "region"),
    ("province", "str", "finance.JournalLine.province", "province"),
)


def ledger_lines(after: Any) -> Iterator[tuple[Any, ...]]:
    lines = JournalLine.objects.order_by("id")
    if after is not None:
        lines = lines.filter(id__gt=after)
    fields = [f[3] for f in _LEDGER]
    return lines.values_list(*fields).iterator(chunk_size=20000)


_BUDGET = (
    ("id", "int", "finance.BudgetLine.id", "id"),
    ("fiscal_year", "int", "finance.FiscalYear.year_be via BudgetLine.fiscal_year", "fiscal_year__year_be"),
    ("code", "str", "finance.BudgetLine.code", "code"),
    ("name", "str", "finance.BudgetLine.name", "name"),
    ("org_unit", "str", "identity.OrgUnit.code via BudgetLine.unit", "unit__code"),
    ("region", "str", "finance.BudgetLine.region", "region_id"),
    ("category", "str", "finance.BudgetLine.category", "category"),
    ("program", "str", "finance.BudgetLine.plan", "plan"),
    ("fund", "str", "finance.BudgetLine.fund", "fund"),
    ("allocated", "decimal", "finance.BudgetLine.allocated", "allocated"),
    ("committed", "decimal", "finance.BudgetLine.committed", "committed"),
    ("actual", "decimal", "finance.BudgetLine.actual", "actual"),
)


def budget_lines(after: Any) -> Iterator[tuple[Any, ...]]:
    return BudgetLine.objects.order_by("id").values_list(*[f[3] for f in _BUDGET]).iterator()


def budget_fingerprint() -> str:
    return fingerprint(BudgetLine.objects, a=Sum("allocated"), c=Sum("committed"), s=Sum("actual"))


MARTS = [
    MartSource(
        name="ledger_lines",
        title_en="General ledger lines",
        app_label="finance",
        selector="codi.finance.marts.ledger_lines",
        columns=columns_of(_LEDGER),
        rows=ledger_lines,
        watermark="id",
        date_column="entry_date",
        measures=("debit", "credit"),
    ),
    MartSource(
        name="budget_lines",
        title_en="Annual budget lines",
        app_label="finance",
        selector="codi.finance.marts.budget_lines",
        columns=columns_of(_BUDGET),
        rows=budget_lines,
        measures=("allocated", "committed", "actual"),
        fingerprint=budget_fingerprint,
    ),
]
