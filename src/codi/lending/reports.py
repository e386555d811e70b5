"""Baan Mankong project stages and welfare funds' annual reports (writes and reads).

Project stages run in order: survey → design → loan → build → handover. A stage may be planned (a
date) at any time; it is *reached* (a date, never in the future) only after every earlier stage was
reached, on or after the day the previous one was, and the loan stage only once the project's
housing loan has been disbursed. A reached stage stays reached. The project's current stage is the
first stage not yet reached (the one under way); when handover is reached the project is complete.

A welfare fund files one annual report a Buddhist-Era year (through the community portal, by an
account acting for the fund's organization, or by a credit officer of its area): members by age
group and the year's income and spending. The report is what certification reads: the
"annual report" checklist item is met only by a filed report of that year
(``community.certification_decide``). Filing the same figures again returns the filed report
(a retried request); different figures for a filed year are refused (nothing changed).

Every write is validated, runs in one transaction and is audited; refusals carry a Thai and an
English message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.identity.selectors import user_can_in_area, user_has_perm
from codi.lending.community import _money
from codi.lending.models import LoanStatus
from codi.lending.models_community import HousingProject, WelfareFund
from codi.lending.models_reports import PHASE_ORDER, Phase, ProjectStage, WelfareReport
from codi.lending.portal import acts_for
from codi.lending.services import LendingError, _require, _user

AGE_GROUPS = ("members_0_14", "members_15_59", "members_60_plus")
AMOUNTS = (
    "contributions",
    "other_income",
    "benefit_birth",
    "benefit_sickness",
    "benefit_old_age",
    "benefit_death",
    "running_costs",
)


# --- Baan Mankong project stages ------------------------------------------------------------


@dataclass(frozen=True)
class StageRow:
    phase: str
    label: str
    planned_on: date | None
    reached_on: date | None
    note: str
    is_current: bool


def stage_plan(
    *, actor: Any, project: HousingProject, phase: str, planned_on: date, note: str = ""
) -> ProjectStage:
    """Set (or move) a stage's planned date; a reached stage keeps its planned date."""
    _require(actor, Perm.LENDING_MANAGE, project.subdistrict_id)
    if phase not in Phase.values:
        raise LendingError("ขั้นตอนโครงการไม่ถูกต้อง", "Unknown project stage")
    with transaction.atomic():
        row = ProjectStage.objects.select_for_update().filter(project=project, phase=phase).first()
        if row is not None and row.reached_on is not None:
            raise LendingError("ขั้นตอนนี้ดำเนินการแล้ว แก้วันที่วางแผนไม่ได้",
                               "This stage is reached; its planned date cannot change")  # fmt: skip
        row, _created = ProjectStage.objects.update_or_create(
            project=project, phase=phase, defaults={"planned_on": planned_on, "note": note.strip()[:300]}
        )
        audit_record(actor=actor, action="lending.project_stage_plan", object_type="lending.HousingProject",
                     object_id=project.pk, changes={"phase": phase, "planned_on": planned_on.isoformat()})  # fmt: skip
    return row


def stage_reach(
    *,
    actor: Any,
    project: HousingProject,
    phase: str,
    reached_on: date,
    note: str = "",
    document_id: int | None = None,
) -> ProjectStage:
    """Record that a stage was reached (module docstring: in order, not in the future)."""
    _require(actor, Perm.LENDING_MANAGE, project.subdistrict_id)
    if phase not in Phase.values:
        raise LendingError("ขั้นตอนโครงการไม่ถูกต้อง", "Unknown project stage")
    if reached_on > timezone.localdate():
        raise LendingError("วันที่ดำเนินการต้องไม่เป็นวันในอนาคต", "The date reached cannot be in the future")
    index = PHASE_ORDER.index(Phase(phase))
    with transaction.atomic():
        HousingProject.objects.select_for_update().filter(pk=project.pk).first()  # one writer a project
        rows = {r.phase: r for r in ProjectStage.objects.filter(project=project)}
        current = rows.get(phase)
        if current is not None and current.reached_on is not None:
            if current.reached_on == reached_on:
                return current  # a retried request
            raise LendingError("ขั้นตอนนี้บันทึกว่าดำเนินการแล้ว", "This stage is already reached")
        for earlier in PHASE_ORDER[:index]:
            row = rows.get(earlier)
            if row is None or row.reached_on is None:
                raise LendingError(
                    f"ต้องผ่านขั้นตอน{Phase(earlier).label}ก่อน",
                    f"The stage {earlier} must be reached first",
                )
        previous = rows.get(PHASE_ORDER[index - 1]) if index else None
        if previous is not None and previous.reached_on and reached_on < previous.reached_on:
            raise LendingError("วันที่ดำเนินการต้องไม่ก่อนขั้นตอนก่อนหน้า",
                               "A stage cannot be reached before the previous one")  # fmt: skip
        if phase == Phase.LOAN and (
            project.loan is None
            or project.loan.disbursed_on is None
            or project.loan.status not in (LoanStatus.ACTIVE, LoanStatus.CLOSED)
        ):
            raise LendingError("ขั้นตอนสินเชื่อต้องมีสินเชื่อที่อยู่อาศัยที่เบิกจ่ายแล้ว",
                               "The loan stage needs a disbursed housing loan linked to the project")  # fmt: skip
        row, _created = ProjectStage.objects.update_or_create(
            project=project, phase=phase,
            defaults={"reached_on": reached_on, "planned_on": current.planned_on if current else reached_on,
                      "note": note.strip()[:300] or (current.note if current else ""), "document_id": document_id},
        )  # fmt: skip
        audit_record(actor=actor, action="lending.project_stage_reach", object_type="lending.HousingProject",
                     object_id=project.pk, changes={"phase": phase, "reached_on": reached_on.isoformat()})  # fmt: skip
    return row


