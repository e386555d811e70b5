"""Monthly payroll through ``processes/payroll_tobe.bpmn`` (codi.workflow), posted to finance's ledger.

prepare (HR, the maker: every payslip computed) → approve (``Perm.PAYROLL_APPROVE``; never the
maker): approve, return (payslips recomputed on the next submission) or reject. Approval posts
ONE balanced journal entry through ``codi.finance.ledger.entry_post`` keyed by the run, so a
retried approval never posts twice:

    Dr salaries (gross)                 Cr withholding tax payable (tax)
    Dr employer social security         Cr social security payable (both sides)
    Dr employer provident fund          Cr provident fund payable (both sides)
                                        Cr other deductions payable (cooperative, loans)
                                        Cr bank (net pay)

Amounts are integer satang (``codi.people.tax``): social security from the dated rate table
valid on the pay date, provident fund = salary × rate half-up to the satang, tax by the
annualised method (Revenue Code s.50(1)). A run is all-or-nothing: one negative net pay, a
missing rate or a bad tax table refuses the whole run and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum

from codi.core.audit import audit_record
from codi.finance import ledger
from codi.finance import selectors as finance_selectors
from codi.finance.ledger import LineSpec
from codi.finance.payments import render_bulk_file
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.people import tax
from codi.people.models import Employee, PayrollRun, PayrollStatus, Payslip, SocialSecurityRate
from codi.people.selectors import hr_unit_scope
from codi.people.services import PeopleError
from codi.workflow.engine import Process, StepError

PROCESSES_DIR = Path(__file__).resolve().parent / "processes"
TOBE_FILE = PROCESSES_DIR / "payroll_tobe.bpmn"
ASIS_FILE = PROCESSES_DIR / "payroll_asis.bpmn"
PROCESS = Process(TOBE_FILE, "codi_payroll_tobe")
ACCOUNTS_FILE = Path(__file__).resolve().parent / "data" / "payroll_accounts.csv"
STEP_STATUS = {"prepare": PayrollStatus.DRAFT, "approve": PayrollStatus.APPROVAL}
END_STATUS = {"end_approved": PayrollStatus.APPROVED, "end_rejected": PayrollStatus.REJECTED}

SALARY_EXPENSE = "5101010101"
SSO_EXPENSE = "5101020101"  # finance's chart: employer social security
PVD_EXPENSE = "5101010103"
TAX_PAYABLE = "2102040101"
SSO_PAYABLE = "2102040102"
PVD_PAYABLE = "2102040105"  # 2102040103 is output VAT in finance's chart
OTHER_PAYABLE = "2102040106"
BANK = "1101020601"
SOURCE_TYPE = "people.payroll"


def _satang(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _baht(satang: int) -> Decimal:
    return Decimal(satang) / 100


def sso_rates() -> list[tax.SsoRate]:
    """The editable table as the engine's rows."""
    return [
        tax.SsoRate(r.valid_from, r.valid_to, r.rate_percent, _satang(r.wage_floor), _satang(r.wage_ceiling))
        for r in SocialSecurityRate.objects.order_by("valid_from")
    ]


@dataclass(frozen=True)
class Pay:
    salary: int
    allowances: int
    gross: int
    sso_employee: int
    sso_employer: int
    pvd_employee: int
    pvd_employer: int
    tax: int
    other_deductions: int
    net: int


def compute_pay(employee: Employee, *, pay_date: date, rate: tax.SsoRate) -> Pay:
    """One employee's month (pure but for reading the employee's fields)."""
    salary = _satang(employee.salary)
    allowances = _satang(employee.monthly_allowance)
    gross = salary + allowances
    sso = tax.sso_contribution(gross, rate)
    pvd = (salary * _satang(employee.pvd_rate) + 5_000) // 10_000  # rate in hundredths of a percent
    pvd_er = (salary * _satang(employee.pvd_employer_rate) + 5_000) // 10_000
    withholding = tax.monthly_withholding(
        year=pay_date.year, monthly_salary=salary, monthly_taxable_allowances=allowances, monthly_sso=sso,
        monthly_pvd=pvd, spouse=employee.spouse_allowance,
        children_birth_years=tax.parse_birth_years(employee.children_birth_years),
        parents=employee.parents_allowance,
    )  # fmt: skip
    other = _satang(employee.monthly_deduction)
    net = gross - sso - pvd - withholding - other
    return Pay(salary, allowances, gross, sso, sso, pvd, pvd_er, withholding, other, net)


def _require_hr(actor: Any) -> None:
    if hr_unit_scope(actor, Perm.PEOPLE_MANAGE) is not None:  # payroll is organisation-wide
        raise PermissionDenied


