"""Money: programs, budget lines, installments paid, fund returns and reductions."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from codi.areas.models import Region
from codi.core.audit import audit_record
from codi.identity.models import User
from codi.identity.roles import Perm
from codi.projects import hooks
from codi.projects.models import (
    ZERO,
    BudgetLine,
    Disbursement,
    FundReturn,
    Installment,
    InstallmentStatus,
    Program,
    ProgramKind,
    Project,
)
from codi.projects.selectors import ACTIVE_STATUSES
from codi.projects.services.common import (
    FINISHED,
    ProjectError,
    _can_in_region,
    _deny,
    _fiscal_year,
    _locked_line,
    _money,
    _Pending,
    _planned,
    _require,
    _save_project,
    _text,
)
from codi.projects.services.process import (
    _advance,
    _after_commit,
    _at_step,
    _lock_project,
)


def announce_money_moved(
    *, actor: User, kind: str, row_id: int, amount: Decimal, at: object, reference: str,
    project: Project, line: BudgetLine,
) -> None:  # fmt: skip
    """Tell the registered handlers (the ledger) inside the caller's transaction; a refusal
    becomes a ``ProjectError`` and rolls the payment back (``codi.projects.hooks``)."""
    if not hooks.handlers():
        return
    paid, _returned = _project_paid(project)
    province = (
        Project.objects.filter(pk=project.pk)
        .values_list("subdistrict__district__province_id", flat=True)
        .first()
    )
    event = hooks.MoneyEvent(
        kind=kind, id=row_id, amount=amount, at=at, reference=reference,  # type: ignore[arg-type]
        project_id=project.pk, project_code=project.code, province_id=province or "",
        approved_amount=project.approved_amount, paid=paid,
        project_active=project.status in ACTIVE_STATUSES,
        budget_line={
            "id": line.pk, "fiscal_year": line.fiscal_year, "allocated": line.allocated,
            "region_id": line.region_id, "program__code": project.program.code,
            "program__name_th": project.program.name_th,
        },
        actor=actor,
    )  # fmt: skip
    try:
        hooks.money_moved(event)
    except hooks.HookRefused as exc:
        raise ProjectError(
            f"บันทึกบัญชีไม่ได้ จึงไม่บันทึกรายการนี้: {exc.message_th}",
            f"The books refused the posting, so nothing was recorded: {exc.message_en}",
            code="posting_refused",
        ) from exc


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
        announce_money_moved(
            actor=actor, kind="disbursement", row_id=disbursement.pk, amount=disbursement.amount, at=now,
            reference=disbursement.reference, project=project, line=line,
        )  # fmt: skip
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
        announce_money_moved(
            actor=actor, kind="fund_return", row_id=fund_return.pk, amount=amount,
            at=fund_return.recorded_at, reference=reason, project=project, line=line,
        )  # fmt: skip
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
        announce_money_moved(
            actor=actor, kind="approval", row_id=project.pk, amount=cut, at=timezone.now(),
            reference=reason, project=project, line=line,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="projects.project.reduce",
            object_type="projects.project",
            object_id=project.pk,
            changes={"approved_amount": [old, new_amount], "reason": reason, "released": cut},
        )
        _after_commit(pending)
    return project
