"""ภ.ง.ด.1ก and the 50 ทวิ certificate of a year, exact to the satang, and the employee's own page."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from codi.core.models import AuditEntry
from codi.people import overtime, payroll, yearly
from codi.people.models import Attendance, Course
from tests.permissions import signed_in_client


def _approved(staff, month: int, pay_day: int = 25):
    hr, approver = staff["hr_all"], staff["approver"]
    run = payroll.payroll_run_create(actor=hr, year=2026, month=month, pay_date=date(2026, month, pay_day))
    return payroll.payroll_approve(
        actor=approver, run=payroll.payroll_submit(actor=hr, run=run), decision="approve"
    )


@pytest.fixture
def year_2026(staff, books):
    """November paid, reversed and paid again by a correcting run; December with the north's overtime."""
    hr, approver = staff["hr_all"], staff["approver"]
    wrong = _approved(staff, 11)
    payroll.payroll_reverse(actor=approver, run=wrong, reason="แก้ไขเงินเดือน", entry_date=date(2026, 11, 26))
    _approved(staff, 11, 27)
    north = staff["north"]
    overtime.overtime_record(
        actor=hr, employee=north, work_date=date(2026, 12, 7), kind="workday", hours="10"
    )
    overtime.overtime_record(
        actor=hr, employee=north, work_date=date(2026, 12, 12), kind="holiday_ot", hours="4"
    )
    _approved(staff, 12)
    return staff


def test_year_rows_by_hand(year_2026):
    rows = {r.employee.pk: r for r in yearly.year_rows(2026)}
    north, head, south = (rows[year_2026[k].pk] for k in ("north", "head", "south"))
    # north: November 30,000 (tax 164.58, see test_overtime); December 33,375 with overtime (tax 333.33)
    assert (north.sequence, north.income, north.tax, north.sso, north.pvd, north.payments) == (
        1,
        6_337_500,
        49_791,
        175_000,
        0,
        2,
    )
    # head, 55,000: year 660,000 - 100,000 expense - 70,500 allowances = 489,500 net
    # → 7,500 + 189,500 × 10 % = 26,450 → 2,204.17 a month; two months 110,000 and 4,408.34
    assert (head.sequence, head.income, head.tax) == (2, 11_000_000, 440_834)
    # south, 30,000 without overtime: 164.58 twice; the reversed November run does not count
    assert (south.sequence, south.income, south.tax) == (3, 6_000_000, 32_916)
    totals = yearly.year_totals(2026)
    # 63,375 + 110,000 + 60,000 = 233,375.00; 497.91 + 4,408.34 + 329.16 = 5,235.41
    assert (totals.payees, totals.income, totals.tax) == (3, 23_337_500, 523_541)
    assert yearly.year_rows(2027) == []


def test_pnd1k_file_and_certificate(year_2026):
    hr, north = year_2026["hr_all"], year_2026["north"]
    response = signed_in_client(hr).get("/people/tax/2026/pnd1k.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][:2] == (1, north.national_id) and rows[0][4:] == ("40(1)", "63375", "497.91", 1)
    assert AuditEntry.objects.filter(action="personal_data.view", object_id="pnd1k:2026").exists()
    context = yearly.certificate_context(actor=north.user, employee=north, year=2026)
    assert context["tax_words"] == "สี่ร้อยเก้าสิบเจ็ดบาทเก้าสิบเอ็ดสตางค์"
    assert (context["row"].income, context["row"].sso) == (6_337_500, 175_000)
    pdf = signed_in_client(north.user).get(f"/people/tax/2026/50tawi/{north.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert signed_in_client(north.user).get(f"/people/tax/2027/50tawi/{north.pk}.pdf").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/people/tax/2026/", "/people/tax/2026/pnd1k.xlsx"],
)
def test_yearly_return_is_for_country_wide_hr_only(year_2026, url):
    assert signed_in_client(year_2026["hr_all"]).get(url).status_code == 200
    for who in ("hr_north", "approver"):
        assert signed_in_client(year_2026[who]).get(url).status_code == 403
    assert signed_in_client(year_2026["north"].user).get(url).status_code == 403


