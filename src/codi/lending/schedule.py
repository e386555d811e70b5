"""Repayment schedules, exact to the satang. Pure: no database, no Django.

The rules (issue 19, item 3), kept to the letter:

* instalment k (1..N) falls due k months after the start (the disbursement date), clamped to the
  end of a shorter month (``relativedelta``: 31 January + 1 month = 28/29 February, + 2 months =
  31 March; always counted from the start, so a clamped month never shifts the later ones);
* the interest of a period is charged on the previous balance and rounded half-up to 0.01:
  - ``30/360``: every monthly period is 30 days of a 360-day year, i.e. balance × R / 100 / 12;
  - ``actual/365``: balance × R / 100 × days / 365, the days running from the previous due date
    (or the start) to this due date;
* ``annuity``: the level payment A = P·r / (1 − (1 + r)^−N) with r = R / 100 / 12, rounded half-up
  to 0.01 (A = P / N when R = 0); principal of a period = A − interest; the last instalment
  pays the remaining balance plus its interest, so all payments are equal except the last;
* ``equal_principal``: principal P / N rounded half-up to 0.01 each period, interest on the
  previous balance; the last instalment's principal is the remaining balance;
* ``flat``: total interest P × R / 100 × N / 12 (rounded half-up to 0.01) on the original
  principal for the whole term, spread evenly (total / N rounded half-up, the last period takes
  the remainder); principal as for equal_principal; the day count does not change flat interest;
* the principal column sums exactly to P and the last balance is 0.00: the last instalment
  absorbs every rounding difference.

Accepted ranges (wider ones are refused with a Thai and English message): principal 1,000.00 to
1,000,000,000.00 baht with at most two decimals, annual rate 0 to 12 % with at most four decimals
(CODI lends at 0-6 %), term 1 to 360 months. Within them no period's principal or interest can be
negative; ``ScheduleError`` is raised if a combination would still make one so, never a wrong row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from dateutil.relativedelta import relativedelta

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MIN_PRINCIPAL = Decimal("1000.00")
MAX_PRINCIPAL = Decimal("1000000000.00")
MAX_RATE = Decimal("12")
MAX_MONTHS = 360


class Method:
    ANNUITY = "annuity"
    EQUAL_PRINCIPAL = "equal_principal"
    FLAT = "flat"
    ALL = (ANNUITY, EQUAL_PRINCIPAL, FLAT)


class DayCount:
    THIRTY_360 = "30/360"
    ACTUAL_365 = "actual/365"
    ALL = (THIRTY_360, ACTUAL_365)


class ScheduleError(ValueError):
    """Refused input, with the reason in Thai and in English."""

    def __init__(self, message_th: str, message_en: str) -> None:
        super().__init__(f"{message_th} / {message_en}")
        self.message_th = message_th
        self.message_en = message_en


@dataclass(frozen=True)
class Row:
    n: int
    due_date: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def due_dates(start: date, months: int) -> list[date]:
    """Due date of instalment k = start + k months, clamped to the month's end."""
    return [start + relativedelta(months=k) for k in range(1, months + 1)]


