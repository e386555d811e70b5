"""Procurement writes, run through ``processes/procurement_tobe.bpmn`` (``codi.workflow``).

prepare (requester: report, items, method, committees) → approve (the head; never the requester
nor a committee member; the reference price is committed on the finance budget line under its
row lock) → procure (procurement officer: quotations, award, contract; the requisition's
commitment is replaced by the contract's) → inspect (a member of the inspection committee, once
per delivery; acceptance posts the payable; the final acceptance turns the commitment into
actual and capitalises assets) → pay (finance officer: the payable is paid, once per delivery).

Every function checks role and scope, validates, runs in one transaction and writes its audit
entry there; refusals raise ``ProcurementError`` (Thai and English) and write nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from codi.calendar import selectors as calendar
from codi.core.audit import audit_record
from codi.finance import ledger
from codi.finance.ledger import LineSpec
from codi.finance.models import Commitment
from codi.finance.selectors import can_act_on_line
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.procurement import assets, rules, selectors
from codi.procurement.methods import (  # re-exported: callers use services.method_* and services.threshold_update
    ProcurementError,
    method_check,
    method_suggest,
)
from codi.procurement.methods import (
    threshold_update as threshold_update,
)
from codi.procurement.models import (
    ZERO,
    Category,
    Committee,
    CommitteeMember,
    Contract,
    Delivery,
    Method,
    PlanLine,
    Quotation,
    Requisition,
    RequisitionItem,
    RequisitionStatus,
    RequisitionStep,
)
from codi.workflow.engine import Process, StepError

PROCESSES_DIR = Path(__file__).resolve().parent / "processes"
TOBE_FILE = PROCESSES_DIR / "procurement_tobe.bpmn"
ASIS_FILE = PROCESSES_DIR / "procurement_asis.bpmn"
PROCESS = Process(TOBE_FILE, "codi_procurement_tobe")

PAYABLE_ACCOUNT = "2101010101"  # trade payables
BANK_ACCOUNT = "1101020601"  # the current account payments leave from


@dataclass(frozen=True)
class StepDef:
    name_th: str
    sla_days: int
    status: str


STEPS: dict[str, StepDef] = {
    "prepare": StepDef("จัดทำรายงานขอซื้อขอจ้าง", 5, RequisitionStatus.DRAFT),
    "approve": StepDef("หัวหน้าหน่วยงานอนุมัติ", 3, RequisitionStatus.APPROVAL),
    "procure": StepDef("จัดหา เสนอราคา ทำสัญญา", 15, RequisitionStatus.PROCURING),
    "inspect": StepDef("ตรวจรับพัสดุ", rules.INSPECTION_WORKING_DAYS, RequisitionStatus.INSPECTION),
    "pay": StepDef("ตั้งหนี้และจ่ายเงิน", 5, RequisitionStatus.PAYMENT),
}
END_STATUS = {"end_paid": RequisitionStatus.PAID, "end_rejected": RequisitionStatus.REJECTED}


@dataclass(frozen=True)
class ItemIn:
    description: str
    quantity: Decimal | str
    unit_name: str
    unit_price: Decimal | str
    asset_class_id: int | None = None


# --- annual plan ----------------------------------------------------------------------------


def plan_line_create(
    *, actor: Any, budget_line: Any, title: str, category: str, estimated_amount: Decimal | str,
    quarter: int, in_e_catalog: bool = False, is_demo: bool = False,
) -> PlanLine:  # fmt: skip
    """A line of the annual procurement plan on a finance budget line; the method is suggested."""
    if not user_has_perm(actor, Perm.PROCUREMENT_MANAGE) and actor is not None:
        raise PermissionDenied
    amount = ledger.money(estimated_amount)
    if amount <= ZERO or not title.strip() or category not in Category.values or quarter not in {1, 2, 3, 4}:
        raise ProcurementError(
            "กรุณาระบุชื่อรายการ ประเภท วงเงินที่มากกว่าศูนย์ และไตรมาส 1-4",
            "Give a title, a category, an amount above zero and a quarter 1-4",
        )
    with transaction.atomic():
        line = PlanLine.objects.create(
            fiscal_year_be=budget_line.fiscal_year.year_be, unit=budget_line.unit, budget_line=budget_line,
            title=title.strip(), category=category, estimated_amount=amount, quarter=quarter,
            expected_method=method_suggest(amount=amount, category=category, in_e_catalog=in_e_catalog),
            created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo,
        )  # fmt: skip
        audit_record(
            actor=actor, action="procurement.plan_line_create", object_type="procurement.PlanLine",
            object_id=line.pk, changes={"title": line.title, "amount": amount, "method": line.expected_method},
        )  # fmt: skip
    return line


def plan_publish(*, actor: Any, year_be: int) -> int:
    """Publish the year's plan (open data and e-GP); returns the number of lines published."""
    if not user_has_perm(actor, Perm.PROCUREMENT_MANAGE) and actor is not None:
        raise PermissionDenied
    with transaction.atomic():
        count = PlanLine.objects.filter(fiscal_year_be=year_be, is_published=False).update(is_published=True)
        audit_record(
            actor=actor, action="procurement.plan_publish", object_type="procurement.PlanLine",
            changes={"year_be": year_be, "lines": count},
        )  # fmt: skip
    return count


