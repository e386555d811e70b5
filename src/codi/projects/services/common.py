"""Shared pieces of the project services: the error type, inputs, checks and locks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile

from codi.areas.selectors import province_region_code
from codi.identity.models import User
from codi.identity.roles import Perm, ScopeLevel
from codi.identity.selectors import user_can_in_area, user_grants, user_has_perm
from codi.projects.models import (
    ZERO,
    BudgetLine,
    Installment,
    InstallmentStatus,
    PortalAccount,
    ProgramKind,
    Project,
    ProjectStatus,
    ProjectStep,
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


def _region_of(subdistrict_code: str) -> str:
    region = province_region_code(province_code=subdistrict_code[:2])
    if region is None:
        raise ProjectError(
            "ไม่พบภาคของตำบลนี้", f"No CODI region for subdistrict {subdistrict_code}", code="no_region"
        )
    return region


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


def _fiscal_year(value: int) -> int:
    if not isinstance(value, int) or not 2500 <= value <= 2700:
        raise ProjectError(
            "ปีงบประมาณต้องเป็นปีพุทธศักราช เช่น 2568",
            "The fiscal year must be a Buddhist-Era year such as 2568",
            code="bad_fiscal_year",
        )
    return value
