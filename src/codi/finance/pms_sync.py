"""Bring the PMS money trail into the ledger, through ``codi.projects.selectors.finance_feed``.

- each PMS budget line is tied one-to-one to a finance budget line (``pms_budget_line_id``),
  category งบเงินอุดหนุน, expense account 5107010101, allocation kept equal to PMS's;
- each disbursement posts Dr grant expense (spending the tied line) / Cr bank, keyed by the
  disbursement id; each fund return posts the opposite, keyed by the return id;
- each active approved project holds a commitment for its approved amount not yet paid; when
  that amount changes the old commitment is released and the new one made.

Running it again changes nothing (every posting and commitment is keyed by its source).

Since PMS posts in the disbursement's own transaction (``on_money_moved``, registered in
``FinanceConfig.ready`` with ``codi.projects.hooks``), this sync is the reconciler: it brings in
history paid before the books were loaded, and finds nothing to post for what the hook posted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from codi.areas.models import Region
from codi.core.audit import audit_record
from codi.finance import dimensions, ledger
from codi.finance.dimensions import Dimensions
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import (
    Account,
    BudgetCategory,
    BudgetLine,
    Commitment,
    CommitmentStatus,
    JournalEntry,
)
from codi.identity.models import OrgUnit
from codi.projects.hooks import HookRefused, MoneyEvent
from codi.projects.selectors import finance_feed

GRANT_EXPENSE = "5107010101"
BANK = "1101020601"
UNIT_BY_REGION = {"northeast": "REG-NE"}  # regional offices known to identity; others post to HQ


@dataclass
class SyncResult:
    budget_lines: int = 0
    entries_posted: int = 0
    commitments: int = 0
    errors: list[str] = field(default_factory=list)


def _unit(region_id: str | None) -> OrgUnit | None:
    code = UNIT_BY_REGION.get(region_id or "", "HQ")
    return OrgUnit.objects.filter(code=code).first() or OrgUnit.objects.filter(code="HQ").first()


def _tied_line(actor: Any, row: dict[str, Any]) -> BudgetLine:
    line = BudgetLine.objects.filter(pms_budget_line_id=row["id"]).first()
    allocated = Decimal(row["allocated"])
    if line is None:
        unit = _unit(row["region_id"])
        if unit is None:
            raise FinanceError("ไม่พบหน่วยงาน HQ", "Org unit HQ is missing (run load_demo or create it)")
        year = ledger.fiscal_year_ensure(actor=actor, year_be=row["fiscal_year"])
        region = _region(row["region_id"])
        where = region.name_th if region is not None else row["region_id"]  # the region's name, not its key
        return ledger.budget_line_create(
            actor=actor, fiscal_year=year, code=f"PMS-{row['id']}", unit=unit,
            name=f"{row['program__name_th']} ({where})"[:200], category=BudgetCategory.SUBSIDY,
            expense_account=Account.objects.get(code=GRANT_EXPENSE), allocated=allocated,
            plan=row["program__code"], region=region, pms_budget_line_id=row["id"],
        )  # fmt: skip
    if line.allocated != allocated and allocated >= line.committed + line.actual:
        with transaction.atomic():
            BudgetLine.objects.select_for_update().filter(pk=line.pk).update(allocated=allocated)
            audit_record(
                actor=actor, action="finance.budget_line_allocate", object_type="finance.BudgetLine",
                object_id=line.pk, changes={"allocated": [line.allocated, allocated], "source": "pms"},
            )  # fmt: skip
        line.refresh_from_db()
    return line


def _region(region_id: str | None) -> Any:
    return Region.objects.filter(code=region_id).first() if region_id else None


def projects_ledger_sync(*, actor: Any = None) -> SyncResult:
    """Post what PMS paid and returned, and commit what it approved; idempotent."""
    if not Account.objects.filter(code=GRANT_EXPENSE).exists():
        ledger.chart_load(actor=actor)
    feed = cast("dict[str, list[dict[str, Any]]]", finance_feed())
    result = SyncResult()
    lines: dict[int, BudgetLine] = {}
    for row in feed["budget_lines"]:
        try:
            lines[row["id"]] = _tied_line(actor, row)
            result.budget_lines += 1
        except FinanceError as exc:
            result.errors.append(f"budget line {row['id']}: {exc.message_en}")
    # Release commitments first so that payments find the room they were committed.
    wanted: dict[str, tuple[BudgetLine, Decimal]] = {}
    for row in feed["open_projects"]:
        line = lines.get(row["budget_line_id"])
        remaining = (Decimal(row["approved_amount"]) - Decimal(row["paid"] or 0)).quantize(ledger.CENT)
        if line is not None and remaining > 0:
            wanted[f"pms.project:{row['id']}:{remaining}"] = (line, remaining)
    for stale in Commitment.objects.filter(
        source_key__startswith="pms.project:", status=CommitmentStatus.OPEN
    ):
        if stale.source_key not in wanted:
            ledger.budget_release(actor=actor, commitment=stale)
    for row in feed["disbursements"]:
        _post(actor, result, lines.get(row["budget_line_id"]), "pms.disbursement", row, Decimal(row["amount"]),
              row["paid_at"], f"เบิกจ่ายโครงการ {row['installment__project__code']} {row['reference']}",
              project=row["installment__project__code"])  # fmt: skip
    for row in feed["fund_returns"]:
        _post(actor, result, lines.get(row["budget_line_id"]), "pms.fund_return", row, -Decimal(row["amount"]),
              row["recorded_at"], f"รับเงินคืนโครงการ {row['project__code']}", project=row["project__code"])  # fmt: skip
    for key, (line, remaining) in wanted.items():
        if Commitment.objects.filter(source_key=key).exists():
            continue
        try:
            ledger.budget_commit(actor=actor, budget_line=line, amount=remaining, source_key=key)
            result.commitments += 1
        except FinanceError as exc:
            result.errors.append(f"{key}: {exc.message_en}")
    return result


def _post(
    actor: Any, result: SyncResult, line: BudgetLine | None, source: str, row: dict[str, Any],
    amount: Decimal, when: Any, text: str, *, project: str = "",
) -> None:  # fmt: skip
    if line is None or JournalEntry.objects.filter(source_type=source, source_id=str(row["id"])).exists():
        return
    try:
        _post_entry(actor, line, source, row["id"], amount, when, text, project=project,
                    province=row.get("province_id") or "")  # fmt: skip
        result.entries_posted += 1
    except FinanceError as exc:
        result.errors.append(f"{source} {row['id']}: {exc.message_en}")


def _post_entry(
    actor: Any, line: BudgetLine, source: str, row_id: int, amount: Decimal, when: Any, text: str,
    *, project: str, province: str,
) -> JournalEntry:  # fmt: skip
    """Dr grant expense (spending the tied line) / Cr bank, or the opposite for a negative
    ``amount`` (a return), keyed by ``source`` and the PMS row's id (posting again returns it)."""
    day = timezone.localtime(when).date()
    ledger.fiscal_year_ensure(actor=actor, year_be=ledger.fiscal_year_of(day))
    expense = LineSpec(GRANT_EXPENSE, debit=max(amount, Decimal(0)), credit=max(-amount, Decimal(0)),
                       budget_line_id=line.pk, spend=True)  # fmt: skip
    bank = LineSpec(BANK, debit=expense.credit, credit=expense.debit)
    return ledger.entry_post(
        actor=actor, entry_date=day, description=text[:300], lines=[expense, bank],
        source_type=source, source_id=str(row_id),
        # program, region, unit and fund come from the tied budget line; the project and its
        # province from the PMS row — on both lines, so bank movements analyse the same way.
        dimensions=Dimensions(project=project or "", province=province).filled_from(dimensions.of_budget_line(line)),
    )  # fmt: skip