# --- the process glue -----------------------------------------------------------------------


def _sync(
    req: Requisition, transition: Any, *, actor: Any, completed: str | None, outcome: str, comment: str
) -> None:
    now = timezone.now()
    req.workflow_state = transition.state
    if completed is not None:
        RequisitionStep.objects.filter(requisition=req, task_key=completed, completed_at__isnull=True).update(
            completed_at=now, completed_by=actor if getattr(actor, "pk", None) else None,
            outcome=outcome[:40], comment=comment,
        )  # fmt: skip
    if transition.ready:
        key = transition.ready[0]
        step = STEPS[key]
        due = calendar.add_working_days(now, step.sla_days).date()
        RequisitionStep.objects.create(
            requisition=req, task_key=key, name=step.name_th, opened_at=now, due_date=due
        )
        req.status, req.current_step, req.current_step_due = step.status, key, due
    else:
        req.status = END_STATUS.get(transition.ended or "", RequisitionStatus.REJECTED)
        req.current_step, req.current_step_due = "", None
    req.save()


def _complete(
    req: Requisition, step: str, data: dict[str, Any], *, actor: Any, outcome: str, comment: str = ""
) -> None:
    try:
        transition = PROCESS.complete(req.workflow_state, task=step, data=data)
    except StepError as exc:
        raise ProcurementError("รายงานขอซื้อขอจ้างไม่ได้อยู่ที่ขั้นตอนนี้", str(exc)) from exc
    _sync(req, transition, actor=actor, completed=step, outcome=outcome, comment=comment)


def _locked(req: Requisition, step: str) -> Requisition:
    locked = Requisition.objects.select_for_update().select_related("budget_line").get(pk=req.pk)
    if locked.current_step != step:
        raise ProcurementError(
            "รายการนี้ไม่ได้อยู่ที่ขั้นตอนนี้แล้ว (มีผู้ดำเนินการไปก่อน)", f"The requisition is no longer at step {step!r}"
        )
    return locked


def _audit(actor: Any, action: str, req: Requisition, **changes: Any) -> None:
    audit_record(
        actor=actor, action=f"procurement.{action}", object_type="procurement.Requisition",
        object_id=req.pk, changes={"number": req.number, **changes},
    )  # fmt: skip


def diagram(req: Requisition) -> dict[str, Any]:
    return PROCESS.diagram(req.workflow_state)


# --- requisition ----------------------------------------------------------------------------


def _items(items: list[ItemIn]) -> list[tuple[ItemIn, Decimal, Decimal]]:
    if not items:
        raise ProcurementError("กรุณาระบุรายการพัสดุอย่างน้อย 1 รายการ", "Add at least one item")
    checked = []
    for number, item in enumerate(items, start=1):
        try:
            quantity = Decimal(str(item.quantity))
        except ArithmeticError:
            quantity = Decimal(0)
        price = ledger.money(item.unit_price, field=f"item {number}")
        if (
            not quantity.is_finite()
            or quantity <= 0
            or quantity > 10**9
            or price <= ZERO
            or not item.description.strip()
        ):
            raise ProcurementError(
                f"รายการที่ {number}: ต้องมีชื่อ จำนวนและราคาต่อหน่วยที่มากกว่าศูนย์",
                f"Item {number}: needs a description, a quantity and a unit price above zero",
            )
        checked.append((item, quantity.quantize(Decimal("0.01")), price))
    return checked


