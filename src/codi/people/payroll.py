"""Monthly payroll through ``processes/payroll_tobe.bpmn`` (codi.workflow), posted to finance's ledger.

prepare (HR, the maker: every payslip computed) → approve (``Perm.PAYROLL_APPROVE``; never the
maker): approve, return (payslips recomputed on the next submission) or reject. Approval posts
ONE balanced journal entry through ``codi.finance.services.post_entry`` keyed by the run, so a
retried approval never posts twice; the cost is debited by cost centre (each employee's
``CostSplit`` shares, else their org unit), each cost line carrying its centre as finance's
``org_unit`` dimension (``project`` for a project code), so the ledger reports by unit:

    Dr salaries (gross, overtime in it)  Cr withholding tax payable (tax)
    Dr employer social security          Cr social security payable (both sides)
    Dr employer provident fund           Cr provident fund payable (both sides)
       … for each cost centre            Cr other deductions payable (cooperative, loans)
                                         Cr bank (net pay)

Amounts are integer satang (``codi.people.tax``): social security from the dated rate table
valid on the pay date, provident fund = salary × rate half-up to the satang, tax by the
annualised method (Revenue Code s.50(1)). A run is all-or-nothing: one negative net pay, a
missing rate or a bad tax table refuses the whole run and writes nothing.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
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
from codi.finance import services as finance
from codi.finance.payments import render_bulk_file
from codi.finance.services import Dimensions, LineSpec
from codi.identity.models import OrgUnit
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.people import backpay, tax
from codi.people.models import (
    BackPayLine,
    CostSplit,
    Employee,
    OvertimeEntry,
    PayrollRun,
    PayrollStatus,
    Payslip,
    SocialSecurityRate,
)
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
COST_ACCOUNTS = (SALARY_EXPENSE, SSO_EXPENSE, PVD_EXPENSE)
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
    overtime: int = 0


def parents_claimed(employee: Employee) -> tuple[int, tuple[int, ...]]:
    """The parents claimed without a recorded birth year (counted as declared) and the birth years
    of the others (counted when aged 60 in the tax year, ``tax.qualifying_parents``)."""
    years = tax.parse_birth_years(employee.parents_birth_years)
    return max(employee.parents_allowance - len(years), 0), tuple(years)


def compute_pay(
    employee: Employee, *, pay_date: date, rate: tax.SsoRate, overtime: Sequence[tuple[str, int]] = ()
) -> Pay:
    """One employee's month (pure but for reading the employee's fields).

    ``overtime``: the month's (kind, hours in hundredths); its pay is wage for social security
    and a one-off payment for the tax (``tax.irregular_withholding``)."""
    salary = _satang(employee.salary)
    allowances = _satang(employee.monthly_allowance)
    ot = tax.overtime_pay(salary, overtime)
    regular_sso = tax.sso_contribution(salary + allowances, rate)
    gross = salary + allowances + ot
    sso = tax.sso_contribution(gross, rate)
    pvd = (salary * _satang(employee.pvd_rate) + 5_000) // 10_000  # rate in hundredths of a percent
    pvd_er = (salary * _satang(employee.pvd_employer_rate) + 5_000) // 10_000
    children = tax.parse_birth_years(employee.children_birth_years)
    parents, parent_years = parents_claimed(employee)
    withholding = tax.monthly_withholding(
        year=pay_date.year, monthly_salary=salary, monthly_taxable_allowances=allowances, monthly_sso=regular_sso,
        monthly_pvd=pvd, spouse=employee.spouse_allowance, children_birth_years=children,
        parents=parents, parents_birth_years=parent_years,
    )  # fmt: skip
    if ot:
        regular = tax.TaxInput(
            year=pay_date.year, salary=salary * 12, bonus=allowances * 12, sso=regular_sso * 12, pvd=pvd * 12,
            spouse=employee.spouse_allowance, children_birth_years=children, parents=parents,
            parents_birth_years=parent_years,
        )  # fmt: skip
        withholding += tax.irregular_withholding(
            regular=regular, irregular=ot, irregular_sso=sso - regular_sso
        )
    other = _satang(employee.monthly_deduction)
    net = gross - sso - pvd - withholding - other
    return Pay(salary, allowances, gross, sso, sso, pvd, pvd_er, withholding, other, net, ot)


def with_backpay(
    pay: Pay, employee: Employee, back: backpay.BackPay, *, pay_date: date, rate: tax.SsoRate
) -> Pay:
    """The month's pay with its back pay (``codi.people.backpay``) added: the salary difference in
    the gross, the months' social security and provident fund differences in the deductions and
    the employer's share, the one-off withholding on it in the tax."""
    regular_sso = tax.sso_contribution(pay.salary + pay.allowances, rate)
    parents, parent_years = parents_claimed(employee)
    regular = tax.TaxInput(
        year=pay_date.year, salary=pay.salary * 12, bonus=pay.allowances * 12 + pay.overtime,
        sso=regular_sso * 12 + pay.sso_employee - regular_sso, pvd=pay.pvd_employee * 12,
        spouse=employee.spouse_allowance, children_birth_years=tax.parse_birth_years(employee.children_birth_years),
        parents=parents, parents_birth_years=parent_years,
    )  # fmt: skip
    withholding = pay.tax + backpay.backpay_tax(regular=regular, back=back)
    gross = pay.gross + back.salary
    sso, pvd = pay.sso_employee + back.sso_employee, pay.pvd_employee + back.pvd_employee
    net = gross - sso - pvd - withholding - pay.other_deductions
    return Pay(
        pay.salary, pay.allowances, gross, sso, pay.sso_employer + back.sso_employer, pvd,
        pay.pvd_employer + back.pvd_employer, withholding, pay.other_deductions, net, pay.overtime,
    )  # fmt: skip