def _payees(run: PayrollRun) -> list[Employee]:
    first = date(run.year, run.month, 1)
    return list(
        Employee.objects.filter(start_date__lte=run.pay_date)
        .exclude(end_date__lt=first)
        .order_by("employee_no")
    )


def _compute(run: PayrollRun) -> None:
    """(Re)compute every payslip of the run; all-or-nothing."""
    try:
        rate = tax.sso_rate_on(run.pay_date, sso_rates())
        slips = []
        for employee in _payees(run):
            pay = compute_pay(employee, pay_date=run.pay_date, rate=rate)
            if pay.net < 0:
                raise PeopleError(
                    f"เงินได้สุทธิของ {employee.full_name} ({employee.employee_no}) ติดลบ",
                    f"Net pay of employee {employee.employee_no} is negative",
                )
            slips.append(Payslip(run=run, employee=employee, **pay.__dict__))
    except tax.TableGap as gap:
        raise PeopleError(gap.message_th, gap.message_en) from None
    if not slips:
        raise PeopleError("ไม่มีพนักงานที่ต้องจ่ายในงวดนี้", "Nobody is paid in this period")
    Payslip.objects.filter(run=run).delete()
    Payslip.objects.bulk_create(slips, batch_size=1000)
    run.employee_count = len(slips)
    run.gross_satang = sum(s.gross for s in slips)
    run.net_satang = sum(s.net for s in slips)
    run.tax_satang = sum(s.tax for s in slips)


def _sync(run: PayrollRun, transition: Any) -> None:
    run.workflow_state = transition.state
    if transition.ready:
        run.current_step = transition.ready[0]
        run.status = STEP_STATUS[run.current_step]
    else:
        run.current_step = ""
        run.status = END_STATUS.get(transition.ended or "", PayrollStatus.REJECTED)
    run.save()


def payroll_run_create(
    *, actor: Any, year: int, month: int, pay_date: date, pay_group: str = "ALL", is_demo: bool = False
) -> PayrollRun:
    """A new run with every payslip computed (the preview), at the ``prepare`` step."""
    _require_hr(actor)
    if not 1 <= month <= 12 or not 2000 <= year <= 2200:
        raise PeopleError("งวดเงินเดือนไม่ถูกต้อง", "Invalid pay period")
    with transaction.atomic():
        taken = PayrollRun.objects.filter(year=year, month=month, pay_group=pay_group).exclude(
            status__in=(PayrollStatus.REJECTED, PayrollStatus.REVERSED)
        )
        if taken.filter(status=PayrollStatus.APPROVED).exists():
            raise PeopleError(
                f"งวด {month}/{year + 543} ปิดแล้ว (อนุมัติแล้ว) แก้ไขด้วยงวดปรับปรุงเท่านั้น",
                f"Period {year}-{month:02d} is closed (approved); correct it with a correcting run",
            )
        if taken.exists():
            raise PeopleError(
                f"มีงวด {month}/{year + 543} อยู่ระหว่างดำเนินการแล้ว", "A run for this period is open"
            )
        run = PayrollRun(
            year=year, month=month, pay_group=pay_group, pay_date=pay_date, created_by=actor, is_demo=is_demo
        )
        run.save()
        _compute(run)
        _sync(run, PROCESS.start())
        audit_record(
            actor=actor, action="people.payroll_create", object_type="people.PayrollRun", object_id=run.pk,
            changes={"period": run.period, "employees": run.employee_count, "gross": _baht(run.gross_satang)},
        )  # fmt: skip
    return run


def _locked(run: PayrollRun, step: str) -> PayrollRun:
    locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
    if locked.current_step != step:
        raise PeopleError("งวดเงินเดือนไม่ได้อยู่ที่ขั้นตอนนี้แล้ว", f"The run is no longer at step {step!r}")
    return locked


def _complete(run: PayrollRun, step: str, data: dict[str, Any]) -> None:
    try:
        transition = PROCESS.complete(run.workflow_state, task=step, data=data)
    except StepError as exc:
        raise PeopleError("งวดเงินเดือนไม่ได้อยู่ที่ขั้นตอนนี้", str(exc)) from exc
    _sync(run, transition)


def payroll_submit(*, actor: Any, run: PayrollRun) -> PayrollRun:
    """The maker recomputes (salaries may have changed since) and sends the run for approval."""
    _require_hr(actor)
    with transaction.atomic():
        run = _locked(run, "prepare")
        _compute(run)
        _complete(run, "prepare", {})
        audit_record(
            actor=actor, action="people.payroll_submit", object_type="people.PayrollRun", object_id=run.pk,
            changes={"employees": run.employee_count, "net": _baht(run.net_satang)},
        )  # fmt: skip
    return run


