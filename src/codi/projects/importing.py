"""Legacy import of projects and their installments from .xlsx (or CSV): check every row, then
write all or nothing — the rules of the community registry's import, whose reader, column
mapping and row errors this module reuses (``codi.communities.importing``).

One row per project, with up to ``MAX_INSTALLMENTS`` installments in columns (amount, due
date, date paid). A paid installment becomes a ``Disbursement`` (key ``import-<code>-<n>``).
Money goes through the budget line of (program, region of the subdistrict, fiscal year),
which must exist and have the balance: unpaid approved money is committed, paid money
disbursed, exactly as the services would leave it; a row that would overspend its line is
refused. Project codes already in the database, or twice in the file, are row errors
(a legacy file is imported once). ``dry_run`` checks and writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from codi.areas.models import Province
from codi.communities.importing import Column, Outcome, RowError, _Reader, _text
from codi.communities.models import Organization
from codi.communities.validation import THAI_DIGITS, FieldProblem, clean_date
from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.identity.selectors import user_can_in_area
from codi.projects.models import (
    BudgetLine,
    Disbursement,
    Installment,
    Program,
    Project,
    ProjectArea,
    ProjectStatus,
)

MAX_INSTALLMENTS = 3
ZERO = Decimal("0.00")

PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("code", "รหัสโครงการ", "Project code", True),
    Column("program", "รหัสแผนงาน", "Program code", True, ("แผนงาน",)),
    Column("fiscal_year", "ปีงบประมาณ", "Fiscal year", True, ("ปีงบประมาณ (พ.ศ.)",)),
    Column("subdistrict_code", "รหัสตำบล", "Subdistrict code", True, ("รหัสแขวง/ตำบล",)),
    Column("organization", "เลขทะเบียนองค์กร", "Organization registration number", True, ("องค์กร",)),
    Column("title", "ชื่อโครงการ", "Title", True),
    Column("status", "สถานะ", "Status"),
    Column("requested_amount", "งบประมาณที่เสนอ", "Requested amount", True, ("งบที่ขอ",)),
    Column("approved_amount", "งบประมาณที่อนุมัติ", "Approved amount", False, ("งบอนุมัติ",)),
    Column("start_date", "วันเริ่มโครงการ", "Start date"),
    Column("end_date", "วันสิ้นสุดโครงการ", "End date"),
    Column("households", "ครัวเรือนผู้ได้รับประโยชน์", "Beneficiary households", False, ("ครัวเรือน",)),
    Column("persons", "จำนวนผู้ได้รับประโยชน์", "Beneficiary persons", False, ("จำนวนคน",)),
    *(
        column
        for n in range(1, MAX_INSTALLMENTS + 1)
        for column in (
            Column(f"inst_{n}_amount", f"งวดที่ {n} จำนวนเงิน", f"Installment {n} amount"),
            Column(f"inst_{n}_due", f"งวดที่ {n} วันครบกำหนด", f"Installment {n} due date"),
            Column(f"inst_{n}_paid", f"งวดที่ {n} วันที่จ่าย", f"Installment {n} paid on"),
        )
    ),
)

# Statuses a legacy project may have (the process's own steps are not imported).
STATUS_WORDS: dict[str, str] = {
    "": ProjectStatus.APPROVED,
    **{s: s for s in ProjectStatus.values},
    "ร่าง": ProjectStatus.DRAFT,
    "อนุมัติ": ProjectStatus.APPROVED,
    "อนุมัติแล้ว": ProjectStatus.APPROVED,
    "ลงนามสัญญาแล้ว": ProjectStatus.AGREEMENT_SIGNED,
    "ดำเนินการ": ProjectStatus.IN_PROGRESS,
    "กำลังดำเนินการ": ProjectStatus.IN_PROGRESS,
    "ปิดโครงการ": ProjectStatus.CLOSED,
    "ปิดโครงการแล้ว": ProjectStatus.CLOSED,
    "ไม่อนุมัติ": ProjectStatus.REJECTED,
    "ยกเลิก": ProjectStatus.CANCELLED,
}
STATUS_TH: dict[str, str] = {
    ProjectStatus.DRAFT: "ร่าง",
    ProjectStatus.APPROVED: "อนุมัติแล้ว",
    ProjectStatus.AGREEMENT_SIGNED: "ลงนามสัญญาแล้ว",
    ProjectStatus.IN_PROGRESS: "กำลังดำเนินการ",
    ProjectStatus.CLOSED: "ปิดโครงการแล้ว",
    ProjectStatus.REJECTED: "ไม่อนุมัติ",
    ProjectStatus.CANCELLED: "ยกเลิก",
}
IMPORTABLE = frozenset(STATUS_TH)
APPROVED_LIKE = frozenset(
    {ProjectStatus.APPROVED, ProjectStatus.AGREEMENT_SIGNED, ProjectStatus.IN_PROGRESS, ProjectStatus.CLOSED}
)


@dataclass
class InstallmentRow:
    number: int
    amount: Decimal
    due_date: date | None
    paid_on: date | None


@dataclass
class ProjectRow:
    row: int
    code: str
    program_id: int
    fiscal_year: int
    subdistrict: str
    region: str
    organization_id: int
    title: str
    status: str
    requested: Decimal
    approved: Decimal | None
    start_date: date | None
    end_date: date | None
    households: int
    persons: int
    installments: list[InstallmentRow] = field(default_factory=list)

    @property
    def line_key(self) -> tuple[int, str, int]:
        return (self.program_id, self.region, self.fiscal_year)

    @property
    def paid(self) -> Decimal:
        return sum((i.amount for i in self.installments if i.paid_on), ZERO)

    @property
    def committed(self) -> Decimal:
        if self.approved is None or self.status in (ProjectStatus.CLOSED, ProjectStatus.CANCELLED):
            return ZERO
        return self.approved - self.paid


def _money(raw: object) -> Decimal | None:
    text = _text(raw).replace(",", "").replace("บาท", "").strip().translate(THAI_DIGITS)
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FieldProblem("จำนวนเงินไม่ถูกต้อง", "Not an amount of money") from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        raise FieldProblem("จำนวนเงินไม่ถูกต้อง", "Not an amount of money")
    if value != value.quantize(Decimal("0.01")):
        raise FieldProblem("ใช้ทศนิยมไม่เกิน 2 ตำแหน่ง (สตางค์)", "At most 2 decimal places (satang)")
    return value.quantize(Decimal("0.01"))


def _count(raw: object) -> int:
    text = _text(raw).replace(",", "").translate(THAI_DIGITS)
    if not text:
        return 0
    if not text.isdigit() or len(text) > 8:
        raise FieldProblem("ต้องเป็นจำนวนเต็มไม่ติดลบ", "A whole number, not negative")
    return int(text)


class ProjectImport(_Reader):
    """Check (``check``) and write (``write``) a legacy project file for one actor."""

    columns = PROJECT_COLUMNS

    def __init__(self, *, actor: Any, error_limit: int = 5_000) -> None:
        super().__init__(actor=actor, error_limit=error_limit)
        self.programs = dict(Program.objects.values_list("code", "pk"))
        self.regions = dict(Province.objects.values_list("code", "region_id"))

    def may_manage(self, subdistrict_code: str) -> bool:
        allowed = self._scope_cache.get(subdistrict_code)
        if allowed is None:
            allowed = user_can_in_area(self.actor, Perm.PROJECTS_MANAGE, subdistrict_code=subdistrict_code)
            self._scope_cache[subdistrict_code] = allowed
        return allowed

    def check(self, path: Path, file_format: str) -> tuple[Outcome, list[ProjectRow]]:
        outcome = Outcome()
        prepared: list[ProjectRow] = []
        seen: dict[str, int] = {}
        for batch in self.batches(path, file_format, outcome):
            cleaned: list[tuple[int, dict[str, Any]]] = []
            for row_number, cells in batch:
                values, errors = self._clean(row_number, cells)
                if errors:
                    outcome.error_rows += 1
                    outcome.add_errors(errors, limit=self.error_limit)
                else:
                    cleaned.append((row_number, values))
            orgs = dict(
                Organization.objects.filter(
                    registration_no__in={v["organization"] for _, v in cleaned}
                ).values_list("registration_no", "pk")
            )
            existing = set(
                Project.objects.filter(code__in=[v["code"] for _, v in cleaned]).values_list(
                    "code", flat=True
                )
            )
            for row_number, values in cleaned:
                errors = []
                if values["code"] in existing:
                    errors.append(
                        self.error(row_number, "code", "มีโครงการรหัสนี้อยู่แล้ว", "A project has this code already")
                    )
                elif values["code"] in seen:
                    first = seen[values["code"]]
                    errors.append(
                        self.error(row_number, "code", f"ซ้ำกับแถว {first:,}", f"Same as row {first:,}")
                    )
                if values["organization"] not in orgs:
                    errors.append(
                        self.error(
                            row_number,
                            "organization",
                            "ไม่พบองค์กรเลขทะเบียนนี้",
                            "No organization has this number",
                        )
                    )
                if errors:
                    outcome.error_rows += 1
                    outcome.add_errors(errors, limit=self.error_limit)
                    continue
                seen[values["code"]] = row_number
                prepared.append(
                    ProjectRow(row=row_number, organization_id=orgs[values.pop("organization")], **values)
                )
        self._check_budget(prepared, outcome)
        outcome.valid = len(prepared) - outcome.summary.get("budget_rows", 0)
        outcome.preview = [
            {"row": p.row, "code": p.code, "title": p.title, "status": p.status, "approved": p.approved}
            for p in prepared[:20]
        ]
        return outcome, prepared

    def _clean(self, row: int, cells: dict[str, Any]) -> tuple[dict[str, Any], list[RowError]]:
        errors: list[RowError] = []
        values: dict[str, Any] = {}
        code = _text(cells.get("code"))
        if not code or len(code) > 30:
            errors.append(
                self.error(
                    row, "code", "กรุณาระบุรหัสโครงการ (ไม่เกิน 30 ตัวอักษร)", "Required, at most 30 characters"
                )
            )
        values["code"] = code
        program = _text(cells.get("program")).upper()
        if program not in self.programs:
            errors.append(self.error(row, "program", "ไม่พบแผนงานรหัสนี้", "Unknown program code"))
        values["program_id"] = self.programs.get(program, 0)
        year_text = _text(cells.get("fiscal_year")).translate(THAI_DIGITS)
        if not (year_text.isdigit() and 2500 <= int(year_text) <= 2700):
            errors.append(
                self.error(
                    row, "fiscal_year", "ปีงบประมาณ พ.ศ. 4 หลัก เช่น 2568", "A Buddhist-Era year, e.g. 2568"
                )
            )
        values["fiscal_year"] = int(year_text) if year_text.isdigit() else 0
        subdistrict = _text(cells.get("subdistrict_code")).translate(THAI_DIGITS)
        if not self.subdistrict_known(subdistrict):
            errors.append(self.error(row, "subdistrict_code", "ไม่พบรหัสตำบลนี้", "Unknown subdistrict code"))
        elif not self.may_manage(subdistrict):
            errors.append(self.error(row, "subdistrict_code", "ไม่มีสิทธิ์ในพื้นที่นี้", "Not permitted in this area"))
        values["subdistrict"] = subdistrict
        values["region"] = self.regions.get(subdistrict[:2]) or ""
        values["organization"] = _text(cells.get("organization"))
        title = _text(cells.get("title"))
        if not title or len(title) > 300:
            errors.append(
                self.error(
                    row, "title", "กรุณาระบุชื่อโครงการ (ไม่เกิน 300 ตัวอักษร)", "Required, at most 300 characters"
                )
            )
        values["title"] = title
        status = STATUS_WORDS.get(_text(cells.get("status")).lower())
        if status not in IMPORTABLE:
            errors.append(
                self.error(
                    row,
                    "status",
                    "ใช้ " + " ".join(STATUS_TH.values()),
                    "Use " + ", ".join(sorted(IMPORTABLE)),
                )
            )
        values["status"] = status or ""
        for key in ("requested_amount", "approved_amount"):
            try:
                values[key] = _money(cells.get(key))
            except FieldProblem as problem:
                errors.append(self.problem(row, key, problem))
                values[key] = None
        if values["requested_amount"] is None and not any(e.column_en == "Requested amount" for e in errors):
            errors.append(self.error(row, "requested_amount", "กรุณาระบุงบประมาณที่เสนอ", "Required"))
        values["requested"] = values.pop("requested_amount") or ZERO
        values["approved"] = values.pop("approved_amount")
        for key in ("start_date", "end_date"):
            try:
                values[key] = clean_date(cells.get(key))
            except FieldProblem as problem:
                errors.append(self.problem(row, key, problem))
                values[key] = None
        if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
            errors.append(self.error(row, "end_date", "วันสิ้นสุดก่อนวันเริ่ม", "Ends before it starts"))
        for key in ("households", "persons"):
            try:
                values[key] = _count(cells.get(key))
            except FieldProblem as problem:
                errors.append(self.problem(row, key, problem))
                values[key] = 0
        values["installments"] = self._installments(row, cells, errors)
        errors.extend(self._money_rules(row, values))
        return values, errors

    def _installments(self, row: int, cells: dict[str, Any], errors: list[RowError]) -> list[InstallmentRow]:
        found: list[InstallmentRow] = []
        today = timezone.localdate()
        for n in range(1, MAX_INSTALLMENTS + 1):
            try:
                amount = _money(cells.get(f"inst_{n}_amount"))
                due = clean_date(cells.get(f"inst_{n}_due"))
                paid = clean_date(cells.get(f"inst_{n}_paid"))
            except FieldProblem as problem:
                errors.append(self.problem(row, f"inst_{n}_amount", problem))
                continue
            if amount is None:
                if due or paid:
                    errors.append(
                        self.error(row, f"inst_{n}_amount", "กรุณาระบุจำนวนเงินของงวด", "Amount required")
                    )
                continue
            if amount <= 0:
                errors.append(
                    self.error(row, f"inst_{n}_amount", "จำนวนเงินต้องมากกว่า 0", "Must be more than 0")
                )
                continue
            if paid and paid > today:
                errors.append(self.error(row, f"inst_{n}_paid", "วันที่จ่ายอยู่ในอนาคต", "Paid on a future date"))
            found.append(InstallmentRow(n, amount, due, paid))
        return found

    def _money_rules(self, row: int, values: dict[str, Any]) -> list[RowError]:
        errors: list[RowError] = []
        approved: Decimal | None = values["approved"]
        status = values["status"]
        installments: list[InstallmentRow] = values["installments"]
        if approved is not None and approved > values["requested"]:
            errors.append(
                self.error(row, "approved_amount", "งบอนุมัติมากกว่างบที่เสนอ", "Approved is more than requested")
            )
        if status in APPROVED_LIKE and approved is None:
            errors.append(
                self.error(row, "approved_amount", "สถานะนี้ต้องมีงบอนุมัติ", "This status needs an approved amount")
            )
        if status in (ProjectStatus.DRAFT, ProjectStatus.REJECTED) and (approved is not None or installments):
            errors.append(
                self.error(
                    row,
                    "status",
                    "โครงการที่ยังไม่อนุมัติต้องไม่มีงบอนุมัติหรืองวดเงิน",
                    "Not approved: no approved amount or installments",
                )
            )
        if installments and approved is not None:
            total = sum((i.amount for i in installments), ZERO)
            if total != approved:
                errors.append(
                    self.error(
                        row,
                        "inst_1_amount",
                        f"ยอดรวมงวด {total:,.2f} ไม่เท่ากับงบอนุมัติ {approved:,.2f}",
                        f"Installments sum to {total:,.2f}, not the approved {approved:,.2f}",
                    )
                )
        paid = [i for i in installments if i.paid_on]
        if paid and status not in (ProjectStatus.IN_PROGRESS, ProjectStatus.CLOSED, ProjectStatus.CANCELLED):
            errors.append(
                self.error(
                    row,
                    "status",
                    "มีงวดที่จ่ายแล้ว สถานะต้องเป็นกำลังดำเนินการหรือปิดโครงการ",
                    "Paid installments need status in_progress, closed or cancelled",
                )
            )
        if status == ProjectStatus.CLOSED and installments and len(paid) != len(installments):
            errors.append(
                self.error(
                    row, "status", "ปิดโครงการแล้วแต่ยังมีงวดที่ไม่ได้จ่าย", "Closed, yet an installment is unpaid"
                )
            )
        return errors

    def _check_budget(self, prepared: list[ProjectRow], outcome: Outcome) -> None:
        """Every row's budget line must exist and keep a balance; rows over it are errors."""
        keys = {p.line_key for p in prepared if p.committed or p.paid}
        lines = self._lines(keys, for_update=False)
        need: dict[tuple[int, str, int], Decimal] = defaultdict(lambda: ZERO)
        bad = 0
        for p in prepared:
            amount = p.committed + p.paid
            if not amount:
                continue
            line = lines.get(p.line_key)
            if line is None:
                outcome.add_errors(
                    [
                        self.error(
                            p.row,
                            "program",
                            f"ยังไม่มีงบประมาณของแผนงานนี้ในภาค {p.region} ปี {p.fiscal_year}",
                            f"No budget line for this program in region {p.region}, {p.fiscal_year}",
                        )
                    ],
                    limit=self.error_limit,
                )
                bad += 1
                continue
            need[p.line_key] += amount
            if need[p.line_key] > line.available:
                outcome.add_errors(
                    [
                        self.error(
                            p.row,
                            "approved_amount",
                            f"งบประมาณคงเหลือของภาคไม่พอ (คงเหลือ {line.available:,.2f} บาท)",
                            f"Not enough left on the budget line ({line.available:,.2f} left)",
                        )
                    ],
                    limit=self.error_limit,
                )
                bad += 1
        outcome.error_rows += bad
        outcome.summary["budget_rows"] = bad

    def _lines(
        self, keys: set[tuple[int, str, int]], *, for_update: bool
    ) -> dict[tuple[int, str, int], BudgetLine]:
        found: dict[tuple[int, str, int], BudgetLine] = {}
        if not keys:
            return found
        query = BudgetLine.objects.filter(
            program_id__in={k[0] for k in keys},
            region_id__in={k[1] for k in keys},
            fiscal_year__in={k[2] for k in keys},
        ).order_by("pk")
        if for_update:
            query = query.select_for_update()
        for line in query:
            found[(line.program_id, line.region_id, line.fiscal_year)] = line
        return found

    def write(self, path: Path, file_format: str) -> Outcome:
        """Check again, and write every row in one transaction only when no row has an error."""
        outcome, prepared = self.check(path, file_format)
        if outcome.error_rows:
            return outcome
        now = timezone.now()
        with transaction.atomic():
            lines = self._lines({p.line_key for p in prepared}, for_update=True)
            for p in prepared:  # balances again, under the row locks
                line = lines.get(p.line_key)
                if (p.committed or p.paid) and (line is None or line.available < p.committed + p.paid):
                    outcome.add_errors(
                        [
                            self.error(
                                p.row,
                                "approved_amount",
                                "งบประมาณคงเหลือของภาคไม่พอ",
                                "Not enough left on the budget line",
                            )
                        ],
                        limit=self.error_limit,
                    )
                    outcome.error_rows += 1
                    return outcome
                if line is not None:
                    line.committed += p.committed
                    line.disbursed += p.paid
            projects = Project.objects.bulk_create(
                [
                    Project(
                        code=p.code,
                        program_id=p.program_id,
                        budget_line=lines.get(p.line_key),
                        fiscal_year=p.fiscal_year,
                        subdistrict_id=p.subdistrict,
                        lead_organization_id=p.organization_id,
                        title=p.title,
                        requested_amount=p.requested,
                        approved_amount=p.approved,
                        start_date=p.start_date,
                        end_date=p.end_date,
                        households=p.households,
                        persons=p.persons,
                        status=p.status,
                        approved_at=now if p.approved is not None else None,
                        closed_at=now if p.status == ProjectStatus.CLOSED else None,
                        created_by=self.actor,
                    )
                    for p in prepared
                ],
                batch_size=500,
            )
            ProjectArea.objects.bulk_create(
                [ProjectArea(project=pr, subdistrict_id=pr.subdistrict_id) for pr in projects],
                batch_size=1000,
            )
            installments: list[tuple[Installment, InstallmentRow, Project]] = []
            for pr, p in zip(projects, prepared, strict=True):
                for i in p.installments:
                    status = (
                        "disbursed"
                        if i.paid_on
                        else ("cancelled" if p.status == ProjectStatus.CANCELLED else "planned")
                    )
                    installments.append(
                        (
                            Installment(
                                project=pr,
                                number=i.number,
                                amount=i.amount,
                                due_date=i.due_date,
                                status=status,
                            ),
                            i,
                            pr,
                        )
                    )
            Installment.objects.bulk_create([row[0] for row in installments], batch_size=1000)
            Disbursement.objects.bulk_create(
                [
                    Disbursement(
                        installment=inst,
                        budget_line_id=cast(int, pr.budget_line_id),
                        amount=inst.amount,
                        idempotency_key=f"import-{pr.code}-{inst.number}",
                        paid_at=timezone.make_aware(datetime.combine(i.paid_on, time(12)))
                        if i.paid_on
                        else now,
                        paid_by=self.actor,
                        reference="import",
                    )
                    for inst, i, pr in installments
                    if i.paid_on
                ],
                batch_size=1000,
            )
            # The lines are locked (select_for_update): their values above are current.
            BudgetLine.objects.bulk_update(list(lines.values()), ["committed", "disbursed"])
            audit_record(
                actor=self.actor,
                action="projects.project.import",
                object_type="projects.project",
                object_id="",
                changes={
                    "projects": len(projects),
                    "installments": len(installments),
                    "codes": [p.code for p in prepared[:50]],
                },
            )
        outcome.created = len(projects)
        outcome.valid = len(projects)
        return outcome