def _require_hr(actor: Any) -> None:
    if hr_unit_scope(actor, Perm.PEOPLE_MANAGE) is not None:  # payroll is organisation-wide
        raise PermissionDenied


def _payees(run: PayrollRun) -> list[Employee]:
    """Everyone paid in the run's month, in one query; the encrypted fields are not decrypted."""
    first = date(run.year, run.month, 1)
    return list(
        Employee.objects.filter(start_date__lte=run.pay_date)
        .exclude(end_date__lt=first)
        .defer("national_id", "bank_account", "birth_date")
        .select_related("org_unit")
        .order_by("employee_no")
    )


def _month(run: PayrollRun) -> tuple[date, date]:
    first = date(run.year, run.month, 1)
    return first, date(run.year, run.month, calendar.monthrange(run.year, run.month)[1])


def _overtime_by_employee(run: PayrollRun) -> dict[int, list[tuple[str, int]]]:
    """The month's overtime, one query: employee id → [(kind, hours in hundredths)]."""
    out: dict[int, list[tuple[str, int]]] = {}
    rows = OvertimeEntry.objects.filter(work_date__range=_month(run)).values_list(
        "employee_id", "kind", "hours"
    )
    for employee_id, kind, hours in rows:
        out.setdefault(employee_id, []).append((kind, int(hours * 100)))
    return out


def _splits_by_employee() -> dict[int, list[tuple[str, int]]]:
    """Cost-centre shares, one query: employee id → [(code, percent in hundredths)]."""
    out: dict[int, list[tuple[str, int]]] = {}
    for employee_id, code, percent in CostSplit.objects.values_list("employee_id", "cost_centre", "percent"):
        out.setdefault(employee_id, []).append((code, int(percent * 100)))
    return out


def cost_split(pay: Pay, shares: Sequence[tuple[str, int]]) -> dict[str, list[int]]:
    """The slip's employer cost (gross, employer SSO, employer PVD) by cost centre, each exact."""
    parts = [
        tax.split_by_percent(amount, shares) for amount in (pay.gross, pay.sso_employer, pay.pvd_employer)
    ]
    return {code: [part[code] for part in parts] for code, _share in shares}


def _compute(run: PayrollRun) -> None:
    """(Re)compute every payslip of the run; all-or-nothing, a fixed number of queries."""
    try:
        table = sso_rates()
        rate = tax.sso_rate_on(run.pay_date, table)
        overtime = _overtime_by_employee(run)
        splits = _splits_by_employee()
        owed = backpay.pending(run, table)
        slips, lines = [], []
        for employee in _payees(run):
            pay = compute_pay(
                employee, pay_date=run.pay_date, rate=rate, overtime=overtime.get(employee.pk, ())
            )
            back = owed.get(employee.pk)
            if back is not None:
                pay = with_backpay(pay, employee, back, pay_date=run.pay_date, rate=rate)
            if pay.net < 0:
                raise PeopleError(
                    f"เงินได้สุทธิของ {employee.full_name} ({employee.employee_no}) ติดลบ",
                    f"Net pay of employee {employee.employee_no} is negative",
                )
            shares = splits.get(employee.pk) or [(employee.org_unit.code, 10_000)]
            slip = Payslip(run=run, employee=employee, cost_split=cost_split(pay, shares), **pay.__dict__)
            slips.append(slip)
            lines += [(slip, line) for line in (back.lines if back is not None else ())]
    except tax.TableGap as gap:
        raise PeopleError(gap.message_th, gap.message_en) from None
    if not slips:
        raise PeopleError("ไม่มีพนักงานที่ต้องจ่ายในงวดนี้", "Nobody is paid in this period")
    Payslip.objects.filter(run=run).delete()
    Payslip.objects.bulk_create(slips, batch_size=1000)
    if lines:  # the payslips have their keys now (bulk_create sets them on SQLite and PostgreSQL)
        BackPayLine.objects.bulk_create(
            [BackPayLine(payslip=slip, employee_id=slip.employee_id, for_year=line.year, for_month=line.month,
                         salary=line.salary, sso_employee=line.sso_employee, sso_employer=line.sso_employer,
                         pvd_employee=line.pvd_employee, pvd_employer=line.pvd_employer)
             for slip, line in lines],
            batch_size=1000,
        )  # fmt: skip
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