def split_flags(
    *, unit_id: int, category: str, amount: Decimal, exclude_pk: int | None, on: date
) -> list[str]:
    """Red flags for a possible split purchase: the unit's requisitions of the same category in
    the rolling window, each under the specific-method cap, add up past it with this one."""
    cap = rules.SPECIFIC_METHOD_CAP
    if amount > cap:
        return []
    since = timezone.make_aware(datetime.combine(on - timedelta(days=rules.SPLIT_WINDOW_DAYS), time.min))
    others = Requisition.objects.filter(
        budget_line__unit_id=unit_id, category=category, created_at__gte=since, reference_price__lte=cap
    ).exclude(status=RequisitionStatus.REJECTED)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    total = (others.aggregate(s=Sum("reference_price"))["s"] or ZERO) + amount
    if total <= cap:
        return []
    return [
        f"อาจเป็นการแบ่งซื้อแบ่งจ้าง: {others.count() + 1} รายการประเภทเดียวกันของหน่วยงานใน "
        f"{rules.SPLIT_WINDOW_DAYS} วัน รวม {ledger.baht(total)} บาท เกินวงเงินวิธีเฉพาะเจาะจง "
        f"{ledger.baht(cap)} บาท (ม.56(2)(ข) ห้ามแบ่งวงเงิน) / Possible split purchase: "
        f"{ledger.baht(total)} baht in {rules.SPLIT_WINDOW_DAYS} days"
    ]


def _fits(**values: tuple[str, int]) -> None:
    """Refuse text longer than its column (a user never reaches a database error)."""
    for name, (value, limit) in values.items():
        if len(value.strip()) > limit:
            raise ProcurementError(
                f"ข้อความยาวเกิน {limit} ตัวอักษร ({name})", f"{name} is longer than {limit} characters"
            )


def requisition_create(
    *, actor: Any, budget_line: Any, title: str, reason: str, specification: str, category: str,
    reference_source: str, items: list[ItemIn], method: str = "", method_reason: str = "",
    in_e_catalog: bool = False, plan_line: PlanLine | None = None, is_demo: bool = False,
) -> Requisition:  # fmt: skip
    """A new procurement report at its first step; the method defaults to the table's suggestion."""
    if not user_has_perm(actor, Perm.PROCUREMENT_REQUEST) or not can_act_on_line(
        actor, Perm.PROCUREMENT_REQUEST, budget_line
    ):
        raise PermissionDenied
    if not title.strip() or not reason.strip() or not reference_source.strip():
        raise ProcurementError(
            "กรุณาระบุชื่อเรื่อง เหตุผลความจำเป็น และที่มาของราคากลาง",
            "Title, reason and the source of the reference price are required",
        )
    if category not in Category.values:
        raise ProcurementError("ประเภทการจัดซื้อจัดจ้างไม่ถูกต้อง", "Unknown category")
    _fits(title=(title, 300), reference_source=(reference_source, 300), method_reason=(method_reason, 500))
    for item in items:
        _fits(item=(item.description, 300), unit_name=(item.unit_name, 40))
    if budget_line.fiscal_year.is_closed:
        raise ProcurementError("ปีงบประมาณปิดแล้ว", "The fiscal year is closed")
    checked = _items(items)
    amount = sum(((q * p).quantize(Decimal("0.01")) for _i, q, p in checked), ZERO)
    today = timezone.localdate()
    suggested = method_suggest(amount=amount, category=category, in_e_catalog=in_e_catalog, on=today)
    method = method or suggested
    method_check(
        method=method,
        amount=amount,
        category=category,
        in_e_catalog=in_e_catalog,
        reason=method_reason,
        on=today,
    )
    with transaction.atomic():
        year = budget_line.fiscal_year.year_be
        last = Requisition.objects.filter(fiscal_year_be=year).aggregate(m=Max("sequence"))["m"] or 0
        req = Requisition.objects.create(
            fiscal_year_be=year, sequence=last + 1, budget_line=budget_line, plan_line=plan_line,
            title=title.strip(), reason=reason.strip(), specification=specification.strip(), category=category,
            in_e_catalog=in_e_catalog, reference_price=amount, reference_source=reference_source.strip(),
            suggested_method=suggested, method=method, method_reason=method_reason.strip(),
            red_flags=split_flags(unit_id=budget_line.unit_id, category=category, amount=amount, exclude_pk=None, on=today),
            requester=actor, is_demo=is_demo,
        )  # fmt: skip
        RequisitionItem.objects.bulk_create(
            RequisitionItem(
                requisition=req,
                description=i.description.strip(),
                quantity=q,
                unit_name=i.unit_name.strip() or "หน่วย",
                unit_price=p,
                asset_class_id=i.asset_class_id,
            )
            for i, q, p in checked
        )
        _sync(req, PROCESS.start(), actor=actor, completed=None, outcome="", comment="")
        _audit(actor, "requisition_create", req, amount=amount, method=method, budget_line=budget_line.code,
               red_flags=len(req.red_flags))  # fmt: skip
    return req


