"""The ledger services: chart of accounts, fiscal years, budget control and the journal.

Every write is a ``<entity>_<verb>`` function with keyword-only arguments, in one transaction,
with its audit entry in that transaction. Other modules (PMS, and later procurement, payroll,
lending) post through ``entry_post`` with a source document key: posting the same source twice
returns the first entry, so a retried request never double-posts.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max

from codi.core.audit import audit_record
from codi.finance import balances, journal_sql
from codi.finance.dimensions import COLUMNS, DimensionError, Dimensions, Fund
from codi.finance.models import (
    ZERO,
    Account,
    AccountType,
    BudgetLine,
    Commitment,
    CommitmentStatus,
    FiscalYear,
    JournalEntry,
    JournalLine,
    Period,
)

CHART_FILE = Path(__file__).resolve().parent / "data" / "chart_of_accounts.csv"
CENT = Decimal("0.01")


class FinanceError(ValidationError):
    """A refused finance operation, with the reason in Thai and in English."""

    def __init__(self, message_th: str, message_en: str) -> None:
        super().__init__(message_th)
        self.message_th = message_th
        self.message_en = message_en


def money(value: Decimal | str | int, *, field: str = "amount") -> Decimal:
    """A baht amount with at most two decimals, or FinanceError."""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise FinanceError(f"จำนวนเงินไม่ถูกต้อง ({field})", f"Invalid amount ({field})") from None
    if not amount.is_finite() or amount != amount.quantize(CENT) or amount.copy_abs() >= Decimal("1e14"):
        raise FinanceError(
            f"จำนวนเงินต้องมีทศนิยมไม่เกิน 2 ตำแหน่ง ({field})", f"Amounts have at most two decimals ({field})"
        )
    return amount.quantize(CENT)


def baht(amount: Decimal) -> str:
    return f"{amount:,.2f}"


# --- fiscal years ---------------------------------------------------------------------------


def fiscal_year_of(day: date) -> int:
    """The Thai fiscal year (B.E.) a date falls in: October starts the next year."""
    return day.year + 543 + (1 if day.month >= 10 else 0)


def fiscal_year_bounds(year_be: int) -> tuple[date, date]:
    ad = year_be - 543
    return date(ad - 1, 10, 1), date(ad, 9, 30)


def fiscal_year_ensure(*, actor: Any, year_be: int) -> FiscalYear:
    """The fiscal year ``year_be``, created (open) when missing."""
    start, end = fiscal_year_bounds(year_be)
    with transaction.atomic():
        year, created = FiscalYear.objects.get_or_create(
            year_be=year_be, defaults={"start_date": start, "end_date": end}
        )
        periods_ensure(year=year)
        if created:
            audit_record(
                actor=actor,
                action="finance.fiscal_year_open",
                object_type="finance.FiscalYear",
                object_id=year.pk,
                changes={"year_be": year_be},
            )
    return year


def periods_ensure(*, year: FiscalYear) -> list[Period]:
    """The twelve monthly periods of ``year`` (October = 1), created open when missing."""
    start = year.start_date
    for month in range(1, 13):
        first = date(start.year + (start.month + month - 2) // 12, (start.month + month - 2) % 12 + 1, 1)
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        Period.objects.get_or_create(
            fiscal_year=year,
            month=month,
            defaults={"start_date": first, "end_date": following - timedelta(days=1)},
        )
    return list(Period.objects.filter(fiscal_year=year).order_by("month"))


def period_of(day: date) -> Period | None:
    return Period.objects.filter(start_date__lte=day, end_date__gte=day).select_related("fiscal_year").first()


def fiscal_year_close(*, actor: Any, year: FiscalYear) -> FiscalYear:
    with transaction.atomic():
        year = FiscalYear.objects.select_for_update().get(pk=year.pk)
        year.is_closed = True
        year.save(update_fields=["is_closed"])
        audit_record(
            actor=actor,
            action="finance.fiscal_year_close",
            object_type="finance.FiscalYear",
            object_id=year.pk,
            changes={"year_be": year.year_be},
        )
    return year


# --- chart of accounts ----------------------------------------------------------------------


def chart_load(*, actor: Any, path: Path = CHART_FILE) -> tuple[int, int]:
    """Load the documented chart (CSV code,name_th,name_en,type); returns (created, updated)."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    types = set(AccountType.values)
    created = updated = 0
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            if row["type"] not in types or not row["code"].isdigit():
                raise FinanceError(
                    f"ผังบัญชีแถว {number}: รหัสหรือประเภทไม่ถูกต้อง", f"Chart row {number}: bad code or type"
                )
            values = {"name_th": row["name_th"], "name_en": row["name_en"], "account_type": row["type"]}
            account, was_created = Account.objects.get_or_create(code=row["code"], defaults=values)
            if was_created:
                created += 1
            elif any(getattr(account, k) != v for k, v in values.items()):
                Account.objects.filter(pk=account.pk).update(**values)
                updated += 1
        audit_record(
            actor=actor,
            action="finance.chart_load",
            object_type="finance.Account",
            changes={"created": created, "updated": updated, "file": path.name},
        )
    return created, updated


