"""The year's tax documents on employment income (Revenue Code s.40(1)), from approved runs only.

* ภ.ง.ด.1ก (s.58(2)): the yearly return of every payee: income paid and tax withheld in the
  calendar year, filed by the end of February.
* หนังสือรับรองการหักภาษี ณ ที่จ่าย ตามมาตรา 50 ทวิ: the employee's certificate of the year, given
  by the end of February: the same amounts, with social security and provident-fund
  contributions withheld (the employee claims them as allowances).

A payslip counts in the year of its run's pay date; a reversed run does not count (the
correcting run that replaced it does). Amounts are integer satang summed in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Sum

from codi.core.audit import audit_read
from codi.people.models import Employee, PayrollStatus, Payslip

PAYER_NAME = "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
PAYER_ADDRESS = "เลขที่ 912 ถนนนวมินทร์ แขวงคลองจั่น เขตบางกะปิ กรุงเทพมหานคร 10240"


DEMO_PAYER_TAX_ID = "0000000000000"  # settings' DEBUG-only stand-in: never a real tax ID


def payer_tax_id() -> str:
    """CODI's 13-digit tax ID, from the ``PEOPLE_PAYER_TAX_ID`` setting (environment variable
    ``CODI_PEOPLE_PAYER_TAX_ID``); blank until it is set."""
    return str(getattr(settings, "PEOPLE_PAYER_TAX_ID", "") or "").strip()


def _tax_id_valid(value: str) -> bool:
    """13 digits whose last is the check digit (the Revenue Department's mod-11 rule)."""
    if len(value) != 13 or not value.isdigit():
        return False
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(value[:12])) % 11) % 10
    return check == int(value[12])


def payer_tax_id_warning() -> str:
    """A Thai warning for HR when the payer's tax ID cannot go on a return as it is; else blank."""
    value = payer_tax_id()
    if not value:
        return (
            "ยังไม่ได้ตั้งค่าเลขประจำตัวผู้เสียภาษีอากรของผู้จ่ายเงิน (PEOPLE_PAYER_TAX_ID) "
            "เอกสารนี้ยังใช้ยื่นกรมสรรพากรหรือมอบให้พนักงานไม่ได้ โปรดแจ้งผู้ดูแลระบบ"
        )
    if value == DEMO_PAYER_TAX_ID:
        return "เลขประจำตัวผู้เสียภาษีอากรของผู้จ่ายเงินเป็นค่าตัวอย่างสำหรับระบบทดลอง ห้ามใช้ยื่นจริง"
    if not _tax_id_valid(value):
        return (
            f"เลขประจำตัวผู้เสียภาษีอากรของผู้จ่ายเงินที่ตั้งค่าไว้ ({value}) ไม่ถูกต้อง "
            "ต้องเป็นตัวเลข 13 หลักที่หลักสุดท้ายตรวจสอบถูกต้อง โปรดแจ้งผู้ดูแลระบบ"
        )
    return ""


def payer_rows() -> list[list[str]]:
    """The payer block of the ภ.ง.ด.1ก export (name, tax ID, address, and the warning if any)."""
    rows = [["ผู้มีหน้าที่หักภาษี ณ ที่จ่าย", PAYER_NAME], ["เลขประจำตัวผู้เสียภาษีอากร", payer_tax_id()],
            ["ที่อยู่", PAYER_ADDRESS]]  # fmt: skip
    warning = payer_tax_id_warning()
    return rows + ([["คำเตือน", warning]] if warning else [])


@dataclass(frozen=True)
class YearRow:
    sequence: int
    employee: Employee
    income: int
    tax: int
    sso: int
    pvd: int
    payments: int


def _slips(year: int) -> Any:
    return Payslip.objects.filter(run__status=PayrollStatus.APPROVED, run__pay_date__year=year)


def year_rows(year: int, *, employee_ids: set[int] | None = None) -> list[YearRow]:
    """Every payee of the year in employee-number order, with the year's sums (one query each for
    the sums and the employees). ``sequence`` is the row number in the ภ.ง.ด.1ก."""
    sums = {
        row["employee_id"]: row
        for row in _slips(year)
        .values("employee_id")
        .annotate(
            income=Sum("gross"),
            tax=Sum("tax"),
            sso=Sum("sso_employee"),
            pvd=Sum("pvd_employee"),
            payments=Count("pk"),
        )
    }
    employees = Employee.objects.filter(pk__in=sums).order_by("employee_no")
    out = []
    for sequence, employee in enumerate(employees, start=1):
        if employee_ids is not None and employee.pk not in employee_ids:
            continue
        s = sums[employee.pk]
        out.append(
            YearRow(
                sequence,
                employee,
                int(s["income"]),
                int(s["tax"]),
                int(s["sso"]),
                int(s["pvd"]),
                s["payments"],
            )
        )
    return out


@dataclass(frozen=True)
class YearTotals:
    payees: int
    income: int
    tax: int


def year_totals(year: int) -> YearTotals:
    sums = _slips(year).aggregate(
        payees=Count("employee_id", distinct=True), income=Sum("gross"), tax=Sum("tax")
    )
    return YearTotals(sums["payees"] or 0, int(sums["income"] or 0), int(sums["tax"] or 0))


PND1K_HEADER = [
    "ลำดับที่", "เลขประจำตัวผู้เสียภาษีอากร", "ชื่อ", "ชื่อสกุล", "ประเภทเงินได้", "จำนวนเงินได้ที่จ่ายทั้งปี",
    "จำนวนเงินภาษีที่หักและนำส่งทั้งปี", "เงื่อนไขการหักภาษี",
]  # fmt: skip


def _baht(satang: int) -> Decimal:
    return Decimal(satang) / 100


def pnd1k_rows(year: int, *, actor: Any) -> list[list[Any]]:
    """The ภ.ง.ด.1ก listing; the national IDs it shows are recorded as an unmasked view."""
    rows = year_rows(year)
    if rows:
        audit_read(
            actor=actor, object_type="people.Employee", object_id=f"pnd1k:{year}", fields=("national_id",)
        )
    # condition 1: tax withheld at source (หัก ณ ที่จ่าย)
    return [
        [r.sequence, r.employee.national_id, r.employee.first_name_th, r.employee.last_name_th, "40(1)",
         _baht(r.income), _baht(r.tax), 1]
        for r in rows
    ]  # fmt: skip


def baht_words(satang: int) -> str:
    """``6337500`` → ``หกหมื่นสามพันสามร้อยเจ็ดสิบห้าบาทถ้วน`` (PyThaiNLP, loaded when printing)."""
    from pythainlp.util import bahttext  # heavy: loaded when a certificate is printed

    return str(bahttext(float(_baht(satang))))


def certificate_context(*, actor: Any, employee: Employee, year: int) -> dict[str, Any] | None:
    """What the 50 ทวิ certificate shows for ``employee``'s ``year``; ``None`` when nothing was paid.
    The caller has checked that ``actor`` may see the employee's payslips; the unmasked national
    ID on it is recorded as a view."""
    rows = year_rows(year, employee_ids={employee.pk})
    if not rows:
        return None
    row = rows[0]
    audit_read(actor=actor, object_type="people.Employee", object_id=employee.pk, fields=("national_id",))
    return {
        "year": year, "year_be": year + 543, "row": row, "employee": employee,
        "payer_name": PAYER_NAME, "payer_address": PAYER_ADDRESS, "payer_tax_id": payer_tax_id(),
        "payer_warning": payer_tax_id_warning(),
        "tax_words": baht_words(row.tax),
    }  # fmt: skip