def _committee_rule_error(req: Requisition, committee: str, user: Any) -> ProcurementError | None:
    uid = getattr(user, "pk", None)
    if committee == Committee.INSPECTION and uid == req.requester_id:
        return ProcurementError(
            "ผู้ขอซื้อขอจ้างเป็นกรรมการตรวจรับพัสดุของรายการตนเองไม่ได้",
            "The requester cannot sit on the inspection committee of their own requisition",
        )
    if uid is not None and uid == req.approved_by_id:
        return ProcurementError(
            "ผู้อนุมัติเป็นกรรมการในรายการที่ตนอนุมัติไม่ได้", "The approver cannot sit on a committee"
        )
    others = CommitteeMember.objects.filter(requisition=req, user_id=uid or 0)
    if committee == Committee.INSPECTION and others.filter(committee=Committee.PROCUREMENT).exists():
        return ProcurementError(
            "กรรมการซื้อหรือจ้างเป็นกรรมการตรวจรับพัสดุในการจัดซื้อจัดจ้างครั้งเดียวกันไม่ได้ (ระเบียบฯ ข้อ 26)",
            "A procurement committee member cannot sit on the inspection committee of the same procurement",
        )
    if committee == Committee.PROCUREMENT and others.filter(committee=Committee.INSPECTION).exists():
        return ProcurementError(
            "กรรมการตรวจรับพัสดุเป็นกรรมการซื้อหรือจ้างในการจัดซื้อจัดจ้างครั้งเดียวกันไม่ได้",
            "An inspection committee member cannot sit on the procurement committee of the same procurement",
        )
    return None


def committee_appoint(
    *, actor: Any, requisition: Requisition, committee: str, user: Any, is_chair: bool = False
) -> CommitteeMember:
    """Appoint ``user`` to a committee of a requisition being prepared (requester or procurement officer)."""
    if committee not in Committee.values:
        raise ProcurementError("คณะกรรมการไม่ถูกต้อง", "Unknown committee")
    _require_preparer(actor, requisition)
    with transaction.atomic():
        req = _locked(requisition, "prepare")
        error = _committee_rule_error(req, committee, user)
        if error is not None:
            raise error
        if CommitteeMember.objects.filter(requisition=req, committee=committee, user=user).exists():
            raise ProcurementError("บุคคลนี้อยู่ในคณะกรรมการนี้แล้ว", "Already a member of this committee")
        if is_chair:
            CommitteeMember.objects.filter(requisition=req, committee=committee).update(is_chair=False)
        member = CommitteeMember.objects.create(
            requisition=req, committee=committee, user=user, is_chair=is_chair
        )
        _audit(actor, "committee_appoint", req, committee=committee, user=user.get_username(), chair=is_chair)
    return member


def committee_declare(
    *, actor: Any, member: CommitteeMember, no_conflict: bool, statement: str = ""
) -> CommitteeMember:
    """The member's own conflict-of-interest declaration (s.13); a declared conflict needs replacing."""
    if member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if not no_conflict and not statement.strip():
        raise ProcurementError("กรุณาระบุความเกี่ยวข้องที่อาจขัดกัน", "Describe the possible conflict of interest")
    with transaction.atomic():
        member = CommitteeMember.objects.select_for_update().get(pk=member.pk)
        member.declared_no_conflict, member.declaration = no_conflict, statement.strip()[:500]
        member.declared_at = timezone.now()
        member.save()
        audit_record(
            actor=actor, action="procurement.committee_declare", object_type="procurement.CommitteeMember",
            object_id=member.pk, changes={"no_conflict": no_conflict, "requisition": member.requisition_id},
        )  # fmt: skip
    return member