def account_update(*, actor: Any, account: Account, name_th: str, name_en: str, is_active: bool) -> Account:
    """Rename or (de)activate an account (the chief accountant); codes and types never change."""
    name_th = name_th.strip()
    if not name_th:
        raise FinanceError("กรุณาระบุชื่อบัญชีภาษาไทย", "The Thai account name is required")
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        changes = {
            k: [getattr(account, k), v]
            for k, v in {"name_th": name_th, "name_en": name_en.strip(), "is_active": is_active}.items()
            if getattr(account, k) != v
        }
        for key, (_old, new) in changes.items():
            setattr(account, key, new)
        account.save()
        audit_record(
            actor=actor,
            action="finance.account_update",
            object_type="finance.Account",
            object_id=account.pk,
            changes=changes,
        )
    return account


# --- budget control -------------------------------------------------------------------------


def budget_line_create(
    *,
    actor: Any,
    fiscal_year: FiscalYear,
    code: str,
    name: str,
    unit: Any,
    category: str,
    expense_account: Account,
    allocated: Decimal | str,
    plan: str = "",
    region: Any = None,
    pms_budget_line_id: int | None = None,
    is_demo: bool = False,
    fund: str = Fund.SUBSIDY,
) -> BudgetLine:
    amount = money(allocated, field="allocated")
    if amount < ZERO:
        raise FinanceError("วงเงินจัดสรรต้องไม่ติดลบ", "The allocation cannot be negative")
    if expense_account.account_type != AccountType.EXPENSE:
        raise FinanceError("บัญชีของงบประมาณต้องเป็นบัญชีค่าใช้จ่าย", "A budget line needs an expense account")
    if not code.strip() or not name.strip():
        raise FinanceError("กรุณาระบุรหัสและชื่องบประมาณ", "Code and name are required")
    if fund not in Fund.values:
        raise FinanceError("แหล่งเงินไม่ถูกต้อง", "Unknown fund / source")
    with transaction.atomic():
        if BudgetLine.objects.filter(fiscal_year=fiscal_year, code=code.strip()).exists():
            raise FinanceError(
                f"มีรหัสงบประมาณ {code} ในปีงบประมาณนี้แล้ว", f"Budget code {code} already exists this year"
            )
        line = BudgetLine.objects.create(
            fiscal_year=fiscal_year,
            code=code.strip(),
            name=name.strip(),
            unit=unit,
            category=category,
            expense_account=expense_account,
            allocated=amount,
            plan=plan,
            region=region,
            pms_budget_line_id=pms_budget_line_id,
            is_demo=is_demo,
            fund=fund,
        )
        audit_record(
            actor=actor,
            action="finance.budget_line_create",
            object_type="finance.BudgetLine",
            object_id=line.pk,
            changes={"code": line.code, "allocated": amount, "category": category},
        )
    return line


def _overspend(line: BudgetLine, amount: Decimal) -> FinanceError:
    return FinanceError(
        f"งบประมาณ {line.code} คงเหลือ {baht(line.available)} บาท ไม่พอสำหรับ {baht(amount)} บาท",
        f"Budget line {line.code} has {baht(line.available)} baht available, not enough for {baht(amount)}",
    )