@dataclass(frozen=True)
class Totals:
    gross: int
    sso_employee: int
    sso_employer: int
    pvd_employee: int
    pvd_employer: int
    tax: int
    other: int
    net: int


def run_totals(run: PayrollRun) -> Totals:
    sums = Payslip.objects.filter(run=run).aggregate(
        gross=Sum("gross"), sso_employee=Sum("sso_employee"), sso_employer=Sum("sso_employer"),
        pvd_employee=Sum("pvd_employee"), pvd_employer=Sum("pvd_employer"), tax=Sum("tax"),
        other=Sum("other_deductions"), net=Sum("net"),
    )  # fmt: skip
    return Totals(**{k: int(v or 0) for k, v in sums.items()})


def journal_lines(totals: Totals, *, budget_line_id: int | None = None) -> list[LineSpec]:
    """The run's balanced entry; zero lines left out."""
    memo = "เงินเดือน"
    rows = [
        (SALARY_EXPENSE, totals.gross, 0, budget_line_id),
        (SSO_EXPENSE, totals.sso_employer, 0, budget_line_id),
        (PVD_EXPENSE, totals.pvd_employer, 0, budget_line_id),
        (TAX_PAYABLE, 0, totals.tax, None),
        (SSO_PAYABLE, 0, totals.sso_employee + totals.sso_employer, None),
        (PVD_PAYABLE, 0, totals.pvd_employee + totals.pvd_employer, None),
        (OTHER_PAYABLE, 0, totals.other, None),
        (BANK, 0, totals.net, None),
    ]
    return [
        LineSpec(code, debit=_baht(dr), credit=_baht(cr), budget_line_id=line, memo=memo)
        for code, dr, cr, line in rows
        if dr or cr
    ]


def payroll_approve(
    *, actor: Any, run: PayrollRun, decision: str, comment: str = "", budget_line_id: int | None = None
) -> PayrollRun:
    """The approver (never the maker) approves — posting the entry — returns or rejects."""
    if not user_has_perm(actor, Perm.PAYROLL_APPROVE):
        raise PermissionDenied
    if decision not in {"approve", "return", "reject"}:
        raise PeopleError("ผลการอนุมัติไม่ถูกต้อง", "Unknown decision")
    if decision != "approve" and not comment.strip():
        raise PeopleError("กรุณาระบุเหตุผล", "Give the reason")
    with transaction.atomic():
        run = _locked(run, "approve")
        if run.created_by_id == getattr(actor, "pk", None):
            raise PeopleError("ผู้จัดทำอนุมัติงวดเงินเดือนของตนเองไม่ได้", "The maker cannot approve their own run")
        if decision == "approve":
            run.approved_by = actor
            _post(run, actor, budget_line_id)
        _complete(run, "approve", {"approve_decision": decision})
        audit_record(
            actor=actor, action="people.payroll_approve", object_type="people.PayrollRun", object_id=run.pk,
            changes={"decision": decision, "comment": comment, "entry": run.journal_entry_number},
        )  # fmt: skip
    return run


def payroll_accounts_ensure(*, actor: Any) -> None:
    """Add the payroll accounts (social security, provident fund, deductions) to finance's chart; the
    salary, tax-payable and bank accounts are already in it."""
    ledger.chart_load(actor=actor, path=ACCOUNTS_FILE)


def _post(run: PayrollRun, actor: Any, budget_line_id: int | None) -> None:
    payroll_accounts_ensure(actor=actor)
    totals = run_totals(run)
    if budget_line_id is not None:
        line = finance_selectors.budget_line_list(actor=actor).filter(pk=budget_line_id).first()
        if line is None:
            raise PeopleError("ไม่พบงบประมาณที่เลือก", "Budget line not found")
        cost = _baht(totals.gross + totals.sso_employer + totals.pvd_employer)
        commitment = ledger.budget_commit(
            actor=actor, budget_line=line, amount=cost, source_key=f"{SOURCE_TYPE}:{run.pk}"
        )
        ledger.budget_consume(actor=actor, commitment=commitment)
    entry = ledger.entry_post(
        actor=actor, entry_date=run.pay_date,
        description=f"เงินเดือนงวด {run.month}/{run.year + 543} ({run.employee_count} คน)",
        lines=journal_lines(totals, budget_line_id=budget_line_id), source_type=SOURCE_TYPE, source_id=str(run.pk),
    )  # fmt: skip
    run.journal_entry_id = entry.pk
    run.journal_entry_number = entry.number


