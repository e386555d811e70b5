"""Checks and normal forms shared by the services, the forms and the importer.

Each ``clean_*`` returns the normal form or raises ``FieldProblem`` with a Thai
and an English message. Messages never repeat the rejected value: import
reports and logs must not copy personal data around.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from stdnum import exceptions as stdnum_errors
from stdnum.th import pin

# Thailand's territory including islands, with a small margin; the areas app
# refines this with the country's polygon when it has one.
THAILAND_LAT = (Decimal("5.5"), Decimal("20.6"))
THAILAND_LON = (Decimal("97.3"), Decimal("105.7"))
BUDDHIST_ERA_OFFSET = 543
_PHONE_DIGITS = re.compile(r"\D+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LINE_ID = re.compile(r"^@?[A-Za-z0-9._-]{1,50}$")
_COORD_PLACES = Decimal("0.000001")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


class FieldProblem(Exception):  # noqa: N818 — a refusal carried with its two messages
    """Why a value was refused, in Thai and in English."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(th, en)
        self.th = th
        self.en = en

    def __str__(self) -> str:
        return f"{self.th} / {self.en}"


def clean_national_id(raw: object) -> str:
    """The 13 digits of a valid Thai national ID (check digit verified)."""
    text = _as_text(raw)
    if not text:
        raise FieldProblem("กรุณาระบุเลขประจำตัวประชาชน", "The national ID is required")
    try:
        return str(pin.validate(text))
    except stdnum_errors.InvalidChecksum:
        raise FieldProblem("เลขตรวจสอบไม่ถูกต้อง", "The check digit is wrong") from None
    except stdnum_errors.InvalidLength:
        raise FieldProblem("ต้องมี 13 หลัก", "It must have 13 digits") from None
    except stdnum_errors.ValidationError:
        raise FieldProblem("รูปแบบเลขประจำตัวประชาชนไม่ถูกต้อง", "Not a valid national ID") from None


def mask_national_id(national_id: str) -> str:
    """``1-2345-xxxxx-xx-1``: enough to tell people apart on screen, not enough to use."""
    return f"{national_id[0]}-{national_id[1:5]}-xxxxx-xx-{national_id[12]}"


def format_national_id(national_id: str) -> str:
    return str(pin.format(national_id))


def clean_phone(raw: object) -> str:
    """A Thai phone number as digits, ``0`` first (``+66 81 234 5678`` → ``0812345678``); empty allowed."""
    text = _as_text(raw)
    if not text:
        return ""
    digits = _PHONE_DIGITS.sub("", text)
    if text.lstrip().startswith("+66") or (digits.startswith("66") and len(digits) in (10, 11)):
        digits = "0" + digits[2:]
    elif len(digits) in (8, 9) and not digits.startswith("0"):
        digits = "0" + digits  # the leading zero a spreadsheet dropped from a number cell
    if not (digits.startswith("0") and len(digits) in (9, 10)):
        raise FieldProblem(
            "หมายเลขโทรศัพท์ต้องมี 9–10 หลัก ขึ้นต้นด้วย 0", "A phone number has 9–10 digits starting with 0"
        )
    return digits


def mask_phone(phone: str) -> str:
    return "" if not phone else "x" * (len(phone) - 4) + phone[-4:]


def clean_email(raw: object) -> str:
    text = _as_text(raw)
    if text and not _EMAIL.match(text):
        raise FieldProblem("รูปแบบอีเมลไม่ถูกต้อง", "Not a valid email address")
    return text.lower()


def clean_line_id(raw: object) -> str:
    text = _as_text(raw)
    if text and not _LINE_ID.match(text):
        raise FieldProblem("LINE ID ใช้ได้เฉพาะ a-z 0-9 . _ -", "A LINE ID has only a-z 0-9 . _ -")
    return text


def clean_birth_year(raw: object, *, today: date | None = None) -> int | None:
    """A Gregorian birth year; Buddhist-Era years (e.g. 2510) are converted."""
    text = _as_text(raw)
    if not text:
        return None
    try:
        year = int(Decimal(text))
    except (InvalidOperation, ValueError):
        raise FieldProblem("ปีเกิดต้องเป็นตัวเลข เช่น 2510", "The birth year must be a number, e.g. 1967") from None
    if year > 2400:
        year -= BUDDHIST_ERA_OFFSET
    this_year = (today or date.today()).year
    if not 1900 <= year <= this_year:
        raise FieldProblem(
            f"ปีเกิดต้องอยู่ระหว่าง พ.ศ. 2443 ถึง {this_year + BUDDHIST_ERA_OFFSET}",
            f"The birth year must be between 1900 and {this_year}",
        )
    return year


def clean_date(raw: object) -> date | None:
    """A date from a spreadsheet cell or text: ISO ``2024-05-01`` or ``1/5/2567`` (day/month/year, BE or CE)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return _from_be(raw.date())
    if isinstance(raw, date):
        return _from_be(raw)
    text = _as_text(raw)
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return _from_be(date.fromisoformat(text))
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            if year > 2400:
                year -= BUDDHIST_ERA_OFFSET
            return date(year, month, day)
    except ValueError:
        pass
    raise FieldProblem(
        "วันที่ไม่ถูกต้อง ใช้รูปแบบ วัน/เดือน/ปี เช่น 1/5/2567", "Not a valid date; use day/month/year, e.g. 1/5/2024"
    )


def _from_be(value: date) -> date:
    # A cell typed as 1/5/2567 in a Thai Excel becomes the Gregorian year 2567.
    if value.year > 2400:
        return value.replace(year=value.year - BUDDHIST_ERA_OFFSET)
    return value


def clean_coordinate(raw: object, *, axis: str) -> Decimal | None:
    """A latitude or longitude as a Decimal with 6 places (about 11 cm); never a float."""
    text = _as_text(raw)
    if not text:
        return None
    try:
        value = Decimal(text).quantize(_COORD_PLACES)
    except InvalidOperation:
        raise FieldProblem("พิกัดต้องเป็นตัวเลขทศนิยม เช่น 16.432100", "A coordinate is a decimal number") from None
    limit = Decimal(90) if axis == "lat" else Decimal(180)
    if not -limit <= value <= limit:
        raise FieldProblem("พิกัดอยู่นอกช่วงที่เป็นไปได้", "The coordinate is out of range")
    return value


def in_thailand_box(lat: Decimal, lon: Decimal) -> bool:
    return THAILAND_LAT[0] <= lat <= THAILAND_LAT[1] and THAILAND_LON[0] <= lon <= THAILAND_LON[1]


def _as_text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float):
        # Spreadsheet number cells come back as floats: 1234567890123.0, 16.4321
        if raw.is_integer():
            return str(int(raw))
        return repr(raw)
    return str(raw).strip().translate(THAI_DIGITS)