def _decimal(value: Decimal | str | int, field_th: str, field_en: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ScheduleError(f"{field_th}ไม่ใช่ตัวเลข", f"The {field_en} is not a number") from None
    if not number.is_finite():
        raise ScheduleError(f"{field_th}ไม่ใช่ตัวเลข", f"The {field_en} is not a number")
    return number


def validate(
    principal: Decimal | str | int, annual_rate: Decimal | str | int, months: int | str
) -> tuple[Decimal, Decimal, int]:
    """The checked principal, rate and term, or ScheduleError (nothing computed)."""
    amount = _decimal(principal, "เงินต้น", "principal")
    if not MIN_PRINCIPAL <= amount <= MAX_PRINCIPAL:
        raise ScheduleError(
            f"เงินต้นต้องอยู่ระหว่าง {MIN_PRINCIPAL:,.2f} ถึง {MAX_PRINCIPAL:,.2f} บาท",
            f"The principal must be between {MIN_PRINCIPAL:,.2f} and {MAX_PRINCIPAL:,.2f} baht",
        )
    if amount != amount.quantize(CENT):
        raise ScheduleError("เงินต้นมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง", "The principal has at most two decimals")
    rate = _decimal(annual_rate, "อัตราดอกเบี้ย", "interest rate")
    if not ZERO <= rate <= MAX_RATE:
        raise ScheduleError(
            f"อัตราดอกเบี้ยต้องอยู่ระหว่าง 0 ถึง {MAX_RATE} ต่อปี",
            f"The interest rate must be 0 to {MAX_RATE} % a year",
        )
    if rate != rate.quantize(Decimal("0.0001")):
        raise ScheduleError("อัตราดอกเบี้ยมีทศนิยมได้ไม่เกิน 4 ตำแหน่ง", "The interest rate has at most four decimals")
    try:
        term = int(str(months).strip())
    except ValueError:
        raise ScheduleError("จำนวนงวดต้องเป็นจำนวนเต็ม", "The term must be a whole number of months") from None
    if not 1 <= term <= MAX_MONTHS:
        raise ScheduleError(
            f"ระยะเวลากู้ต้องอยู่ระหว่าง 1 ถึง {MAX_MONTHS} เดือน", f"The term must be 1 to {MAX_MONTHS} months"
        )
    return amount.quantize(CENT), rate, term


def parse_start(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ScheduleError(
            f"วันที่เริ่มต้นไม่ถูกต้อง: {value!r} (ใช้รูปแบบ ค.ศ. YYYY-MM-DD)",
            f"Invalid start date {value!r} (use YYYY-MM-DD)",
        ) from None


def annuity_payment(principal: Decimal, annual_rate: Decimal, months: int) -> Decimal:
    """The level payment P·r / (1 − (1 + r)^−N), r = R/1200, rounded half-up to 0.01."""
    if annual_rate == 0:
        return half_up(principal / months)
    with localcontext() as ctx:
        ctx.prec = 40
        r = annual_rate / Decimal(1200)
        return half_up(principal * r / (1 - (1 + r) ** -months))


def period_interest(balance: Decimal, annual_rate: Decimal, day_count: str, days: int) -> Decimal:
    if day_count == DayCount.THIRTY_360:
        return half_up(balance * annual_rate / Decimal(1200))
    return half_up(balance * annual_rate * days / Decimal(36500))


def build(
    *,
    principal: Decimal | str | int,
    annual_rate: Decimal | str | int,
    months: int | str,
    method: str,
    day_count: str,
    start: date,
) -> list[Row]:
    """The schedule rows 1..N of new loan (see the module docstring for the rules)."""
    amount, rate, term = validate(principal, annual_rate, months)
    return compute(
        principal=amount, annual_rate=rate, months=term, method=method, day_count=day_count, start=start
    )


def compute(
    *,
    principal: Decimal,
    annual_rate: Decimal,
    months: int,
    method: str,
    day_count: str,
    start: date,
    done: int = 0,
) -> list[Row]:
    """Rows ``done + 1 .. done + months`` of a schedule whose instalment k falls due k months after
    ``start``: a fresh loan (``done = 0``) or the rest of one after a prepayment or restructuring,
    where ``principal`` is the balance left after instalment ``done``. Ranges are not checked here
    (``build`` does); the rounding guard still is."""
    if method not in Method.ALL:
        raise ScheduleError(
            f"วิธีคำนวณงวดไม่ถูกต้อง: {method!r} (annuity, equal_principal, flat)",
            f"Unknown method {method!r} (annuity, equal_principal, flat)",
        )
    if day_count not in DayCount.ALL:
        raise ScheduleError(
            f"ฐานการนับวันไม่ถูกต้อง: {day_count!r} (30/360, actual/365)",
            f"Unknown day count {day_count!r} (30/360, actual/365)",
        )
    term, amount, rate = months, principal, annual_rate
    dates = due_dates(start, done + term)[done:]
    level = annuity_payment(amount, rate, term)
    even_principal = half_up(amount / term)
    flat_total = half_up(amount * rate * term / Decimal(1200))
    flat_share = half_up(flat_total / term)
    rows: list[Row] = []
    balance = amount
    previous = start + relativedelta(months=done)
    for k, due in enumerate(dates, start=1):
        last = k == term
        if method == Method.FLAT:
            interest = flat_total - flat_share * (term - 1) if last else flat_share
        else:
            interest = period_interest(balance, rate, day_count, (due - previous).days)
        if last:
            principal_part = balance
        elif method == Method.ANNUITY:
            principal_part = level - interest
        else:
            principal_part = even_principal
        if principal_part < 0 or interest < 0 or principal_part > balance:
            raise ScheduleError(
                "เงินต้นน้อยเกินไปสำหรับระยะเวลาและอัตรานี้ (ปัดเศษแล้วงวดสุดท้ายติดลบ)",
                "The principal is too small for this term and rate (rounding would make an instalment negative)",
            )
        balance -= principal_part
        rows.append(Row(done + k, due, principal_part + interest, principal_part, interest, balance))
        previous = due
    return rows


CSV_HEADER = ("n", "due_date", "payment", "principal", "interest", "balance")


def to_csv(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [row.n, row.due_date.isoformat(), row.payment, row.principal, row.interest, row.balance]
        )
    return out.getvalue()