def cost_centre_totals(run: PayrollRun) -> dict[str, list[int]]:
    """The run's employer cost by cost centre: {code: [gross, employer SSO, employer PVD]} in satang."""
    out: dict[str, list[int]] = {}
    for split in (
        Payslip.objects.filter(run=run).values_list("cost_split", flat=True).iterator(chunk_size=2000)
    ):
        for code, amounts in split.items():
            row = out.setdefault(code, [0, 0, 0])
            for i, amount in enumerate(amounts):
                row[i] += amount
    return dict(sorted(out.items()))


def centre_dimensions(code: str, unit_codes: set[str] | None) -> Dimensions:
    """A cost centre as finance's line dimensions: an org unit's code is the ``org_unit`` dimension,
    any other code (a project's) the ``project`` dimension; no code, none."""
    if not code:
        return Dimensions()
    if unit_codes is None or code in unit_codes:
        return Dimensions(org_unit=code)
    return Dimensions(project=code)


def journal_lines(
    totals: Totals, *, budget_line_id: int | None = None, by_centre: dict[str, list[int]] | None = None,
    unit_codes: set[str] | None = None,
) -> list[LineSpec]:  # fmt: skip
    """The run's balanced entry: the cost debited by cost centre (each line carrying the centre as
    its ``org_unit`` dimension, or ``project`` for a project code not in ``unit_codes``), the
    payables and the bank credited once; zero lines left out."""
    centres = by_centre or {"": [totals.gross, totals.sso_employer, totals.pvd_employer]}
    debits = [
        (account, amounts[i], code)
        for code, amounts in centres.items()
        for i, account in enumerate(COST_ACCOUNTS)
    ]
    credits = [
        (TAX_PAYABLE, totals.tax), (SSO_PAYABLE, totals.sso_employee + totals.sso_employer),
        (PVD_PAYABLE, totals.pvd_employee + totals.pvd_employer), (OTHER_PAYABLE, totals.other), (BANK, totals.net),
    ]  # fmt: skip
    lines = [
        LineSpec(code, debit=_baht(dr), budget_line_id=budget_line_id, memo="เงินเดือน",
                 dimensions=centre_dimensions(centre, unit_codes))
        for code, dr, centre in debits
        if dr
    ]  # fmt: skip
    return lines + [LineSpec(code, credit=_baht(cr), memo="เงินเดือน") for code, cr in credits if cr]


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
        commitment = finance.budget_commit(
            actor=actor, budget_line=line, amount=cost, source_key=f"{SOURCE_TYPE}:{run.pk}"
        )
        finance.budget_consume(actor=actor, commitment=commitment)
    by_centre = cost_centre_totals(run)
    unit_codes = set(OrgUnit.objects.filter(code__in=by_centre).values_list("code", flat=True))
    entry = finance.post_entry(
        actor=actor, entry_date=run.pay_date,
        description=f"เงินเดือนงวด {run.month}/{run.year + 543} ({run.employee_count} คน)",
        lines=journal_lines(totals, budget_line_id=budget_line_id, by_centre=by_centre, unit_codes=unit_codes),
        source_type=SOURCE_TYPE, source_id=str(run.pk),
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
        if run.journal_entry_id is None:
            raise PeopleError("ไม่พบรายการบัญชีของงวดนี้", "The run's journal entry was not found")
        try:
            reversal = finance.reverse_source(
                actor=actor, source_type=SOURCE_TYPE, source_id=str(run.pk), entry_date=entry_date,
                reason=reason.strip(),
            )  # fmt: skip
        except finance.FinanceError as exc:
            raise PeopleError(exc.message_th, exc.message_en) from None
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
