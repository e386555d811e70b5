"""Writes of community projects (CODI PMS): programs, budget lines, the project process, money, reports.

Every function takes keyword-only arguments and an ``actor``, checks the actor's role
and area scope itself (``PermissionDenied``), validates, then writes in one transaction
together with its audit entry. A refused change raises ``ProjectError`` before anything
is written (or inside the transaction, which then rolls back): nothing is half-written.

``ProjectError`` is a ``ValidationError`` whose message is Thai; the English text is in
``error.message_en`` (also ``error.params["en"]``) and ``error.code`` names the rule
(e.g. ``"below_disbursed"``, ``"insufficient_balance"``), so pages show Thai and the API
can give both.

Money moves lock rows in one order — project, installment, budget line — with
``select_for_update`` so concurrent requests queue instead of paying twice. The budget
line's running totals (committed, disbursed, returned) always equal the sums of the rows:
committed = live planned installments of approved projects, disbursed = disbursements,
returned = fund returns.

Process transitions go through ``codi.projects.workflow`` (SpiffWorkflow); notifications
(in-app + e-mail) are sent after commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from codi.areas.models import Region, Subdistrict
from codi.areas.selectors import province_region_code
from codi.communities.models import Organization, Person
from codi.core.audit import audit_record
from codi.identity.models import User
from codi.identity.roles import Perm, ScopeLevel
from codi.identity.selectors import user_can_in_area, user_grants, user_has_perm
from codi.projects import workflow
from codi.projects.exif import photo_metadata
from codi.projects.models import (
    ZERO,
    Activity,
    BeneficiaryGroup,
    BudgetCategory,
    BudgetItem,
    BudgetLine,
    Disbursement,
    ExpenseLine,
    FundReturn,
    Indicator,
    IndicatorPeriod,
    Installment,
    InstallmentStatus,
    PortalAccount,
    Program,
    ProgramKind,
    ProgressReport,
    Project,
    ProjectArea,
    ProjectOrganization,
    ProjectStatus,
    ProjectStep,
    ReportIndicatorValue,
    ReportPhoto,
    ReportStatus,
    Result,
)

CENT = Decimal("0.01")
MAX_MONEY = Decimal("999999999999.99")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
FINISHED = frozenset({ProjectStatus.CLOSED, ProjectStatus.REJECTED, ProjectStatus.CANCELLED})
EDITABLE_STEP = "draft"

# Program-specific fields (``Project.type_details``): name → (type, required at submission).
TYPE_FIELDS: dict[str, dict[str, tuple[type, bool]]] = {
    ProgramKind.HOUSING: {
        "housing_units": (int, True),
        "land_tenure": (str, True),
        "land_area_rai": (Decimal, False),
    },
    ProgramKind.WELFARE: {"members": (int, True), "benefits": (str, False), "fund_balance": (Decimal, False)},
}


class ProjectError(ValidationError):
    """A refused change: Thai message, English in ``message_en``, the rule in ``code``."""

    def __init__(self, message_th: str, message_en: str, *, code: str) -> None:
        super().__init__(message_th, code=code, params={"en": message_en})
        self.message_th = message_th
        self.message_en = message_en

    def __reduce__(self) -> tuple[Any, tuple[str, str, str]]:
        # copy/deepcopy/pickle (forms copy errors) rebuild through the keyword-only signature
        return (_project_error, (self.message_th, self.message_en, str(self.code)))


def _project_error(message_th: str, message_en: str, code: str) -> ProjectError:
    return ProjectError(message_th, message_en, code=code)


# --- inputs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstallmentPlan:
    amount: Decimal
    conditions: str = ""
    due_date: date | None = None


@dataclass(frozen=True)
class ActivityInput:
    title: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class TargetInput:
    period_start: date
    period_end: date
    target: Decimal


@dataclass(frozen=True)
class IndicatorInput:
    name: str
    unit: str
    code: str = ""
    baseline: Decimal = ZERO
    targets: Sequence[TargetInput] = ()


@dataclass(frozen=True)
class ResultInput:
    title: str
    indicators: Sequence[IndicatorInput] = ()


@dataclass(frozen=True)
class BudgetItemInput:
    category: str
    description: str
    amount: Decimal


@dataclass(frozen=True)
class BeneficiaryInput:
    group: str
    households: int = 0
    persons: int = 0


@dataclass(frozen=True)
class ExpenseInput:
    spent_on: date
    description: str
    category: str
    amount: Decimal
    receipt: UploadedFile | None = None


@dataclass(frozen=True)
class PhotoInput:
    image: UploadedFile
    caption: str = ""


@dataclass
class _Pending:
    """Notifications to send once the transaction commits."""

    steps: list[ProjectStep] = field(default_factory=list)


T = TypeVar("T")


def _coerce(cls: type[T], item: object) -> T:
    """Accept the dataclass itself or a mapping of its fields (imports and forms pass dicts)."""
    if isinstance(item, cls):
        return item
    if isinstance(item, Mapping):
        data = dict(item)
        if cls is ResultInput and "indicators" in data:
            data["indicators"] = [_coerce(IndicatorInput, i) for i in data["indicators"]]
        if cls is IndicatorInput and "targets" in data:
            data["targets"] = [_coerce(TargetInput, t) for t in data["targets"]]
        try:
            return cls(**data)
        except TypeError as exc:
            raise ProjectError(
                f"ข้อมูลไม่ครบหรือไม่ถูกต้อง: {exc}", f"Incomplete or wrong data: {exc}", code="bad_input"
            ) from exc
    raise ProjectError("ข้อมูลไม่ถูกต้อง", f"Wrong input type {type(item).__name__}", code="bad_input")


# --- checks --------------------------------------------------------------------------------------


def _money(value: object, *, label_th: str, label_en: str, allow_zero: bool = False) -> Decimal:
    if isinstance(value, float):
        raise ProjectError(
            f"{label_th}: ต้องเป็นตัวเลขทศนิยมแบบ Decimal",
            f"{label_en}: money must be a Decimal",
            code="money_type",
        )
    try:
        amount = Decimal(str(value)).quantize(CENT) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise ProjectError(
            f"{label_th}: ไม่ใช่จำนวนเงิน", f"{label_en}: not an amount", code="money_invalid"
        ) from None
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ProjectError(
            f"{label_th}: ทศนิยมได้ไม่เกิน 2 ตำแหน่ง",
            f"{label_en}: at most 2 decimal places",
            code="money_precision",
        )
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ProjectError(
            f"{label_th}: ต้องมากกว่าศูนย์", f"{label_en}: must be more than zero", code="money_not_positive"
        )
    if amount > MAX_MONEY:
        raise ProjectError(
            f"{label_th}: จำนวนเงินสูงเกินไป", f"{label_en}: amount too large", code="money_too_large"
        )
    return amount


def _text(value: str, *, label_th: str, label_en: str, max_length: int = 0) -> str:
    text = (value or "").strip()
    if not text:
        raise ProjectError(f"กรุณากรอก{label_th}", f"{label_en} is required", code="required")
    if max_length and len(text) > max_length:
        raise ProjectError(
            f"{label_th}ยาวเกิน {max_length} ตัวอักษร",
            f"{label_en} is longer than {max_length} characters",
            code="too_long",
        )
    return text


def _deny(message: str = "ไม่มีสิทธิ์ทำรายการนี้ในพื้นที่ของโครงการ") -> PermissionDenied:
    return PermissionDenied(message)


def _require(actor: User, perm: str, project: Project) -> None:
    if not user_can_in_area(actor, perm, subdistrict_code=project.subdistrict_id):
        raise _deny()


def is_portal_member(actor: User, project: Project) -> bool:
    """Whether the actor acts, in the portal, for the project's lead or a partner organization."""
    if not user_has_perm(actor, Perm.PROJECTS_VIEW):
        return False
    organizations = {project.lead_organization_id}
    if project.pk:
        organizations |= set(project.partner_links.values_list("organization_id", flat=True))
    return PortalAccount.objects.filter(user_id=actor.pk, organization_id__in=organizations).exists()