def test_self_service_shows_my_own_and_refuses_another_employee(year_2026):
    north, south = year_2026["north"], year_2026["south"]
    course = Course.objects.create(title="ทักษะดิจิทัลพื้นฐาน", competency="digital_literacy", audience="staff",
                                   start_date=date(2026, 11, 3))  # fmt: skip
    Attendance.objects.create(course=course, employee=north, applies_at_work=True)
    client = signed_in_client(north.user)
    page = client.get("/people/").content.decode()
    assert "ทักษะดิจิทัลพื้นฐาน" in page and f"/people/tax/2026/50tawi/{north.pk}.pdf" in page
    south_slip = south.payslips.first()
    assert f"/people/payslips/{south_slip.pk}.pdf" not in page
    # another employee's certificate, payslip, record and training are refused
    assert client.get(f"/people/tax/2026/50tawi/{south.pk}.pdf").status_code in {403, 404}
    assert client.get(f"/people/payslips/{south_slip.pk}.pdf").status_code == 404
    assert client.get(f"/api/v1/people/employees/{south.pk}").status_code in {403, 404}
    mine = client.get("/api/v1/people/me/training").json()
    assert [row["title"] for row in mine] == ["ทักษะดิจิทัลพื้นฐาน"]
    balances = client.get("/api/v1/people/me/leave-balances").json()
    assert {b["leave_type"] for b in balances} >= {"vacation", "sick"}
    assert signed_in_client(year_2026["outsider"]).get("/api/v1/people/me/training").status_code == 404
    # the south's own list has none of the north's courses
    assert signed_in_client(south.user).get("/api/v1/people/me/training").json() == []
    assert Decimal(balances[0]["available"]) >= 0


def _pdf_text(response) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).replace(
        " ", ""
    )


def test_payer_tax_id_is_shown_and_its_absence_warns_hr(year_2026, settings):
    hr, north = year_2026["hr_all"], year_2026["north"]
    client = signed_in_client(hr)
    certificate = f"/people/tax/2026/50tawi/{north.pk}.pdf"

    settings.PEOPLE_PAYER_TAX_ID = ""  # not configured: a Thai warning, never a silent blank
    warning = yearly.payer_tax_id_warning()
    assert "ยังไม่ได้ตั้งค่าเลขประจำตัวผู้เสียภาษีอากรของผู้จ่ายเงิน" in warning
    page = client.get("/people/tax/2026/").content.decode()
    assert 'id="payer-warning"' in page and warning in page
    book = load_workbook(io.BytesIO(b"".join(client.get("/people/tax/2026/pnd1k.xlsx").streaming_content)))
    payer = {row[0]: row[1] for row in book["ผู้จ่ายเงิน"].iter_rows(min_row=2, values_only=True)}
    assert payer["คำเตือน"] == warning
    assert "PEOPLE_PAYER_TAX_ID" in _pdf_text(client.get(certificate))

    # a configured, valid ID (check digit computed) is printed and nothing warns
    body = "099400016150"
    valid = body + str((11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10)
    settings.PEOPLE_PAYER_TAX_ID = valid
    assert yearly.payer_tax_id_warning() == ""
    page = client.get("/people/tax/2026/").content.decode()
    assert 'id="payer-warning"' not in page and f'<strong id="payer-tax-id">{valid}</strong>' in page
    text = _pdf_text(client.get(certificate))
    assert valid in text and "PEOPLE_PAYER_TAX_ID" not in text
    book = load_workbook(io.BytesIO(b"".join(client.get("/people/tax/2026/pnd1k.xlsx").streaming_content)))
    payer = {row[0]: row[1] for row in book["ผู้จ่ายเงิน"].iter_rows(min_row=2, values_only=True)}
    assert payer["เลขประจำตัวผู้เสียภาษีอากร"] == valid and "คำเตือน" not in payer

    # a wrong check digit and the DEBUG demo stand-in both warn
    settings.PEOPLE_PAYER_TAX_ID = valid[:12] + str((int(valid[12]) + 1) % 10)
    assert "ไม่ถูกต้อง" in yearly.payer_tax_id_warning()
    settings.PEOPLE_PAYER_TAX_ID = yearly.DEMO_PAYER_TAX_ID
    assert "ค่าตัวอย่าง" in yearly.payer_tax_id_warning()
    assert yearly.payer_tax_id_warning() in client.get("/people/tax/2026/").content.decode()