def budget_commit(*, actor: Any, budget_line: BudgetLine, amount: Decimal, source_key: str) -> Commitment:
    """Encumber ``amount`` on the line, checked against the available balance under the row lock.

    Idempotent: a second call with the same ``source_key`` returns the first commitment.
    """
    amount = money(amount)
    if amount <= ZERO:
        raise FinanceError("จำนวนเงินต้องมากกว่าศูนย์", "The amount must be more than zero")
    with transaction.atomic():
        existing = Commitment.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
        line = BudgetLine.objects.select_for_update().get(pk=budget_line.pk)
        if line.fiscal_year.is_closed:
            raise FinanceError("ปีงบประมาณปิดแล้ว", "The fiscal year is closed")
        if amount > line.available:
            raise _overspend(line, amount)
        BudgetLine.objects.filter(pk=line.pk).update(committed=F("committed") + amount)
        commitment = Commitment.objects.create(budget_line=line, amount=amount, source_key=source_key)
        audit_record(
            actor=actor,
            action="finance.budget_commit",
            object_type="finance.BudgetLine",
            object_id=line.pk,
            changes={"amount": amount, "source": source_key},
        )
    return commitment


def budget_release(*, actor: Any, commitment: Commitment) -> Commitment:
    """Give an open commitment back to the line (the document was returned or rejected)."""
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if commitment.status != CommitmentStatus.OPEN:
            return commitment
        BudgetLine.objects.select_for_update().filter(pk=commitment.budget_line_id).update(
            committed=F("committed") - commitment.amount
        )
        commitment.status = CommitmentStatus.RELEASED
        commitment.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="finance.budget_release",
            object_type="finance.BudgetLine",
            object_id=commitment.budget_line_id,
            changes={"amount": commitment.amount, "source": commitment.source_key},
        )
    return commitment


def budget_consume(*, actor: Any, commitment: Commitment) -> Commitment:
    """Turn an open commitment into actual spending (the expense was recognised)."""
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if commitment.status != CommitmentStatus.OPEN:
            return commitment
        BudgetLine.objects.select_for_update().filter(pk=commitment.budget_line_id).update(
            committed=F("committed") - commitment.amount, actual=F("actual") + commitment.amount
        )
        commitment.status = CommitmentStatus.CONSUMED
        commitment.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="finance.budget_consume",
            object_type="finance.BudgetLine",
            object_id=commitment.budget_line_id,
            changes={"amount": commitment.amount, "source": commitment.source_key},
        )
    return commitment


def _budget_actual_add(line_id: int, amount: Decimal) -> None:
    """Spend ``amount`` directly (no commitment), or give it back when negative; row-locked."""
    line = BudgetLine.objects.select_for_update().get(pk=line_id)
    if amount > line.available:
        raise _overspend(line, amount)
    BudgetLine.objects.filter(pk=line_id).update(actual=F("actual") + amount)


# --- the journal ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LineSpec:
    """One line to post: an account code, a debit or a credit, optionally a budget line.

    ``spend`` lines move the budget line's actual by their net debit (used by documents that
    were not committed first, e.g. a PMS disbursement); other budget-tagged lines only label.
    ``dimensions`` (org unit, fund, program, project, region, province) override the entry's;
    blanks are filled from the budget line (``codi.finance.dimensions``).
    """

    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    budget_line_id: int | None = None
    memo: str = ""
    spend: bool = False
    dimensions: Dimensions | None = None


def _next_sequence(model: Any, year: FiscalYear, **extra: Any) -> int:
    last = model.objects.filter(fiscal_year=year, **extra).aggregate(m=Max("sequence"))["m"]
    return (last or 0) + 1


def _check_lines(lines: Sequence[LineSpec]) -> tuple[list[tuple[LineSpec, Decimal, Decimal]], Decimal]:
    if len(lines) < 2:
        raise FinanceError("รายการบัญชีต้องมีอย่างน้อย 2 บรรทัด", "A journal entry needs at least two lines")
    checked = []
    debit_total = credit_total = ZERO
    for number, spec in enumerate(lines, start=1):
        debit, credit = money(spec.debit, field=f"line {number}"), money(spec.credit, field=f"line {number}")
        if debit < ZERO or credit < ZERO or (debit > ZERO) == (credit > ZERO):
            raise FinanceError(
                f"บรรทัดที่ {number}: ต้องเป็นเดบิตหรือเครดิตที่มากกว่าศูนย์อย่างใดอย่างหนึ่ง",
                f"Line {number}: either a debit or a credit, more than zero",
            )
        checked.append((spec, debit, credit))
        debit_total += debit
        credit_total += credit
    if debit_total != credit_total:
        raise FinanceError(
            f"รายการไม่สมดุล: เดบิต {baht(debit_total)} เครดิต {baht(credit_total)}",
            f"The entry does not balance: debits {baht(debit_total)}, credits {baht(credit_total)}",
        )
    return checked, debit_total


