"""Review and approval: screening, committee review, approval and the agreement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.identity.models import User
from codi.identity.roles import Perm
from codi.projects.models import (
    ZERO,
    BudgetLine,
    Installment,
    Project,
)
from codi.projects.services.common import (
    InstallmentPlan,
    ProjectError,
    _coerce,
    _money,
    _Pending,
    _region_of,
    _require,
    _save_project,
)
from codi.projects.services.money import announce_money_moved
from codi.projects.services.process import (
    _advance,
    _after_commit,
    _at_step,
    _lock_project,
)


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
        announce_money_moved(
            actor=actor, kind="approval", row_id=project.pk, amount=amount, at=project.approved_at,
            reference="", project=project, line=line,
        )  # fmt: skip
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