def committee_problems(req: Requisition) -> list[str]:
    """What the committees still lack before the report can be approved (Thai)."""
    problems = []
    members = list(CommitteeMember.objects.filter(requisition=req))
    needed = {Committee.INSPECTION}
    if req.method != Method.SPECIFIC:
        needed.add(Committee.PROCUREMENT)
    if req.method == Method.E_BIDDING:
        needed.add(Committee.TOR)
    for committee in sorted(needed):
        group = [m for m in members if m.committee == committee]
        minimum = rules.COMMITTEE_MIN_MEMBERS
        if committee == Committee.INSPECTION and req.reference_price <= rules.SINGLE_INSPECTOR_CAP:
            minimum = 1
        if len(group) < minimum or (minimum > 1 and not any(m.is_chair for m in group)):
            problems.append(f"{Committee(committee).label}: ต้องมีประธานและกรรมการรวมอย่างน้อย {minimum} คน")
    return problems


def _require_preparer(actor: Any, req: Requisition) -> None:
    if getattr(actor, "pk", None) == req.requester_id:
        return
    if user_has_perm(actor, Perm.PROCUREMENT_MANAGE) and selectors.can_act_in_scope(
        actor, Perm.PROCUREMENT_MANAGE, req
    ):
        return
    raise PermissionDenied


def requisition_submit(*, actor: Any, requisition: Requisition) -> Requisition:
    """The requester sends the report for approval once the committees are complete."""
    if getattr(actor, "pk", None) != requisition.requester_id:
        raise PermissionDenied
    with transaction.atomic():
        req = _locked(requisition, "prepare")
        problems = committee_problems(req)
        if problems:
            raise ProcurementError("คณะกรรมการยังไม่ครบ: " + "; ".join(problems), "Committees are incomplete")
        req.submissions += 1
        req.red_flags = split_flags(
            unit_id=req.budget_line.unit_id, category=req.category, amount=req.reference_price,
            exclude_pk=req.pk, on=timezone.localdate(),
        )  # fmt: skip
        _complete(req, "prepare", {}, actor=actor, outcome="submitted")
        _audit(actor, "requisition_submit", req, submission=req.submissions)
    return req


def requisition_approve(
    *, actor: Any, requisition: Requisition, decision: str, comment: str = ""
) -> Requisition:
    """The head's decision: ``approve`` commits the reference price on the budget line (refused,
    naming the available amount, when it does not fit), ``return`` or ``reject`` with a reason."""
    if not user_has_perm(actor, Perm.PROCUREMENT_APPROVE) or not selectors.can_act_in_scope(
        actor, Perm.PROCUREMENT_APPROVE, requisition
    ):
        raise PermissionDenied
    if decision not in {"approve", "return", "reject"}:
        raise ProcurementError("ผลการอนุมัติไม่ถูกต้อง", "Unknown decision")
    if decision != "approve" and not comment.strip():
        raise ProcurementError("กรุณาระบุเหตุผล", "Give the reason")
    with transaction.atomic():
        req = _locked(requisition, "approve")
        uid = getattr(actor, "pk", None)
        if (
            uid == req.requester_id
            or CommitteeMember.objects.filter(requisition=req, user_id=uid or 0).exists()
        ):
            raise ProcurementError(
                "ผู้อนุมัติต้องไม่ใช่ผู้ขอซื้อขอจ้างหรือกรรมการในรายการนี้",
                "The approver must not be the requester or a committee member",
            )
        if decision == "approve":
            key = f"proc-req:{req.pk}:{req.submissions}"
            ledger.budget_commit(
                actor=actor, budget_line=req.budget_line, amount=req.reference_price, source_key=key
            )
            req.commitment_key, req.approved_by = key, actor
        _complete(
            req, "approve", {"approve_decision": decision}, actor=actor, outcome=decision, comment=comment
        )
        _audit(actor, "requisition_approve", req, decision=decision, comment=comment)
    return req


# --- quotations, award, contract ------------------------------------------------------------


def _require_officer(actor: Any, req: Requisition) -> None:
    if not user_has_perm(actor, Perm.PROCUREMENT_MANAGE) or not selectors.can_act_in_scope(
        actor, Perm.PROCUREMENT_MANAGE, req
    ):
        raise PermissionDenied


def _tax_id(value: str) -> str:
    value = value.strip().replace("-", "")
    if not (value.isdigit() and len(value) == 13):
        raise ProcurementError("เลขประจำตัวผู้เสียภาษีต้องเป็นตัวเลข 13 หลัก", "The tax ID is 13 digits")
    return value