def entry_post(
    *,
    actor: Any,
    entry_date: date,
    description: str,
    lines: Sequence[LineSpec],
    source_type: str,
    source_id: str,
    book: str = "GL",
    reverses: JournalEntry | None = None,
    dimensions: Dimensions | dict[str, Any] | None = None,
) -> JournalEntry:
    """Post a balanced entry for a source document; the same source posted again returns the first.

    ``dimensions`` apply to every line (a line's own ``LineSpec.dimensions`` win; blanks are filled
    from the line's budget line), so every posted line carries its unit, fund, program, project,
    region and province as far as the source knows them.

    Refused (nothing written): fewer than two lines, a line both or neither debit and credit, an
    unbalanced entry, an unknown or inactive account, a closed fiscal year, overspending a budget.
    """
    if not source_type or not source_id:
        raise FinanceError("ทุกรายการต้องอ้างถึงเอกสารต้นทาง", "Every entry needs its source document")
    source_id = str(source_id)
    # One query before the transaction: the entry already posted for this source, the accounts
    # and the budget lines' dimensions (see ``journal_sql`` for the statements of a posting).
    known = journal_sql.prefetch(
        source_type=source_type,
        source_id=source_id,
        codes=(spec.account for spec in lines),
        budget_ids=(spec.budget_line_id for spec in lines if spec.budget_line_id is not None),
    )
    if known.existing_id is not None:
        return JournalEntry.objects.get(pk=known.existing_id)
    checked, total = _check_lines(lines)
    line_dims = _line_dimensions(checked, dimensions, known.budget_dimensions)
    missing = sorted({spec.account for spec, _d, _c in checked} - known.accounts.keys())
    if missing:
        raise FinanceError(
            f"ไม่พบบัญชีหรือบัญชีปิดใช้งาน: {', '.join(missing)}",
            f"Unknown or inactive account: {', '.join(missing)}",
        )
    unknown_budget = sorted(
        {spec.budget_line_id for spec, _d, _c in checked if spec.budget_line_id is not None}
        - known.budget_dimensions.keys()
    )
    if unknown_budget:
        raise FinanceError(
            f"ไม่พบรายการงบประมาณ: {', '.join(map(str, unknown_budget))}",
            f"Unknown budget line: {', '.join(map(str, unknown_budget))}",
        )
    try:
        with transaction.atomic():
            year = journal_sql.lock_year(fiscal_year_of(entry_date))
            if year is None or year.is_closed:
                raise FinanceError(
                    f"ปีงบประมาณ {fiscal_year_of(entry_date)} ยังไม่เปิดหรือปิดแล้ว",
                    f"Fiscal year {fiscal_year_of(entry_date)} is not open",
                )
            sequence, period_closed = journal_sql.sequence_and_closed(
                year_id=year.pk, book=book, day=entry_date
            )
            if period_closed:
                raise FinanceError(
                    f"งวดบัญชีเดือน {entry_date.month:02d}/{entry_date.year + 543} ปิดแล้ว ไม่สามารถบันทึกรายการได้",
                    f"The period {entry_date:%m/%Y} is closed: nothing can be posted to it",
                )
            entry = journal_sql.insert_entry(
                year=year,
                values={
                    "fiscal_year": year.pk,
                    "book": book,
                    "sequence": sequence,
                    "entry_date": entry_date,
                    "description": description[:300],
                    "source_type": source_type,
                    "source_id": source_id,
                    "total": total,
                    "total_debit": total,
                    "total_credit": total,
                    "reverses": reverses.pk if reverses is not None else None,
                    "posted_by": getattr(_user(actor), "pk", None),
                },
            )
            rows = [
                (
                    entry.pk,
                    known.accounts[spec.account],
                    debit,
                    credit,
                    spec.budget_line_id,
                    spec.memo[:200],
                    *dims.as_columns().values(),
                    True if spec.spend and spec.budget_line_id is not None else None,
                )
                for (spec, debit, credit), dims in zip(checked, line_dims, strict=True)
            ]
            journal_sql.insert_lines(rows)
            # The pre-summed balances, in the same transaction (one statement; see ``balances``).
            balances.upsert(
                year_id=year.pk,
                day=entry_date,
                book=book,
                lines=(
                    (known.accounts[spec.account], spec.budget_line_id, dims.as_columns(), debit, credit)
                    for (spec, debit, credit), dims in zip(checked, line_dims, strict=True)
                ),
            )
            for spec, debit, credit in checked:
                if spec.spend and spec.budget_line_id is not None:
                    _budget_actual_add(spec.budget_line_id, debit - credit)
            audit_record(
                actor=actor,
                action="finance.entry_post",
                object_type="finance.JournalEntry",
                object_id=entry.pk,
                changes={"number": entry.number, "total": total, "source": f"{source_type}:{source_id}"},
            )
    except IntegrityError:
        # A concurrent request posted the same source first: return its entry.
        existing = JournalEntry.objects.filter(source_type=source_type, source_id=source_id).first()
        if existing is None:
            raise
        return existing
    return entry


