"""Employee master and leave-balance imports: errors by line and column, all-or-nothing, idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from codi.core.models import AuditEntry
from codi.people import importing
from codi.people.models import Employee, LeaveBalance, SalaryChange
from codi.people.services import PeopleError
from tests.people.conftest import national_id

HEADER = "employee_no,first_name_th,last_name_th,position,org_unit,salary,start_date,national_id,bank_code,bank_account,children_birth_years,pvd_rate"


def _row(no: str, unit: str = "R-N", salary: str = "30000", nid: str | None = None, **kw: str) -> str:
    values = {
        "employee_no": no, "first_name_th": "สมศรี", "last_name_th": "มีสุข", "position": "นักพัฒนาชุมชน",
        "org_unit": unit, "salary": salary, "start_date": "1/10/2568", "national_id": nid or national_id(900 + int(no[1:])),
        "bank_code": "6", "bank_account": "123-4-56789-0", "children_birth_years": "2015;2019", "pvd_rate": "3",
    }  # fmt: skip
    values.update(kw)
    return ",".join(values[k] for k in HEADER.split(","))


def _csv(tmp_path, *rows: str, name: str = "staff.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    return path


def test_employees_are_created_then_a_second_import_changes_nothing(staff, tmp_path):
    path = _csv(tmp_path, _row("N1"), _row("N2", unit="R-S", salary='"41,500.50"'))
    report = importing.employee_import(actor=staff["hr_all"], path=path)
    assert (report.created, report.updated, report.errors, report.written) == (2, 0, [], True)
    n2 = Employee.objects.get(employee_no="N2")
    assert (n2.salary, n2.org_unit.code, n2.bank_code, n2.start_date.isoformat()) == (
        Decimal("41500.50"),
        "R-S",
        "006",
        "2025-10-01",
    )
    assert n2.bank_account == "1234567890" and n2.bank_account_masked == "xxxxxx7890"
    assert SalaryChange.objects.filter(employee=n2).count() == 1
    audits = AuditEntry.objects.filter(action="people.employee_import").count()
    again = importing.employee_import(actor=staff["hr_all"], path=path)
    assert (again.created, again.updated, again.unchanged, again.written) == (0, 0, 2, False)
    assert AuditEntry.objects.filter(action="people.employee_import").count() == audits
    # a raise is an update with its salary history
    raised = importing.employee_import(actor=staff["hr_all"], path=_csv(tmp_path, _row("N1", salary="31000")))
    assert (raised.updated, raised.created) == (1, 0)
    assert [s.salary for s in SalaryChange.objects.filter(employee__employee_no="N1")] == [
        Decimal("31000.00"),
        Decimal("30000.00"),
    ]


def test_row_errors_name_line_and_column_and_nothing_is_written(staff, tmp_path):
    path = _csv(
        tmp_path,
        _row("N1"),
        _row("N2", nid="1234567890123"),  # line 3: wrong check digit
        _row("N3", unit="NOPE"),  # line 4
        _row("N4", salary="-5"),  # line 5
        _row("N1", nid=national_id(999)),  # line 6: repeats line 2
        _row("N7", children_birth_years="15"),  # line 7
    )
    report = importing.employee_import(actor=staff["hr_all"], path=path)
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "national_id (H)"),
        (4, "org_unit (E)"),
        (5, "salary (F)"),
        (6, "employee_no (A)"),
        (7, "children_birth_years (K)"),
    ]
    assert "check digit" in report.errors[0].message_en and "repeats line 2" in report.errors[3].message_en
    assert not report.written and not Employee.objects.filter(employee_no="N1").exists()


def test_scope_dry_run_and_missing_columns(staff, tmp_path):
    # HR of the north may not import into the south
    report = importing.employee_import(actor=staff["hr_north"], path=_csv(tmp_path, _row("N1", unit="R-S")))
    assert [(e.line, e.column) for e in report.errors] == [(2, "org_unit (E)")]
    with pytest.raises(PermissionDenied):
        importing.employee_import(actor=staff["outsider"], path=_csv(tmp_path, _row("N1")))
    dry = importing.employee_import(actor=staff["hr_north"], path=_csv(tmp_path, _row("N1")), dry_run=True)
    assert (dry.created, dry.written) == (1, False) and not Employee.objects.filter(employee_no="N1").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("employee_no,salary\nN1,100\n", encoding="utf-8")
    with pytest.raises(PeopleError, match="first_name_th"):
        importing.employee_import(actor=staff["hr_all"], path=bad)
    # an existing employee's national ID under another number
    clash = _row("N9", nid=staff["south"].national_id)
    report = importing.employee_import(actor=staff["hr_all"], path=_csv(tmp_path, clash))
    assert report.errors[0].line == 2 and staff["south"].employee_no in report.errors[0].message_en


def test_xlsx_with_thai_headers(staff, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["เลขที่พนักงาน", "ชื่อ", "นามสกุล", "ตำแหน่ง", "รหัสหน่วยงาน", "เงินเดือน", "วันที่เริ่มงาน",
                  "เลขประจำตัวประชาชน", "รหัสธนาคาร", "เลขที่บัญชี"])  # fmt: skip
    sheet.append(
        [
            "X1",
            "สมปอง",
            "ดีมาก",
            "นักบัญชี",
            "R-N",
            25000,
            "2024-05-01",
            int(national_id(555)),
            "014",
            "9876543210",
        ]
    )
    path = tmp_path / "staff.xlsx"
    book.save(path)
    report = importing.employee_import(actor=staff["hr_all"], path=path)
    assert (report.created, report.errors) == (1, [])
    assert Employee.objects.get(employee_no="X1").national_id == national_id(555)


BALANCES = "employee_no,leave_type,fiscal_year,entitled,carried_over,used"


def test_leave_balances_import_idempotent_and_checked(staff, tmp_path):
    north, south = staff["north"].employee_no, staff["south"].employee_no
    path = tmp_path / "balances.csv"
    path.write_text(
        f"{BALANCES}\n{north},vacation,2570,10,5,3.5\n{south},sick,2570,60,0,2\n", encoding="utf-8"
    )
    report = importing.leave_balance_import(actor=staff["hr_all"], path=path)
    assert (report.created, report.errors) == (2, [])
    row = LeaveBalance.objects.get(employee=staff["north"], leave_type__code="vacation", fiscal_year=2570)
    assert (row.entitled, row.carried_over, row.used, row.available) == (
        10,
        5,
        Decimal("3.5"),
        Decimal("11.5"),
    )
    again = importing.leave_balance_import(actor=staff["hr_all"], path=path)
    assert (again.created, again.updated, again.unchanged, again.written) == (0, 0, 2, False)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"{BALANCES}\n{north},vacation,2570,10,0,12\n{north},nope,2570,1,0,0\n{south},sick,2570,1.3,0,0\n"
        f"{south},vacation,2570,10,0,0\n",
        encoding="utf-8",
    )
    report = importing.leave_balance_import(actor=staff["hr_north"], path=bad)
    assert [(e.line, e.column) for e in report.errors] == [
        (2, "used (F)"),
        (3, "leave_type (B)"),
        (4, "employee_no (A)"),
        (5, "employee_no (A)"),
    ]
    assert row.used == LeaveBalance.objects.get(pk=row.pk).used  # nothing written