def _require_community_or_officer(actor: User, project: Project) -> None:
    """Community steps: a portal account of the organization, or a project officer of the area."""
    if user_can_in_area(actor, Perm.PROJECTS_MANAGE, subdistrict_code=project.subdistrict_id):
        return
    if is_portal_member(actor, project):
        return
    raise _deny()


def _can_in_region(actor: User, perm: str, region_code: str) -> bool:
    for grant in user_grants(actor):
        if perm not in grant.permissions:
            continue
        if grant.scope_level == ScopeLevel.COUNTRY:
            return True
        if grant.scope_level == ScopeLevel.REGION and grant.scope_code == region_code:
            return True
    return False


def _lock_project(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("program").get(pk=project.pk)


def _region_of(subdistrict_code: str) -> str:
    region = province_region_code(province_code=subdistrict_code[:2])
    if region is None:
        raise ProjectError(
            "ไม่พบภาคของตำบลนี้", f"No CODI region for subdistrict {subdistrict_code}", code="no_region"
        )
    return region


def _at_step(project: Project, step: str) -> None:
    if project.status in FINISHED:
        raise ProjectError(
            "โครงการนี้ปิด/ยกเลิก/ไม่อนุมัติแล้ว ทำรายการไม่ได้",
            f"The project is {project.status}; nothing more can be done on it",
            code="project_finished",
        )
    if project.current_step != step:
        raise ProjectError(
            f"โครงการไม่ได้อยู่ในขั้นตอน {workflow.STEPS[step].name_th} (ขั้นตอนปัจจุบัน: {project.current_step or '-'})",
            f"The project is not at step '{workflow.STEPS[step].name_en}' (now: {project.current_step or '-'})",
            code="wrong_step",
        )


def _advance(
    project: Project,
    *,
    task_key: str,
    data: dict[str, Any],
    actor: User | None,
    outcome: str,
    comment: str = "",
    pending: _Pending,
) -> None:
    try:
        opened = workflow.workflow_complete(
            project, task_key=task_key, data=data, actor=actor, outcome=outcome, comment=comment
        )
    except workflow.WorkflowStepError:
        raise ProjectError(
            "ขั้นตอนของโครงการไม่ตรงกับรายการนี้", f"The project is not at step {task_key}", code="wrong_step"
        ) from None
    pending.steps.extend(opened)
    # Nothing left to pay (a reduction cancelled the remaining installments): skip the payment step.
    if project.current_step == "disburse" and not _planned(project).exists():
        _advance(
            project,
            task_key="disburse",
            data={"more_installments": False},
            actor=None,
            outcome="skipped",
            comment="no installment left to pay",
            pending=pending,
        )


def _after_commit(pending: _Pending, *extra: tuple[str, Project, dict[str, Any]]) -> None:
    """Queue the notifications of this change; they go out only if and after it commits."""
    steps = [s.pk for s in pending.steps]
    events = [[key, p.pk, {k: str(v) for k, v in ctx.items()}] for key, p, ctx in extra]
    if steps or events:
        transaction.on_commit(lambda: _enqueue_notifications(steps, events), robust=True)


def _enqueue_notifications(steps: list[int], events: list[list[Any]]) -> None:
    from codi.projects.tasks import notify_project_task

    notify_project_task.enqueue(step_ids=steps, events=events)


def _enqueue_overdue(step_ids: list[int]) -> None:
    from codi.projects.tasks import notify_overdue_task

    notify_overdue_task.enqueue(step_ids=step_ids)


def _locked_line(project: Project) -> BudgetLine:
    if project.budget_line_id is None:
        raise ProjectError(
            "โครงการนี้ยังไม่มีวงเงินงบประมาณ", "The project has no budget line yet", code="no_budget_line"
        )
    return BudgetLine.objects.select_for_update().get(pk=project.budget_line_id)


def _planned(project: Project) -> Any:
    return Installment.objects.filter(project=project, status=InstallmentStatus.PLANNED)


def _save_project(project: Project) -> None:
    project.save()


# --- programs and budget lines ---------------------------------------------------------------------


def program_create(*, actor: User, code: str, kind: str, name_th: str, name_en: str = "") -> Program:
    if not _can_in_region(actor, Perm.PROJECTS_MANAGE, region_code=""):
        raise _deny("ต้องมีสิทธิ์จัดการโครงการทั่วประเทศ")
    code = _text(code, label_th="รหัสแผนงาน", label_en="Program code", max_length=20).upper()
    name_th = _text(name_th, label_th="ชื่อแผนงาน", label_en="Program name", max_length=200)
    if kind not in ProgramKind.values:
        raise ProjectError("ประเภทแผนงานไม่ถูกต้อง", f"Unknown program kind {kind!r}", code="bad_kind")
    with transaction.atomic():
        if Program.objects.filter(code=code).exists():
            raise ProjectError(f"มีรหัสแผนงาน {code} อยู่แล้ว", f"Program code {code} exists", code="duplicate")
        program = Program.objects.create(code=code, kind=kind, name_th=name_th, name_en=name_en.strip())
        audit_record(
            actor=actor,
            action="projects.program.create",
            object_type="projects.program",
            object_id=program.pk,
            changes={"code": code, "kind": kind, "name_th": name_th},
        )
    return program


def budget_line_allocate(
    *, actor: User, program: Program, region_code: str, fiscal_year: int, amount: Decimal
) -> BudgetLine:
    """Set the allocation of (program, region, fiscal year); never below what is already used."""
    if not (
        _can_in_region(actor, Perm.PROJECTS_MANAGE, region_code)
        or _can_in_region(actor, Perm.PROJECTS_DISBURSE, region_code)
    ):
        raise _deny()
    amount = _money(amount, label_th="วงเงินจัดสรร", label_en="Allocation", allow_zero=True)
    _fiscal_year(fiscal_year)
    if not Region.objects.filter(code=region_code).exists():
        raise ProjectError("ไม่พบภาค", f"Unknown region {region_code!r}", code="bad_region")
    with transaction.atomic():
        line = (
            BudgetLine.objects.select_for_update()
            .filter(program=program, region_id=region_code, fiscal_year=fiscal_year)
            .first()
        )
        old = line.allocated if line else None
        if line is None:
            line = BudgetLine.objects.create(
                program=program, region_id=region_code, fiscal_year=fiscal_year, allocated=amount
            )
        else:
            used = line.committed + line.disbursed - line.returned
            if amount < used:
                raise ProjectError(
                    f"วงเงินจัดสรรต่ำกว่ายอดที่ผูกพันและเบิกจ่ายแล้ว ({used:,.2f} บาท) ไม่ได้",
                    f"The allocation cannot be below what is committed and paid ({used:,.2f} baht)",
                    code="below_used",
                )
            line.allocated = amount
            line.save(update_fields=["allocated"])
        audit_record(
            actor=actor,
            action="projects.budget_line.allocate",
            object_type="projects.budgetline",
            object_id=line.pk,
            changes={
                "allocated": [old, amount],
                "program": program.code,
                "region": region_code,
                "fy": fiscal_year,
            },
        )
    return line


def _fiscal_year(value: int) -> int:
    if not isinstance(value, int) or not 2500 <= value <= 2700:
        raise ProjectError(
            "ปีงบประมาณต้องเป็นปีพุทธศักราช เช่น 2568",
            "The fiscal year must be a Buddhist-Era year such as 2568",
            code="bad_fiscal_year",
        )
    return value


# --- proposals -----------------------------------------------------------------------------------

_UPDATABLE = frozenset(
    {
        "title",
        "rationale",
        "objectives",
        "start_date",
        "end_date",
        "requested_amount",
        "households",
        "persons",
        "type_details",
        "co_funding_amount",
        "co_funding_source",
        "contact_person",
        "extra_subdistricts",
        "partner_organizations",
        "activities",
        "results",
        "budget_items",
        "beneficiary_groups",
    }
)


def _clean_type_details(kind: str, details: Mapping[str, Any] | None, *, strict: bool) -> dict[str, Any]:
    allowed = TYPE_FIELDS.get(kind, {})
    cleaned: dict[str, Any] = {}
    for key, value in (details or {}).items():
        if key not in allowed:
            raise ProjectError(
                f"แผนงานนี้ไม่มีข้อมูลเฉพาะ '{key}'",
                f"This program has no specific field '{key}'",
                code="type_field",
            )
        kind_type = allowed[key][0]
        try:
            if kind_type is int:
                number = int(value)
                if number < 0:
                    raise ValueError
                cleaned[key] = number
            elif kind_type is Decimal:
                cleaned[key] = str(Decimal(str(value)))
            else:
                cleaned[key] = str(value).strip()
        except (ValueError, InvalidOperation):
            raise ProjectError(
                f"ข้อมูลเฉพาะ '{key}' ไม่ถูกต้อง",
                f"Program-specific field '{key}' is not valid",
                code="type_field",
            ) from None
    if strict:
        missing = [k for k, (_t, required) in allowed.items() if required and cleaned.get(k) in (None, "")]
        if missing:
            raise ProjectError(
                f"กรุณากรอกข้อมูลเฉพาะของแผนงาน: {', '.join(missing)}",
                f"Program-specific fields are required: {', '.join(missing)}",
                code="type_field_missing",
            )
    return cleaned


@dataclass
class _Children:
    activities: list[ActivityInput] | None = None
    results: list[ResultInput] | None = None
    budget_items: list[BudgetItemInput] | None = None
    beneficiary_groups: list[BeneficiaryInput] | None = None
    extra_subdistricts: list[str] | None = None
    partner_organizations: list[Organization] | None = None


def _clean_children(raw: Mapping[str, Any]) -> _Children:
    children = _Children()
    if "activities" in raw:
        children.activities = [_coerce(ActivityInput, a) for a in raw["activities"]]
        for activity in children.activities:
            _text(activity.title, label_th="ชื่อกิจกรรม", label_en="Activity", max_length=300)
            if not isinstance(activity.start_date, date) or not isinstance(activity.end_date, date):
                raise ProjectError(
                    f"กิจกรรม '{activity.title}': กรุณาระบุวันเริ่มและวันสิ้นสุด",
                    f"Activity '{activity.title}': give its start and end dates",
                    code="dates_missing",
                )
            if activity.end_date < activity.start_date:
                raise ProjectError(
                    f"กิจกรรม '{activity.title}': วันสิ้นสุดก่อนวันเริ่ม",
                    f"Activity '{activity.title}' ends before it starts",
                    code="dates_order",
                )
    if "results" in raw:
        children.results = [_coerce(ResultInput, r) for r in raw["results"]]
        for result in children.results:
            _text(result.title, label_th="ผลลัพธ์", label_en="Result", max_length=300)
            for indicator in result.indicators:
                _text(indicator.name, label_th="ตัวชี้วัด", label_en="Indicator", max_length=300)
                for target in indicator.targets:
                    if not isinstance(target.period_start, date) or not isinstance(target.period_end, date):
                        raise ProjectError(
                            "กรุณาระบุช่วงเวลาของเป้าหมาย", "Give the target's period", code="dates_missing"
                        )
                    if target.period_end < target.period_start:
                        raise ProjectError(
                            "ช่วงเวลาของเป้าหมายไม่ถูกต้อง",
                            "A target period ends before it starts",
                            code="dates_order",
                        )
    if "budget_items" in raw:
        children.budget_items = [_coerce(BudgetItemInput, b) for b in raw["budget_items"]]
        for item in children.budget_items:
            if item.category not in BudgetCategory.values:
                raise ProjectError(
                    "หมวดงบประมาณไม่ถูกต้อง", f"Unknown budget category {item.category!r}", code="bad_category"
                )
            _money(item.amount, label_th="งบประมาณรายการ", label_en="Budget item")
    if "beneficiary_groups" in raw:
        children.beneficiary_groups = [_coerce(BeneficiaryInput, b) for b in raw["beneficiary_groups"]]
        for group in children.beneficiary_groups:
            if group.group not in BeneficiaryGroup.Group.values:
                raise ProjectError("กลุ่มผู้รับประโยชน์ไม่ถูกต้อง", f"Unknown group {group.group!r}", code="bad_group")
            if group.households < 0 or group.persons < 0:
                raise ProjectError("จำนวนต้องไม่ติดลบ", "Counts cannot be negative", code="negative")
    if "extra_subdistricts" in raw:
        codes = [str(c) for c in raw["extra_subdistricts"]]
        found = set(Subdistrict.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ProjectError(
                f"ไม่พบรหัสตำบล {', '.join(unknown)}",
                f"Unknown subdistricts {', '.join(unknown)}",
                code="bad_area",
            )
        children.extra_subdistricts = codes
    if "partner_organizations" in raw:
        children.partner_organizations = list(raw["partner_organizations"])
    return children


def _write_children(project: Project, children: _Children) -> None:
    if children.activities is not None:
        project.activities.all().delete()
        Activity.objects.bulk_create(
            Activity(
                project=project, title=a.title.strip(), start_date=a.start_date, end_date=a.end_date, order=i
            )
            for i, a in enumerate(children.activities)
        )
    if children.results is not None:
        IndicatorPeriod.objects.filter(indicator__result__project=project).delete()
        Indicator.objects.filter(result__project=project).delete()
        project.results.all().delete()
        for i, r in enumerate(children.results):
            result = Result.objects.create(project=project, title=r.title.strip(), order=i)
            for ind in r.indicators:
                indicator = Indicator.objects.create(
                    result=result, code=ind.code, name=ind.name.strip(), unit=ind.unit, baseline=ind.baseline
                )
                IndicatorPeriod.objects.bulk_create(
                    IndicatorPeriod(
                        indicator=indicator,
                        period_start=t.period_start,
                        period_end=t.period_end,
                        target=t.target,
                    )
                    for t in ind.targets
                )
    if children.budget_items is not None:
        project.budget_items.all().delete()
        BudgetItem.objects.bulk_create(
            BudgetItem(
                project=project, category=b.category, description=b.description.strip(), amount=b.amount
            )
            for b in children.budget_items
        )
    if children.beneficiary_groups is not None:
        project.beneficiary_groups.all().delete()
        BeneficiaryGroup.objects.bulk_create(
            BeneficiaryGroup(project=project, group=b.group, households=b.households, persons=b.persons)
            for b in children.beneficiary_groups
        )
    if children.extra_subdistricts is not None:
        project.areas.exclude(subdistrict_id=project.subdistrict_id).delete()
        ProjectArea.objects.bulk_create(
            [
                ProjectArea(project=project, subdistrict_id=code)
                for code in dict.fromkeys(children.extra_subdistricts)
                if code != project.subdistrict_id
            ],
            ignore_conflicts=True,
        )
    if children.partner_organizations is not None:
        project.partner_links.all().delete()
        ProjectOrganization.objects.bulk_create(
            ProjectOrganization(project=project, organization=o)
            for o in {
                o.pk: o for o in children.partner_organizations if o.pk != project.lead_organization_id
            }.values()
        )


def _check_scalar_fields(project: Project) -> None:
    project.title = _text(project.title, label_th="ชื่อโครงการ", label_en="Title", max_length=300)
    project.requested_amount = _money(
        project.requested_amount, label_th="งบประมาณที่ขอ", label_en="Requested amount"
    )
    project.co_funding_amount = _money(
        project.co_funding_amount, label_th="เงินสมทบ", label_en="Co-funding", allow_zero=True
    )
    if project.start_date and project.end_date and project.end_date < project.start_date:
        raise ProjectError("วันสิ้นสุดโครงการก่อนวันเริ่ม", "The project ends before it starts", code="dates_order")
    if project.households < 0 or project.persons < 0:
        raise ProjectError("จำนวนต้องไม่ติดลบ", "Counts cannot be negative", code="negative")


def project_create(
    *,
    actor: User,
    program: Program,
    lead_organization: Organization,
    subdistrict_code: str,
    title: str,
    requested_amount: Decimal,
    fiscal_year: int,
    rationale: str = "",
    objectives: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    extra_subdistricts: Iterable[str] = (),
    partner_organizations: Iterable[Organization] = (),
    contact_person: Person | None = None,
    households: int = 0,
    persons: int = 0,
    type_details: Mapping[str, Any] | None = None,
    activities: Sequence[ActivityInput | Mapping[str, Any]] = (),
    results: Sequence[ResultInput | Mapping[str, Any]] = (),
    budget_items: Sequence[BudgetItemInput | Mapping[str, Any]] = (),
    beneficiary_groups: Sequence[BeneficiaryInput | Mapping[str, Any]] = (),
    co_funding_amount: Decimal = ZERO,
    co_funding_source: str = "",
    is_demo: bool = False,
) -> Project:
    """A new proposal in draft; its process starts at the draft step (the community's task)."""
    if not Subdistrict.objects.filter(code=subdistrict_code).exists():
        raise ProjectError("ไม่พบรหัสตำบล", f"Unknown subdistrict {subdistrict_code!r}", code="bad_area")
    if not program.is_active:
        raise ProjectError(
            "แผนงานนี้ปิดรับข้อเสนอแล้ว", "This program takes no more proposals", code="program_closed"
        )
    _fiscal_year(fiscal_year)
    project = Project(
        code=f"NEW-{uuid.uuid4().hex[:24]}",
        program=program,
        fiscal_year=fiscal_year,
        subdistrict_id=subdistrict_code,
        lead_organization=lead_organization,
        contact_person=contact_person,
        title=title,
        rationale=rationale.strip(),
        objectives=objectives.strip(),
        start_date=start_date,
        end_date=end_date,
        requested_amount=requested_amount,
        co_funding_amount=co_funding_amount,
        co_funding_source=co_funding_source.strip(),
        households=households,
        persons=persons,
        type_details=_clean_type_details(program.kind, type_details, strict=False),
        is_demo=is_demo,
        created_by=actor,
    )
    _require_community_or_officer(actor, project)
    _check_scalar_fields(project)
    children = _clean_children(
        {
            "activities": activities,
            "results": results,
            "budget_items": budget_items,
            "beneficiary_groups": beneficiary_groups,
            "extra_subdistricts": extra_subdistricts,
            "partner_organizations": partner_organizations,
        }
    )
    pending = _Pending()
    with transaction.atomic():
        project.budget_line = BudgetLine.objects.filter(
            program=program, region_id=_region_of(subdistrict_code), fiscal_year=fiscal_year
        ).first()
        project.save()
        project.code = f"P{fiscal_year}-{project.pk:06d}"
        ProjectArea.objects.create(project=project, subdistrict_id=subdistrict_code)
        _write_children(project, children)
        pending.steps.extend(workflow.workflow_start(project, actor=actor))
        project.save()
        audit_record(
            actor=actor,
            action="projects.project.create",
            object_type="projects.project",
            object_id=project.pk,
            changes={
                "code": project.code,
                "title": project.title,
                "requested_amount": project.requested_amount,
                "subdistrict": subdistrict_code,
                "organization": lead_organization.pk,
                "contact_person": contact_person.pk if contact_person else None,
            },
            personal_fields=("contact_person",),
        )
        _after_commit(pending)
    return project


def project_update(*, actor: User, project: Project, **fields: Any) -> Project:
    """Change a proposal while it is a draft or returned for revision (lists are replaced whole)."""
    unknown = set(fields) - _UPDATABLE
    if unknown:
        raise ProjectError(
            f"แก้ไขข้อมูลนี้ไม่ได้: {', '.join(sorted(unknown))}",
            f"These fields cannot be changed: {', '.join(sorted(unknown))}",
            code="bad_field",
        )
    _require_community_or_officer(actor, project)
    with transaction.atomic():
        project = _lock_project(project)
        _at_step(project, EDITABLE_STEP)
        changes: dict[str, Any] = {}
        for name in (
            "title",
            "rationale",
            "objectives",
            "start_date",
            "end_date",
            "requested_amount",
            "households",
            "persons",
            "co_funding_amount",
            "co_funding_source",
            "contact_person",
        ):
            if name in fields:
                old = getattr(project, name)
                setattr(project, name, fields[name])
                new = getattr(project, name)
                if old != new:
                    changes[name] = [getattr(old, "pk", old), getattr(new, "pk", new)]
        if "type_details" in fields:
            project.type_details = _clean_type_details(
                project.program.kind, fields["type_details"], strict=False
            )
            changes["type_details"] = project.type_details
        _check_scalar_fields(project)
        children = _clean_children(fields)
        project.save()
        _write_children(project, children)
        for name in (
            "activities",
            "results",
            "budget_items",
            "beneficiary_groups",
            "extra_subdistricts",
            "partner_organizations",
        ):
            if name in fields:
                changes[name] = "replaced"
        audit_record(
            actor=actor,
            action="projects.project.update",
            object_type="projects.project",
            object_id=project.pk,
            changes=changes,
            personal_fields=("contact_person",),
        )
    return project


def project_submit(*, actor: User, project: Project) -> Project:
    """Send the proposal (first time or after revision) to the project officer's screening."""
    _require_community_or_officer(actor, project)
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        _at_step(project, EDITABLE_STEP)
        _check_scalar_fields(project)
        items_total = project.budget_items.aggregate(total=Sum("amount"))["total"]
        if items_total is not None and items_total != project.requested_amount:
            raise ProjectError(
                f"ยอดรวมงบประมาณรายหมวด ({items_total:,.2f}) ไม่เท่ากับงบประมาณที่ขอ ({project.requested_amount:,.2f})",
                f"The budget items total ({items_total:,.2f}) differs from the requested amount "
                f"({project.requested_amount:,.2f})",
                code="budget_items_total",
            )
        _clean_type_details(project.program.kind, project.type_details, strict=True)
        first = project.submitted_at is None
        project.submitted_at = timezone.now()
        _advance(project, task_key="draft", data={}, actor=actor, outcome="submitted", pending=pending)
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.project.submit",
            object_type="projects.project",
            object_id=project.pk,
            changes={"status": project.status, "resubmission": not first},
        )
        _after_commit(pending)
    return project


def _review(
    *,
    actor: User,
    project: Project,
    perm: str,
    step: str,
    variable: str,
    decision: str,
    allowed: tuple[str, ...],
    comment: str,
    action: str,
    extra_data: dict[str, Any] | None = None,
    before_advance: Any = None,
) -> Project:
    _require(actor, perm, project)
    if decision not in allowed:
        raise ProjectError(
            "ผลการพิจารณาไม่ถูกต้อง", f"Decision must be one of {', '.join(allowed)}", code="bad_decision"
        )
    comment = (comment or "").strip()
    if decision in ("revise", "reject", "return") and not comment:
        raise ProjectError(
            "กรุณาระบุเหตุผลหรือสิ่งที่ต้องแก้ไข", "Give the reason or what must be revised", code="comment_required"
        )
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        _at_step(project, step)
        if before_advance is not None:
            before_advance(project)
        _advance(
            project,
            task_key=step,
            data={variable: decision, **(extra_data or {})},
            actor=actor,
            outcome=decision,
            comment=comment,
            pending=pending,
        )
        _save_project(project)
        audit_record(
            actor=actor,
            action=action,
            object_type="projects.project",
            object_id=project.pk,
            changes={"decision": decision, "comment": comment, "status": project.status},
        )
        events: list[tuple[str, Project, dict[str, Any]]] = []
        if decision in ("revise", "return"):
            events.append(("projects.returned", project, {"comment": comment, "step": step}))
        _after_commit(pending, *events)
    return project


def project_screen(
    *, actor: User, project: Project, decision: Literal["pass", "revise", "reject"], comment: str = ""
) -> Project:
    return _review(
        actor=actor,
        project=project,
        perm=Perm.PROJECTS_MANAGE,
        step="screening",
        variable="screening_decision",
        decision=decision,
        allowed=("pass", "revise", "reject"),
        comment=comment,
        action="projects.project.screen",
    )


def project_committee_review(
    *, actor: User, project: Project, decision: Literal["recommend", "revise", "reject"], comment: str = ""
) -> Project:
    return _review(
        actor=actor,
        project=project,
        perm=Perm.PROJECTS_APPROVE,
        step="committee",
        variable="committee_decision",
        decision=decision,
        allowed=("recommend", "revise", "reject"),
        comment=comment,
        action="projects.project.committee_review",
    )


def project_approve(
    *,
    actor: User,
    project: Project,
    decision: Literal["approve", "revise", "reject"],
    approved_amount: Decimal | None = None,
    reduction_reason: str = "",
    installments: Sequence[InstallmentPlan | Mapping[str, Any]] = (),
    comment: str = "",
) -> Project:
    """Approve (commit the amount on the budget line, plan the installments), return or reject."""
    if decision != "approve":
        return _review(
            actor=actor,
            project=project,
            perm=Perm.PROJECTS_APPROVE,
            step="approval",
            variable="approval_decision",
            decision=decision,
            allowed=("approve", "revise", "reject"),
            comment=comment,
            action="projects.project.approve",
        )
    _require(actor, Perm.PROJECTS_APPROVE, project)
    plans = [_coerce(InstallmentPlan, p) for p in installments]
    reduction_reason = (reduction_reason or "").strip()
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        _at_step(project, "approval")
        amount = _money(
            project.requested_amount if approved_amount is None else approved_amount,
            label_th="วงเงินอนุมัติ",
            label_en="Approved amount",
        )
        if amount > project.requested_amount:
            raise ProjectError(
                f"วงเงินอนุมัติ ({amount:,.2f}) เกินวงเงินที่ขอ ({project.requested_amount:,.2f})",
                f"The approved amount ({amount:,.2f}) exceeds the requested amount ({project.requested_amount:,.2f})",
                code="above_requested",
            )
        if amount < project.requested_amount and not reduction_reason:
            raise ProjectError(
                "อนุมัติน้อยกว่าที่ขอ ต้องระบุเหตุผลการปรับลดวงเงิน",
                "A reduced amount needs a reason",
                code="reduction_reason_required",
            )
        if not plans:
            plans = [InstallmentPlan(amount=amount)]
        for plan in plans:
            _money(plan.amount, label_th="เงินงวด", label_en="Installment")
        total = sum((p.amount for p in plans), ZERO)
        if total != amount:
            raise ProjectError(
                f"ยอดรวมเงินงวด ({total:,.2f}) ไม่เท่ากับวงเงินอนุมัติ ({amount:,.2f})",
                f"The installments total ({total:,.2f}) differs from the approved amount ({amount:,.2f})",
                code="installments_total",
            )
        line = (
            BudgetLine.objects.select_for_update()
            .filter(
                program_id=project.program_id,
                region_id=_region_of(project.subdistrict_id),
                fiscal_year=project.fiscal_year,
            )
            .first()
        )
        if line is None:
            raise ProjectError(
                "ยังไม่มีวงเงินจัดสรรของแผนงานนี้ในภาคและปีงบประมาณนี้",
                "No budget line for this program, region and fiscal year",
                code="no_budget_line",
            )
        if line.available < amount:
            raise ProjectError(
                f"วงเงินคงเหลือไม่พอ (คงเหลือ {line.available:,.2f} บาท)",
                f"Not enough balance on the budget line ({line.available:,.2f} baht left)",
                code="insufficient_balance",
            )
        line.committed += amount
        line.save(update_fields=["committed"])
        Installment.objects.bulk_create(
            Installment(
                project=project,
                number=i,
                amount=p.amount,
                conditions=p.conditions.strip(),
                due_date=p.due_date,
                is_demo=project.is_demo,
            )
            for i, p in enumerate(plans, start=1)
        )
        project.budget_line = line
        project.approved_amount = amount
        project.reduction_reason = reduction_reason if amount < project.requested_amount else ""
        project.approved_at = timezone.now()
        _advance(
            project,
            task_key="approval",
            data={"approval_decision": "approve", "installment_count": len(plans)},
            actor=actor,
            outcome="approve",
            comment=(comment or "").strip(),
            pending=pending,
        )
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.project.approve",
            object_type="projects.project",
            object_id=project.pk,
            changes={
                "decision": "approve",
                "approved_amount": amount,
                "requested_amount": project.requested_amount,
                "reduction_reason": project.reduction_reason,
                "installments": [p.amount for p in plans],
                "budget_line": line.pk,
            },
        )
        _after_commit(pending, ("projects.approved", project, {"amount": f"{amount:,.2f}"}))
    return project