# --- in the disbursement's own transaction (``codi.projects.hooks``) ----------------------------


def books_in_use() -> bool:
    """Whether this installation keeps its books here (the chart is loaded); without them PMS pays
    as before and ``projects_ledger_sync`` posts once the chart is loaded."""
    return Account.objects.filter(code=GRANT_EXPENSE, is_active=True).exists()


def on_money_moved(event: MoneyEvent) -> None:
    """Post a PMS disbursement or fund return inside PMS's transaction, and move the project's
    commitment to what is still to be paid. A refusal (closed period or year, unknown unit, ...)
    raises ``HookRefused``, which rolls the payment back."""
    if not books_in_use():
        return
    actor = event.actor
    try:
        line = _tied_line(actor, dict(event.budget_line))
        if event.kind == "disbursement":
            source, amount = "pms.disbursement", event.amount
            text = f"เบิกจ่ายโครงการ {event.project_code} {event.reference}"
        elif event.kind == "fund_return":
            source, amount = "pms.fund_return", -event.amount
            text = f"รับเงินคืนโครงการ {event.project_code}"
        elif event.kind == "approval":  # approved or reduced: nothing paid, the commitment moves
            source, amount, text = "", Decimal(0), ""
        else:
            return
        with transaction.atomic():
            key_prefix = f"pms.project:{event.project_id}:"
            remaining = ((event.approved_amount or Decimal(0)) - event.paid).quantize(ledger.CENT)
            wanted = f"{key_prefix}{remaining}" if event.project_active and remaining > 0 else ""
            # Release the project's old commitment first, so that the payment finds its room.
            for stale in Commitment.objects.select_for_update().filter(
                source_key__startswith=key_prefix, status=CommitmentStatus.OPEN
            ):
                if stale.source_key != wanted:
                    ledger.budget_release(actor=actor, commitment=stale)
            if source:
                _post_entry(actor, line, source, event.id, amount, event.at, text,
                            project=event.project_code, province=event.province_id)  # fmt: skip
            if wanted and not Commitment.objects.filter(source_key=wanted).exists():
                ledger.budget_commit(actor=actor, budget_line=line, amount=remaining, source_key=wanted)
    except FinanceError as exc:
        raise HookRefused(exc.message_th, exc.message_en) from exc