def line_dimensions(line: JournalLine) -> Dimensions:
    """The dimensions a posted journal line carries."""
    return Dimensions(**{name: getattr(line, column) or "" for name, column in COLUMNS.items()})


def budget_line_dimensions(ids: set[int]) -> dict[int, Dimensions]:
    """The dimensions the budget lines ``ids`` give their journal lines, in one query."""
    rows = BudgetLine.objects.filter(pk__in=ids).values_list("pk", "unit__code", "fund", "plan", "region_id")
    return {
        pk: Dimensions(org_unit=unit or "", fund=fund or "", program=plan or "", region=region or "")
        for pk, unit, fund, plan, region in rows
    }


def _line_dimensions(
    checked: list[tuple[LineSpec, Decimal, Decimal]],
    dimensions: Dimensions | dict[str, Any] | None,
    from_budget: dict[int, Dimensions],
) -> list[Dimensions]:
    """Each line's dimensions: its own, then the entry's, then its budget line's (``from_budget``)."""
    try:
        entry_dims = Dimensions.of(dimensions)
        result = []
        for spec, _d, _c in checked:
            dims = Dimensions.of(spec.dimensions).filled_from(entry_dims)
            if spec.budget_line_id is not None and spec.budget_line_id in from_budget:
                dims = dims.filled_from(from_budget[spec.budget_line_id])
            result.append(dims.check())
    except DimensionError as exc:
        raise FinanceError(f"มิติทางบัญชีไม่ถูกต้อง: {exc}", f"Invalid dimension: {exc}") from None
    return result


def entry_reverse(*, actor: Any, entry: JournalEntry, entry_date: date, reason: str) -> JournalEntry:
    """Post the mirror image of ``entry`` (debits and credits swapped); the correction for a posted entry."""
    if not reason.strip():
        raise FinanceError("กรุณาระบุเหตุผลการกลับรายการ", "Give the reason for the reversal")
    if JournalEntry.objects.filter(reverses=entry).exists():
        return JournalEntry.objects.get(reverses=entry)
    if entry.reverses_id is not None:
        raise FinanceError("ไม่กลับรายการที่เป็นการกลับรายการ", "A reversal is not reversed again")
    lines = [
        LineSpec(
            account=line.account.code,
            debit=line.credit,
            credit=line.debit,
            budget_line_id=line.budget_line_id,
            memo=line.memo,
            spend=bool(line.spends_budget) or entry.source_type in SPEND_SOURCES,
            dimensions=line_dimensions(line),
        )
        for line in entry.lines.select_related("account")
    ]
    return entry_post(
        actor=actor,
        entry_date=entry_date,
        description=f"กลับรายการ {entry.number}: {reason.strip()}",
        lines=lines,
        source_type="reversal",
        source_id=str(entry.pk),
        book=entry.book,
        reverses=entry,
    )


# Sources whose budget-tagged lines spend the budget directly (no commitment first).
SPEND_SOURCES = frozenset({"pms.disbursement", "pms.fund_return"})


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None else None