def quotation_add(
    *, actor: Any, requisition: Requisition, vendor_name: str, vendor_tax_id: str, amount: Decimal | str
) -> Quotation:
    _require_officer(actor, requisition)
    value = ledger.money(amount)
    if value <= ZERO or not vendor_name.strip():
        raise ProcurementError(
            "กรุณาระบุผู้เสนอราคาและราคาที่มากกว่าศูนย์", "Vendor and a price above zero are required"
        )
    tax_id = _tax_id(vendor_tax_id)
    _fits(vendor_name=(vendor_name, 200))
    with transaction.atomic():
        req = _locked(requisition, "procure")
        quote = Quotation.objects.create(
            requisition=req, vendor_name=vendor_name.strip(), vendor_tax_id=tax_id, amount=value
        )
        _audit(actor, "quotation_add", req, vendor=quote.vendor_name, amount=value)
    return quote


def contract_award(
    *, actor: Any, quotation: Quotation, signed_on: date, delivery_due: date, penalty_rate_percent: Decimal | str,
    warranty_months: int = 0, guarantee_amount: Decimal | str = "0", egp_project_no: str = "",
    egp_contract_no: str = "",
) -> Contract:  # fmt: skip
    """Award to ``quotation`` and sign the PO/contract: the requisition's commitment is released and
    the contract amount committed instead (one transaction). Refused above the reference price,
    while a procurement or TOR committee member has not declared, or with a penalty rate outside
    the regulation's range."""
    req = quotation.requisition
    _require_officer(actor, req)
    rate = Decimal(str(penalty_rate_percent))
    if not (rules.PENALTY_MIN_PERCENT <= rate <= rules.PENALTY_MAX_PERCENT):
        raise ProcurementError(
            f"อัตราค่าปรับต้องอยู่ระหว่างร้อยละ {rules.PENALTY_MIN_PERCENT}-{rules.PENALTY_MAX_PERCENT} ต่อวัน (ระเบียบฯ ข้อ 162)",
            f"The penalty rate is {rules.PENALTY_MIN_PERCENT}-{rules.PENALTY_MAX_PERCENT} % a day (regulation cl. 162)",
        )
    if not 0 <= warranty_months <= 240:
        raise ProcurementError("ระยะรับประกันต้องอยู่ระหว่าง 0-240 เดือน", "Warranty is 0 to 240 months")
    _fits(egp_project_no=(egp_project_no, 30), egp_contract_no=(egp_contract_no, 30))
    if delivery_due < signed_on:
        raise ProcurementError("กำหนดส่งมอบต้องไม่ก่อนวันลงนาม", "Delivery is due on or after signing")
    with transaction.atomic():
        req = _locked(req, "procure")
        if quotation.amount > req.reference_price:
            raise ProcurementError(
                f"ราคาที่เสนอ {ledger.baht(quotation.amount)} บาท สูงกว่าราคากลาง {ledger.baht(req.reference_price)} บาท "
                "(ต่อรองราคาหรือทบทวนราคากลาง)",
                "The offer is above the reference price (negotiate or re-estimate)",
            )
        undeclared = CommitteeMember.objects.filter(
            requisition=req, committee__in=[Committee.TOR, Committee.PROCUREMENT], declared_no_conflict=False
        )
        if undeclared.exists():
            raise ProcurementError(
                "กรรมการยังไม่ได้แสดงความบริสุทธิ์ใจว่าไม่มีส่วนได้เสีย (ม.13)",
                "Committee members have not all declared no conflict of interest (s.13)",
            )
        ledger.budget_release(actor=actor, commitment=_commitment(req.commitment_key))
        Quotation.objects.filter(pk=quotation.pk).update(is_awarded=True)
        key = f"proc-contract:{req.pk}"
        ledger.budget_commit(
            actor=actor, budget_line=req.budget_line, amount=quotation.amount, source_key=key
        )
        contract = Contract.objects.create(
            requisition=req, quotation=quotation, vendor_name=quotation.vendor_name, vendor_tax_id=quotation.vendor_tax_id,
            amount=quotation.amount, signed_on=signed_on, delivery_due=delivery_due, warranty_months=warranty_months,
            guarantee_amount=ledger.money(guarantee_amount), penalty_rate_percent=rate,
            egp_project_no=egp_project_no.strip(), egp_contract_no=egp_contract_no.strip(), commitment_key=key,
        )  # fmt: skip
        _complete(req, "procure", {}, actor=actor, outcome="awarded", comment=contract.vendor_name)
        _audit(actor, "contract_award", req, vendor=contract.vendor_name, amount=contract.amount)
    return contract