def payroll_reverse(*, actor: Any, run: PayrollRun, reason: str, entry_date: date) -> PayrollRun:
    """Undo an approved run: its entry is reversed in the ledger and the period opens for a correcting run.

    The run and its payslips are never edited; the correcting run is a new run for the same period.
    """
    if not user_has_perm(actor, Perm.PAYROLL_APPROVE):
        raise PermissionDenied
    if not reason.strip():
        raise PeopleError("กรุณาระบุเหตุผลการกลับรายการ", "Give the reason for the reversal")
    with transaction.atomic():
        run = PayrollRun.objects.select_for_update().get(pk=run.pk)
        if run.status != PayrollStatus.APPROVED:
            raise PeopleError("กลับรายการได้เฉพาะงวดที่อนุมัติแล้ว", "Only an approved run is reversed")
        entry = None
        if run.journal_entry_id is not None:
            entry = finance_selectors.entry_list(actor=actor).filter(pk=run.journal_entry_id).first()
        if entry is None:
            raise PeopleError("ไม่พบรายการบัญชีของงวดนี้", "The run's journal entry was not found")
        reversal = ledger.entry_reverse(
            actor=actor, entry=entry, entry_date=entry_date, reason=reason.strip()
        )
        run.status, run.reversal_entry_number = PayrollStatus.REVERSED, reversal.number
        run.save(update_fields=["status", "reversal_entry_number"])
        audit_record(
            actor=actor, action="people.payroll_reverse", object_type="people.PayrollRun", object_id=run.pk,
            changes={"reason": reason, "entry": reversal.number},
        )  # fmt: skip
    return run


def payroll_diagram(run: PayrollRun) -> dict[str, Any]:
    return PROCESS.diagram(run.workflow_state)


# --- files ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Transfer:
    """One line of finance's bulk transfer file (the fields its renderer reads)."""

    number: str
    payee_name: str
    payee_bank_code: str
    payee_account_no: str
    amount: Decimal


def bank_file(run: PayrollRun) -> str:
    """The salary transfer file in finance's bulk format (header, one line per payee, trailer)."""
    if run.status != PayrollStatus.APPROVED:
        raise PeopleError("ทำไฟล์โอนเงินได้เมื่ออนุมัติงวดแล้ว", "The bank file follows the approval")
    rows = [
        _Transfer(
            f"PAY{run.year}{run.month:02d}-{s.employee.employee_no}",
            s.employee.full_name,
            s.employee.bank_code,
            s.employee.bank_account,
            _baht(s.net),
        )
        for s in Payslip.objects.filter(run=run).select_related("employee").order_by("employee__employee_no")
        if s.net > 0
    ]
    return render_bulk_file(number=f"PAY{run.year}{run.month:02d}", value_date=run.pay_date, rows=rows)  # type: ignore[arg-type]


def pnd1_rows(run: PayrollRun) -> list[list[Any]]:
    """ภ.ง.ด.1 monthly listing: one row per payee with income and tax withheld (baht)."""
    out = []
    for seq, slip in enumerate(
        Payslip.objects.filter(run=run).select_related("employee").order_by("employee__employee_no"), start=1
    ):
        e = slip.employee
        out.append([seq, e.national_id, e.first_name_th, e.last_name_th, run.pay_date, _baht(slip.gross),
                    _baht(slip.tax), 1])  # fmt: skip
    return out


PND1_HEADER = [
    "ลำดับ", "เลขประจำตัวผู้เสียภาษี", "ชื่อ", "ชื่อสกุล", "วันที่จ่าย", "จำนวนเงินได้ที่จ่าย",
    "จำนวนเงินภาษีที่หักและนำส่ง", "เงื่อนไข",
]  # fmt: skip


SSO_HEADER = ["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ", "ชื่อสกุล", "ค่าจ้าง", "ค่าจ้างที่ใช้คำนวณ", "เงินสมทบผู้ประกันตน"]


def sso_rows(run: PayrollRun) -> list[list[Any]]:
    """The monthly social-security contribution listing (สปส.1-10 part 2): wage, wage base, contribution."""
    rate = tax.sso_rate_on(run.pay_date, sso_rates())
    out = []
    for seq, slip in enumerate(
        Payslip.objects.filter(run=run).select_related("employee").order_by("employee__employee_no"), start=1
    ):
        e = slip.employee
        base = min(max(slip.gross, rate.wage_floor), rate.wage_ceiling)
        out.append([seq, e.national_id, e.first_name_th, e.last_name_th, _baht(slip.gross), _baht(base),
                    _baht(slip.sso_employee)])  # fmt: skip
    return out
