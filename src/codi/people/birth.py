"""An employee's birth date and the dependants' birth years checked against it.

The birth date is personal data: stored encrypted (``Employee.birth_date``, an ISO date), shown
masked as the Buddhist-era year alone (``xx/xx/2533``), shown in full only through
``services.employee_reveal`` (audited).

Rules chosen (issue 18, "dependants data that contradict"):

- an employee is at least ``MIN_WORKING_AGE`` (15) on the start date: the Labour Protection Act
  B.E. 2541 s.44 forbids employing a child under fifteen;
- a child is born at least ``MIN_GENERATION_GAP`` (12) years after the employee, and a parent at
  least as many years before. The record does not say which children are adopted, so the gap is the
  smallest physically plausible one rather than the Civil and Commercial Code's adoption rule
  (s.1598/19: the adopter is at least fifteen years older than the adoptee); a looser check refuses
  typing mistakes (a child's year typed as the employee's own) without refusing true families.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from codi.people.models import Employee

MIN_WORKING_AGE = 15
MIN_GENERATION_GAP = 12
EARLIEST = date(1900, 1, 1)


class BirthProblem(Exception):  # noqa: N818 — a refusal carried with its two messages and its field
    def __init__(self, field: str, th: str, en: str) -> None:
        super().__init__(th, en)
        self.field, self.th, self.en = field, th, en


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def parse(value: Any) -> date | None:
    """A date, an ISO ``YYYY-MM-DD`` or a B.E. ``DD/MM/YYYY``; blank is None."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return date(year - 543 if year > 2400 else year, month, day)
        return date.fromisoformat(text[:10])
    except ValueError:
        raise BirthProblem(
            "birth_date", "วันเกิดไม่ถูกต้อง (วว/ดด/ปปปป)", "Invalid birth date (DD/MM/YYYY)"
        ) from None


def clean(value: Any, *, start_date: date | None = None) -> date | None:
    """The birth date checked: not before 1900, not in the future, fifteen or older on the start date."""
    born = parse(value)
    if born is None:
        return None
    if born < EARLIEST or born > timezone.localdate():
        raise BirthProblem("birth_date", "วันเกิดไม่ถูกต้อง", "The birth date is out of range")
    if start_date is not None and _age_on(born, start_date) < MIN_WORKING_AGE:
        raise BirthProblem(
            "birth_date",
            f"อายุในวันที่เริ่มงานต้องไม่ต่ำกว่า {MIN_WORKING_AGE} ปี (พ.ร.บ.คุ้มครองแรงงาน มาตรา 44)",
            f"The employee is at least {MIN_WORKING_AGE} on the start date (Labour Protection Act s.44)",
        )
    return born


def mask(born: date | None) -> str:
    return f"xx/xx/{born.year + 543}" if born else ""


def stored(born: date | None) -> dict[str, str]:
    """The two model fields for a birth date (encrypted ISO date and its masked form)."""
    return {"birth_date": born.isoformat() if born else "", "birth_date_masked": mask(born)}


def year_of(employee: Employee) -> int | None:
    """The employee's birth year (decrypts the date), or None when it is not recorded."""
    born = parse(employee.birth_date) if employee.birth_date else None
    return born.year if born else None


def check_children(employee_year: int | None, years: Iterable[int], *, field: str = "children") -> None:
    """A child born before the employee (or less than the gap after) is refused."""
    if employee_year is None:
        return
    for year in years:
        if year < employee_year + MIN_GENERATION_GAP:
            raise BirthProblem(
                field,
                f"บุตรเกิดปี {year + 543} ซึ่งก่อนหรือใกล้ปีเกิดของพนักงาน ({employee_year + 543}) เกินไป: "
                f"บุตรต้องเกิดหลังพนักงานอย่างน้อย {MIN_GENERATION_GAP} ปี",
                f"A child born in {year} is not at least {MIN_GENERATION_GAP} years younger than the "
                f"employee (born {employee_year})",
            )


def check_parents(employee_year: int | None, years: Iterable[int], *, field: str = "parents") -> None:
    """A parent born after the employee (or less than the gap before) is refused."""
    if employee_year is None:
        return
    for year in years:
        if year > employee_year - MIN_GENERATION_GAP:
            raise BirthProblem(
                field,
                f"บิดามารดาเกิดปี {year + 543} ซึ่งหลังหรือใกล้ปีเกิดของพนักงาน ({employee_year + 543}) เกินไป: "
                f"ต้องเกิดก่อนพนักงานอย่างน้อย {MIN_GENERATION_GAP} ปี",
                f"A parent born in {year} is not at least {MIN_GENERATION_GAP} years older than the "
                f"employee (born {employee_year})",
            )