def _commitment(key: str) -> Any:
    return Commitment.objects.get(source_key=key)


# --- delivery, inspection, payment ----------------------------------------------------------


def delivery_record(
    *, actor: Any, contract: Contract, delivered_on: date, amount: Decimal | str, note: str = ""
) -> Delivery:
    """The vendor delivered (all or part); refused beyond what is left of the contract."""
    req = contract.requisition
    _require_officer(actor, req)
    value = ledger.money(amount)
    if value <= ZERO:
        raise ProcurementError("มูลค่าที่ส่งมอบต้องมากกว่าศูนย์", "The delivered value must be above zero")
    if delivered_on > timezone.localdate() or delivered_on < contract.signed_on:
        raise ProcurementError(
            "วันส่งมอบต้องอยู่ระหว่างวันลงนามกับวันนี้", "The delivery date is between signing and today"
        )
    with transaction.atomic():
        _locked(req, "inspect")
        taken = Delivery.objects.filter(contract=contract).exclude(status=Delivery.Status.REJECTED)
        left = contract.amount - (taken.aggregate(s=Sum("amount"))["s"] or ZERO)
        if value > left:
            raise ProcurementError(
                f"มูลค่าส่งมอบเกินยอดคงเหลือตามสัญญา {ledger.baht(left)} บาท",
                f"More than is left of the contract ({ledger.baht(left)} baht)",
            )
        delivery = Delivery.objects.create(
            contract=contract, delivered_on=delivered_on, amount=value, note=note.strip()[:500]
        )
        _audit(actor, "delivery_record", req, delivery=delivery.pk, amount=value)
    return delivery


def delivery_inspect(
    *, actor: Any, delivery: Delivery, accept: bool, inspected_on: date | None = None, late_reason: str = "",
    comment: str = "",
) -> Delivery:  # fmt: skip
    """The inspection committee's decision on one delivery (a member, who declared no conflict).

    Past the deadline (``INSPECTION_WORKING_DAYS`` working days after delivery) a reason is
    required. Acceptance computes the late penalty from the contract and posts Dr expense /
    Cr trade payables; the acceptance that completes the contract turns the commitment into
    actual and registers the assets (``codi.procurement.assets``).
    """
    contract = delivery.contract
    req = contract.requisition
    member = CommitteeMember.objects.filter(
        requisition=req, committee=Committee.INSPECTION, user_id=getattr(actor, "pk", None) or 0
    ).first()
    if member is None:
        raise PermissionDenied
    if not member.declared_no_conflict:
        raise ProcurementError(
            "กรุณาแสดงความบริสุทธิ์ใจว่าไม่มีส่วนได้เสียก่อนตรวจรับ (ม.13)", "Declare no conflict of interest first (s.13)"
        )
    day = inspected_on or timezone.localdate()
    deadline = calendar.add_working_days(
        timezone.make_aware(datetime.combine(delivery.delivered_on, time(9))), rules.INSPECTION_WORKING_DAYS
    ).date()
    if day > deadline and not late_reason.strip():
        raise ProcurementError(
            f"เกินกำหนดตรวจรับ ({rules.INSPECTION_WORKING_DAYS} วันทำการ ถึง {deadline:%d/%m}/{deadline.year + 543}) "
            "กรุณาบันทึกเหตุผล (ม.100 และระเบียบฯ ข้อ 175)",
            "The inspection is past its deadline: record the reason (s.100; regulation cl. 175)",
        )
    if not accept and not comment.strip():
        raise ProcurementError("กรุณาระบุเหตุที่ไม่ตรวจรับ", "Give the reason for rejecting")
    with transaction.atomic():
        req = _locked(req, "inspect")
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status != Delivery.Status.PENDING:
            raise ProcurementError("ตรวจรับงวดนี้แล้ว", "This delivery was already inspected")
        delivery.inspected_on, delivery.inspected_by = day, actor
        delivery.late_inspection_reason = late_reason.strip()[:500]
        if not accept:
            delivery.status = Delivery.Status.REJECTED
            delivery.save()
            _audit(actor, "delivery_reject", req, delivery=delivery.pk, comment=comment)
            return delivery
        delivery.status = Delivery.Status.ACCEPTED
        delivery.late_days = max(0, (delivery.delivered_on - contract.delivery_due).days)
        delivery.penalty = rules.penalty(
            amount=delivery.amount, rate_percent=contract.penalty_rate_percent, late_days=delivery.late_days
        )
        accepted = (
            Delivery.objects.filter(contract=contract, status=Delivery.Status.ACCEPTED).aggregate(
                s=Sum("amount")
            )["s"]
            or ZERO
        ) + delivery.amount
        delivery.is_final = accepted >= contract.amount
        delivery.penalty = min(delivery.penalty, delivery.amount)
        delivery.save()
        line = req.budget_line
        ledger.entry_post(
            actor=actor, entry_date=day, description=f"ตรวจรับ {req.number} {contract.vendor_name}",
            lines=[
                LineSpec(line.expense_account.code, debit=delivery.amount, budget_line_id=line.pk, memo=req.number),
                LineSpec(PAYABLE_ACCOUNT, credit=delivery.amount, memo=contract.vendor_name[:200]),
            ],
            source_type="procurement.acceptance", source_id=str(delivery.pk),
        )  # fmt: skip
        if delivery.is_final:
            ledger.budget_consume(actor=actor, commitment=_commitment(contract.commitment_key))
            assets.assets_from_contract(actor=actor, contract=contract, delivery=delivery, on=day)
        data = {"all_delivered": "yes" if delivery.is_final else "no"}
        _complete(req, "inspect", data, actor=actor, outcome="accepted", comment=comment)
        _audit(
            actor,
            "delivery_accept",
            req,
            delivery=delivery.pk,
            penalty=delivery.penalty,
            final=delivery.is_final,
        )
    return delivery