def project_agreement_sign(*, actor: User, project: Project) -> Project:
    _require(actor, Perm.PROJECTS_MANAGE, project)
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        _at_step(project, "agreement")
        _advance(project, task_key="agreement", data={}, actor=actor, outcome="signed", pending=pending)
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.project.agreement_sign",
            object_type="projects.project",
            object_id=project.pk,
            changes={"status": project.status},
        )
        _after_commit(pending)
    return project


# --- money ----------------------------------------------------------------------------------------


def installment_disburse(
    *, actor: User, installment: Installment, idempotency_key: str, reference: str = ""
) -> Disbursement:
    """Pay one installment, exactly once.

    The same ``idempotency_key`` returns the payment already made (nothing is paid again);
    another key for an installment already paid is refused. Conditions: the agreement is
    signed and the process is at the payment step for this installment (so the previous
    installment's report was accepted), and the budget line holds the committed amount.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise ProjectError(
            "ต้องมีรหัสอ้างอิงคำขอ (idempotency key) 1-100 ตัวอักษร",
            "An idempotency key of 1 to 100 characters is required",
            code="idempotency_key",
        )
    project = Project.objects.only("pk", "subdistrict_id").get(pk=installment.project_id)
    _require(actor, Perm.PROJECTS_DISBURSE, project)
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        locked = Installment.objects.select_for_update().get(pk=installment.pk)
        existing = Disbursement.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if existing.installment_id != locked.pk:
                raise ProjectError(
                    "รหัสอ้างอิงคำขอนี้ใช้กับงวดอื่นไปแล้ว",
                    "This idempotency key was already used for another installment",
                    code="idempotency_key_reused",
                )
            return existing
        if locked.status == InstallmentStatus.DISBURSED:
            paid = Disbursement.objects.get(installment=locked)
            raise ProjectError(
                f"งวดที่ {locked.number} จ่ายไปแล้วเมื่อ {timezone.localtime(paid.paid_at):%Y-%m-%d %H:%M}"
                f" (อ้างอิง {paid.reference or paid.idempotency_key}) จะไม่จ่ายซ้ำ",
                f"Installment {locked.number} was already paid at {paid.paid_at:%Y-%m-%d %H:%M} UTC"
                f" (reference {paid.reference or paid.idempotency_key}); it is not paid twice",
                code="already_disbursed",
            )
        if locked.status == InstallmentStatus.CANCELLED:
            raise ProjectError(
                f"งวดที่ {locked.number} ถูกยกเลิกแล้ว",
                f"Installment {locked.number} was cancelled",
                code="cancelled",
            )
        if project.status in FINISHED:
            _at_step(project, "disburse")
        if project.current_step != "disburse":
            raise ProjectError(
                "ยังจ่ายงวดนี้ไม่ได้: ต้องลงนามสัญญาแล้ว และรายงานของงวดก่อนหน้าได้รับการยอมรับแล้ว",
                "This installment cannot be paid yet: the agreement must be signed and the previous "
                "installment's report accepted",
                code="conditions_not_met",
            )
        next_number = _planned(project).order_by("number").values_list("number", flat=True).first()
        if next_number != locked.number:
            raise ProjectError(
                f"ต้องจ่ายงวดที่ {next_number} ก่อน",
                f"Installment {next_number} must be paid first",
                code="out_of_order",
            )
        line = _locked_line(project)
        if line.committed < locked.amount:
            raise ProjectError(
                f"เบิกจ่ายเกินวงเงินคงเหลือ: ผูกพันไว้ {line.committed:,.2f} บาท แต่งวดนี้ {locked.amount:,.2f} บาท",
                f"Disbursing beyond the balance: {line.committed:,.2f} baht committed, the installment is "
                f"{locked.amount:,.2f} baht",
                code="insufficient_balance",
            )
        line.committed -= locked.amount
        line.disbursed += locked.amount
        line.save(update_fields=["committed", "disbursed"])
        now = timezone.now()
        disbursement = Disbursement.objects.create(
            installment=locked,
            budget_line=line,
            amount=locked.amount,
            idempotency_key=key,
            paid_at=now,
            paid_by=actor,
            reference=reference.strip()[:100],
        )
        locked.status = InstallmentStatus.DISBURSED
        locked.save(update_fields=["status"])
        _advance(
            project,
            task_key="disburse",
            data={"more_installments": _planned(project).exists(), "installments_paid": locked.number},
            actor=actor,
            outcome=f"paid #{locked.number}",
            pending=pending,
        )
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.installment.disburse",
            object_type="projects.installment",
            object_id=locked.pk,
            changes={
                "project": project.pk,
                "number": locked.number,
                "amount": locked.amount,
                "budget_line": line.pk,
                "idempotency_key": key,
                "reference": disbursement.reference,
            },
        )
        _after_commit(
            pending,
            ("projects.disbursed", project, {"amount": f"{locked.amount:,.2f}", "number": locked.number}),
        )
    return disbursement


def _project_paid(project: Project) -> tuple[Decimal, Decimal]:
    paid = Disbursement.objects.filter(installment__project=project).aggregate(t=Sum("amount"))["t"] or ZERO
    returned = FundReturn.objects.filter(project=project).aggregate(t=Sum("amount"))["t"] or ZERO
    return paid, returned


def fund_return_record(*, actor: User, project: Project, amount: Decimal, reason: str) -> FundReturn:
    """Record money the community gave back (never more than it was paid, net of earlier returns)."""
    _require(actor, Perm.PROJECTS_DISBURSE, project)
    amount = _money(amount, label_th="ยอดเงินคืน", label_en="Returned amount")
    reason = _text(reason, label_th="เหตุผลการคืนเงิน", label_en="Reason for the return")
    with transaction.atomic():
        project = _lock_project(project)
        paid, returned = _project_paid(project)
        if amount > paid - returned:
            raise ProjectError(
                f"คืนเงินเกินยอดที่จ่ายไป (คืนได้ไม่เกิน {paid - returned:,.2f} บาท)",
                f"More than was paid out cannot be returned (at most {paid - returned:,.2f} baht)",
                code="return_above_paid",
            )
        line = _locked_line(project)
        line.returned += amount
        line.save(update_fields=["returned"])
        fund_return = FundReturn.objects.create(
            project=project, budget_line=line, amount=amount, reason=reason, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="projects.fund_return.record",
            object_type="projects.fundreturn",
            object_id=fund_return.pk,
            changes={"project": project.pk, "amount": amount, "reason": reason, "budget_line": line.pk},
        )
    return fund_return


def approved_amount_reduce(*, actor: User, project: Project, new_amount: Decimal, reason: str) -> Project:
    """Lower the approved amount of an approved project; the last unpaid installments shrink or are cancelled.

    Never below what was already disbursed; the released money leaves ``committed``.
    """
    _require(actor, Perm.PROJECTS_APPROVE, project)
    new_amount = _money(new_amount, label_th="วงเงินใหม่", label_en="New amount", allow_zero=True)
    reason = _text(reason, label_th="เหตุผลการปรับลดวงเงิน", label_en="Reason for the reduction")
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        if project.status in FINISHED:
            _at_step(project, "closure")
        if project.approved_amount is None:
            raise ProjectError("โครงการยังไม่ได้รับอนุมัติ", "The project is not approved yet", code="not_approved")
        old = project.approved_amount
        paid = (
            Disbursement.objects.filter(installment__project=project).aggregate(t=Sum("amount"))["t"] or ZERO
        )
        if new_amount < paid:
            raise ProjectError(
                f"ลดวงเงินต่ำกว่ายอดที่เบิกจ่ายไปแล้ว ({paid:,.2f} บาท) ไม่ได้",
                f"The approved amount cannot go below what was already disbursed ({paid:,.2f} baht)",
                code="below_disbursed",
            )
        if new_amount >= old:
            raise ProjectError(
                "วงเงินใหม่ต้องน้อยกว่าวงเงินอนุมัติเดิม",
                "The new amount must be lower than the approved amount",
                code="not_a_reduction",
            )
        cut = old - new_amount
        remaining = cut
        for installment in _planned(project).select_for_update().order_by("-number"):
            if remaining <= 0:
                break
            take = min(remaining, installment.amount)
            if take == installment.amount:
                installment.status = InstallmentStatus.CANCELLED
                installment.save(update_fields=["status"])
            else:
                installment.amount -= take
                installment.save(update_fields=["amount"])
            remaining -= take
        line = _locked_line(project)
        line.committed -= cut
        line.save(update_fields=["committed"])
        project.approved_amount = new_amount
        project.reduction_reason = (
            f"{project.reduction_reason}\n{reason}".strip() if project.reduction_reason else reason
        )
        if project.current_step == "disburse" and not _planned(project).exists():
            _advance(
                project,
                task_key="disburse",
                data={"more_installments": False},
                actor=actor,
                outcome="skipped",
                comment=reason,
                pending=pending,
            )
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.project.reduce",
            object_type="projects.project",
            object_id=project.pk,
            changes={"approved_amount": [old, new_amount], "reason": reason, "released": cut},
        )
        _after_commit(pending)
    return project


def project_cancel(*, actor: User, project: Project, reason: str) -> Project:
    """Cancel a project: unpaid installments are cancelled (recorded) and their money released."""
    _require(actor, Perm.PROJECTS_APPROVE, project)
    reason = _text(reason, label_th="เหตุผลการยกเลิก", label_en="Reason for the cancellation")
    with transaction.atomic():
        project = _lock_project(project)
        if project.status in FINISHED:
            _at_step(project, "closure")
        planned = list(_planned(project).select_for_update())
        released = sum((i.amount for i in planned), ZERO)
        if planned:
            Installment.objects.filter(pk__in=[i.pk for i in planned]).update(
                status=InstallmentStatus.CANCELLED
            )
        if released and project.budget_line_id:
            line = _locked_line(project)
            line.committed -= released
            line.save(update_fields=["committed"])
        workflow.workflow_cancel(project, actor=actor, reason=reason)
        project.cancelled_at = timezone.now()
        project.cancellation_reason = reason
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.project.cancel",
            object_type="projects.project",
            object_id=project.pk,
            changes={
                "reason": reason,
                "released": released,
                "installments_cancelled": [i.number for i in planned],
            },
        )
    return project


# --- reports --------------------------------------------------------------------------------------

_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF-", 0, "application/pdf"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),
    (b"ftypheic", 4, "image/heic"),
    (b"ftypheix", 4, "image/heic"),
    (b"ftypmif1", 4, "image/heif"),
)


def sniff_content_type(file: IO[bytes]) -> str:
    """The type of a file judged by its first bytes (not its name): '' when not an image or PDF."""
    position = file.tell()
    head = file.read(16)
    file.seek(position)
    for magic, offset, content_type in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if content_type == "image/webp" and head[:4] != b"RIFF":
                continue
            return content_type
    return ""


def _check_upload(upload: UploadedFile, *, label_th: str, label_en: str, images_only: bool) -> str:
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ProjectError(
            f"{label_th} '{upload.name}' ใหญ่เกิน 10 MB",
            f"{label_en} '{upload.name}' is larger than 10 MB",
            code="too_big",
        )
    upload.seek(0)
    content_type = sniff_content_type(upload)
    if not content_type or (images_only and not content_type.startswith("image/")):
        kinds_th, kinds_en = ("รูปภาพ", "an image") if images_only else ("รูปภาพหรือ PDF", "an image or a PDF")
        raise ProjectError(
            f"{label_th} '{upload.name}' ไม่ใช่ไฟล์{kinds_th}",
            f"{label_en} '{upload.name}' is not {kinds_en}",
            code="bad_file_type",
        )
    return content_type


def report_submit(
    *,
    actor: User,
    project: Project,
    narrative: str,
    installment: Installment | None = None,
    is_final: bool = False,
    indicator_values: Mapping[int, Decimal] | None = None,
    expenses: Sequence[ExpenseInput | Mapping[str, Any]] = (),
    photos: Sequence[PhotoInput | Mapping[str, Any]] = (),
) -> ProgressReport:
    """The community's report on the installment just paid (or the final report), sent for review.

    Expense lines may not be dated in the future; receipts must be images or PDFs and photos
    images (judged by content). A photo without EXIF is accepted and flagged (``has_exif=False``).
    """
    _require_community_or_officer(actor, project)
    if project.status in FINISHED:
        raise ProjectError(
            "โครงการนี้ปิดแล้ว ส่งรายงานไม่ได้",
            f"The project is {project.status}: reports can no longer be sent",
            code="project_finished",
        )
    narrative = _text(narrative, label_th="รายงานผลการดำเนินงาน", label_en="The narrative")
    today = timezone.localdate()
    expense_rows = [_coerce(ExpenseInput, e) for e in expenses]
    photo_rows = [_coerce(PhotoInput, p) for p in photos]
    receipt_types: list[str] = []
    for expense in expense_rows:
        _text(expense.description, label_th="รายการค่าใช้จ่าย", label_en="Expense description", max_length=300)
        _money(expense.amount, label_th="จำนวนเงินค่าใช้จ่าย", label_en="Expense amount")
        if expense.category not in BudgetCategory.values:
            raise ProjectError(
                "หมวดค่าใช้จ่ายไม่ถูกต้อง", f"Unknown category {expense.category!r}", code="bad_category"
            )
        if expense.spent_on > today:
            raise ProjectError(
                f"วันที่จ่าย {expense.spent_on:%Y-%m-%d} เป็นวันในอนาคต",
                f"Expense date {expense.spent_on:%Y-%m-%d} is in the future",
                code="future_expense",
            )
        receipt_types.append(
            _check_upload(expense.receipt, label_th="ใบเสร็จ", label_en="Receipt", images_only=False)
            if expense.receipt is not None
            else ""
        )
    photo_meta = []
    for photo in photo_rows:
        _check_upload(photo.image, label_th="ภาพถ่าย", label_en="Photo", images_only=True)
        photo_meta.append(photo_metadata(photo.image))
    values = {int(k): v for k, v in (indicator_values or {}).items()}
    for value in values.values():
        if isinstance(value, float) or not isinstance(value, Decimal) or not value.is_finite():
            raise ProjectError("ค่าตัวชี้วัดต้องเป็นตัวเลข", "Indicator values must be Decimals", code="bad_value")
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        step = "final_report" if is_final else "progress_report"
        _at_step(project, step)
        if installment is None and not is_final:
            installment = (
                Installment.objects.filter(project=project, status=InstallmentStatus.DISBURSED)
                .order_by("-number")
                .first()
            )
        if installment is not None and installment.project_id != project.pk:
            raise ProjectError(
                "งวดนี้ไม่ใช่ของโครงการนี้", "The installment belongs to another project", code="bad_installment"
            )
        known = set(Indicator.objects.filter(result__project=project).values_list("pk", flat=True))
        unknown = set(values) - known
        if unknown:
            raise ProjectError(
                "ตัวชี้วัดไม่ใช่ของโครงการนี้",
                f"Indicators {sorted(unknown)} are not this project's",
                code="bad_indicator",
            )
        now = timezone.now()
        report = ProgressReport.objects.create(
            project=project,
            installment=installment,
            is_final=is_final,
            narrative=narrative,
            status=ReportStatus.SUBMITTED,
            submitted_at=now,
            submitted_by=actor,
        )
        ReportIndicatorValue.objects.bulk_create(
            ReportIndicatorValue(report=report, indicator_id=k, value=v) for k, v in values.items()
        )
        for expense, content_type in zip(expense_rows, receipt_types, strict=True):
            line = ExpenseLine(
                report=report,
                spent_on=expense.spent_on,
                description=expense.description.strip(),
                category=expense.category,
                amount=expense.amount,
                receipt_content_type=content_type,
            )
            if expense.receipt is not None:
                expense.receipt.seek(0)
                line.receipt.save(expense.receipt.name or "receipt", expense.receipt, save=False)
            line.save()
        for photo, meta in zip(photo_rows, photo_meta, strict=True):
            row = ReportPhoto(
                report=report,
                caption=photo.caption.strip()[:300],
                taken_at=meta.taken_at,
                latitude=meta.latitude,
                longitude=meta.longitude,
                has_exif=meta.has_exif,
            )
            photo.image.seek(0)
            row.image.save(photo.image.name or "photo.jpg", photo.image, save=False)
            row.save()
        _advance(project, task_key=step, data={}, actor=actor, outcome="submitted", pending=pending)
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.report.submit",
            object_type="projects.progressreport",
            object_id=report.pk,
            changes={
                "project": project.pk,
                "installment": installment.number if installment else None,
                "is_final": is_final,
                "expenses": len(expense_rows),
                "photos": len(photo_rows),
                "photos_without_exif": sum(1 for m in photo_meta if not m.has_exif),
            },
        )
        _after_commit(pending)
    return report


def report_review(
    *, actor: User, report: ProgressReport, decision: Literal["accept", "return"], comment: str = ""
) -> ProgressReport:
    """Accept a report (indicator values become the period's actuals) or return it with comments."""
    project = Project.objects.only("pk", "subdistrict_id").get(pk=report.project_id)
    _require(actor, Perm.PROJECTS_MANAGE, project)
    if decision not in ("accept", "return"):
        raise ProjectError("ผลการตรวจไม่ถูกต้อง", "Decision must be accept or return", code="bad_decision")
    comment = (comment or "").strip()
    if decision == "return" and not comment:
        raise ProjectError("กรุณาระบุสิ่งที่ต้องแก้ไข", "Say what must be changed", code="comment_required")
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.SUBMITTED:
            raise ProjectError(
                "รายงานนี้ไม่ได้อยู่ระหว่างรอตรวจ", "This report is not waiting for review", code="not_submitted"
            )
        step = "final_review" if report.is_final else "report_review"
        _at_step(project, step)
        now = timezone.now()
        report.status = ReportStatus.ACCEPTED if decision == "accept" else ReportStatus.RETURNED
        report.reviewed_at = now
        report.reviewed_by = actor
        report.review_comment = comment
        report.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comment"])
        if decision == "accept":
            day = timezone.localdate(report.submitted_at) if report.submitted_at else timezone.localdate()
            for value in report.indicator_values.all():
                IndicatorPeriod.objects.filter(
                    indicator_id=value.indicator_id, period_start__lte=day, period_end__gte=day
                ).update(actual=value.value)
        _advance(
            project,
            task_key=step,
            data={("final_decision" if report.is_final else "report_decision"): decision},
            actor=actor,
            outcome=decision,
            comment=comment,
            pending=pending,
        )
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.report.review",
            object_type="projects.progressreport",
            object_id=report.pk,
            changes={"decision": decision, "comment": comment, "project": project.pk},
        )
        events: list[tuple[str, Project, dict[str, Any]]] = []
        if decision == "return":
            events.append(("projects.returned", project, {"comment": comment, "step": step}))
        _after_commit(pending, *events)
    return report