def current_phase(stages: list[ProjectStage] | QuerySet[ProjectStage]) -> str | None:
    """The first stage not yet reached; ``None`` when handover is reached (complete)."""
    reached = {s.phase for s in stages if s.reached_on is not None}
    return next((str(p) for p in PHASE_ORDER if p not in reached), None)


def stage_rows_with_stages(project: HousingProject) -> list[tuple[StageRow, ProjectStage | None]]:
    """``stage_rows`` with each stage's record (``None`` for a stage not planned yet)."""
    rows = {s.phase: s for s in project.stages.all()}
    return [(row, rows.get(row.phase)) for row in stage_rows(project)]


def stage_rows(project: HousingProject) -> list[StageRow]:
    """The five stages in order with their dates, the current one marked."""
    rows = {s.phase: s for s in project.stages.all()}
    now = current_phase(list(rows.values()))
    return [
        StageRow(phase=str(p), label=str(p.label), planned_on=rows[p].planned_on if p in rows else None,
                 reached_on=rows[p].reached_on if p in rows else None, note=rows[p].note if p in rows else "",
                 is_current=p == now)
        for p in PHASE_ORDER
    ]  # fmt: skip


# --- welfare funds' annual reports ----------------------------------------------------------


def can_file_report(actor: Any, fund: WelfareFund) -> bool:
    """A portal account of the fund's organization, or a credit officer of its area."""
    if acts_for(actor, fund.organization_id):
        return True
    return user_has_perm(actor, Perm.LENDING_MANAGE) and user_can_in_area(
        actor, Perm.LENDING_MANAGE, subdistrict_code=fund.subdistrict_id
    )


def _count(value: Any, field: str) -> int:
    text = str(value).strip().replace(",", "")
    if not text.isdigit() or len(text) > 7:
        raise LendingError(f"จำนวนสมาชิกไม่ถูกต้อง ({field})", f"Invalid number of members ({field})")
    return int(text)


def parse_figures(figures: dict[str, Any]) -> tuple[dict[str, Any], dict[str, LendingError]]:
    """The report's counts and amounts, and the refusal of each field that is not valid."""
    clean: dict[str, Any] = {}
    errors: dict[str, LendingError] = {}
    for key in (*AGE_GROUPS, *AMOUNTS):
        try:
            clean[key] = (
                _count(figures.get(key, ""), key) if key in AGE_GROUPS else _money(figures.get(key, ""))
            )
        except LendingError as exc:
            errors[key] = exc
    return clean, errors


def report_submit(*, actor: Any, fund: WelfareFund, year_be: int, figures: dict[str, Any]) -> WelfareReport:
    """File the fund's report for ``year_be`` (module docstring); ``figures`` holds every field of
    ``AGE_GROUPS`` and ``AMOUNTS``."""
    if not can_file_report(actor, fund):
        raise PermissionDenied
    this_year = timezone.localdate().year + 543
    if not fund.founded_on.year + 543 <= year_be <= this_year:
        raise LendingError(
            f"ปีของรายงานต้องอยู่ระหว่างปีที่ก่อตั้งกองทุน ({fund.founded_on.year + 543}) ถึงปีปัจจุบัน",
            "The report's year must be between the fund's founding year and this year",
        )
    clean, errors = parse_figures(figures)
    if errors:
        raise next(iter(errors.values()))
    if sum(clean[k] for k in AGE_GROUPS) == 0:
        raise LendingError("รายงานต้องมีสมาชิกอย่างน้อยหนึ่งคน", "A report needs at least one member")
    with transaction.atomic():
        filed = WelfareReport.objects.filter(fund=fund, year_be=year_be).first()
        if filed is not None:
            if all(getattr(filed, k) == v for k, v in clean.items()):
                return filed  # the same report sent again
            raise LendingError(f"กองทุนส่งรายงานปี {year_be} แล้ว", f"The report for {year_be} is already filed")
        try:
            with transaction.atomic():
                report = WelfareReport.objects.create(
                    fund=fund, year_be=year_be, submitted_by=_user(actor), **clean
                )
        except IntegrityError:  # a concurrent request filed it first
            raise LendingError(
                f"กองทุนส่งรายงานปี {year_be} แล้ว", f"The report for {year_be} is already filed"
            ) from None
        audit_record(actor=actor, action="lending.welfare_report_submit", object_type="lending.WelfareFund",
                     object_id=fund.pk, changes={"year": year_be, **{k: str(v) for k, v in clean.items()}})  # fmt: skip
    return report


def fund_reports(fund: WelfareFund) -> QuerySet[WelfareReport]:
    return fund.reports.order_by("-year_be")


def report_for(fund: WelfareFund, year_be: int) -> WelfareReport | None:
    return WelfareReport.objects.filter(fund=fund, year_be=year_be).first()


def age_shares(report: WelfareReport) -> dict[str, Decimal]:
    """Percent of members in each age group, two decimals (0 for an empty report)."""
    total = report.members
    return {
        k: (Decimal(getattr(report, k)) * 100 / total).quantize(Decimal("0.01")) if total else Decimal("0.00")
        for k in AGE_GROUPS
    }