def requisition_pay(*, actor: Any, requisition: Requisition, paid_on: date | None = None) -> list[Delivery]:
    """Finance pays every accepted, unpaid delivery (Dr payable / Cr bank, the late penalty
    deducted and credited to penalty income, 4206020101); once per delivery, however often it is
    called."""
    if not user_has_perm(actor, Perm.FINANCE_MANAGE):
        raise PermissionDenied
    if not can_act_on_line(actor, Perm.FINANCE_MANAGE, requisition.budget_line):
        raise PermissionDenied
    day = paid_on or timezone.localdate()
    assets.accounts_ensure(actor=actor)
    with transaction.atomic():
        req = Requisition.objects.select_for_update().select_related("budget_line").get(pk=requisition.pk)
        if req.current_step not in {"pay", "inspect"}:
            raise ProcurementError("ยังไม่มีรายการที่ตรวจรับแล้วให้จ่าย", "Nothing accepted to pay yet")
        due = list(
            Delivery.objects.select_for_update()
            .filter(contract__requisition=req, status=Delivery.Status.ACCEPTED, paid_on__isnull=True)
            .select_related("contract")
        )
        if not due and req.current_step != "pay":
            raise ProcurementError("ยังไม่มีรายการที่ตรวจรับแล้วให้จ่าย", "Nothing accepted to pay yet")
        for delivery in due:
            lines = [
                LineSpec(PAYABLE_ACCOUNT, debit=delivery.amount, memo=req.number),
                LineSpec(BANK_ACCOUNT, credit=delivery.net_payable, memo=delivery.contract.vendor_name[:200]),
            ]
            if delivery.penalty > ZERO:
                lines.append(
                    LineSpec(assets.PENALTY_INCOME_ACCOUNT, credit=delivery.penalty,
                             memo=f"ค่าปรับส่งมอบล่าช้า {delivery.late_days} วัน")
                )  # fmt: skip
            ledger.entry_post(
                actor=actor, entry_date=day, description=f"จ่ายเงิน {req.number} {delivery.contract.vendor_name}",
                lines=lines, source_type="procurement.payment", source_id=str(delivery.pk),
            )  # fmt: skip
            Delivery.objects.filter(pk=delivery.pk).update(paid_on=day)
        if req.current_step == "pay":
            _complete(req, "pay", {}, actor=actor, outcome="paid")
        _audit(actor, "requisition_pay", req, deliveries=[d.pk for d in due])
    return due