def project_close(*, actor: User, project: Project, evaluation: str) -> Project:
    _require(actor, Perm.PROJECTS_MANAGE, project)
    evaluation = _text(evaluation, label_th="ผลการประเมินโครงการ", label_en="The evaluation")
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        _at_step(project, "closure")
        project.evaluation = evaluation
        project.closed_at = timezone.now()
        _advance(
            project,
            task_key="closure",
            data={},
            actor=actor,
            outcome="closed",
            comment=evaluation,
            pending=pending,
        )
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.project.close",
            object_type="projects.project",
            object_id=project.pk,
            changes={"status": project.status, "evaluation": evaluation},
        )
        _after_commit(pending)
    return project


# --- steps ----------------------------------------------------------------------------------------


def steps_remind_overdue(*, today: date | None = None) -> int:
    """Remind the people holding each overdue open step (once a day per step); returns how many."""
    today = today or timezone.localdate()
    now = timezone.now()
    start_of_today = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    with transaction.atomic():
        steps = list(
            ProjectStep.objects.select_for_update()
            .filter(completed_at__isnull=True, due_date__lt=today)
            .exclude(reminded_at__gte=start_of_today)
            .order_by("id")
        )
        if not steps:
            return 0
        # A run for a later day (tests, catch-up) counts as that day's reminder.
        ProjectStep.objects.filter(pk__in=[s.pk for s in steps]).update(reminded_at=max(now, start_of_today))
        audit_record(
            actor=None,
            action="projects.step.remind_overdue",
            object_type="projects.projectstep",
            object_id="",
            changes={"steps": [s.pk for s in steps], "today": today.isoformat()},
        )
        ids = [s.pk for s in steps]
        transaction.on_commit(lambda: _enqueue_overdue(ids), robust=True)
    return len(steps)
