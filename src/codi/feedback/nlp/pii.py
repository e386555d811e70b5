"""Personal data in free text: Thai national IDs, phone numbers, e-mail addresses.

Found before a text is shown anywhere public and replaced by a label; the raw
text stays in the database for staff who may see it. Detection runs on a copy
with Thai digits turned into Arabic ones (one character each, so positions
match the original).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.th import pin

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SEP = r"[ \-.]?"
# 13 digits, plain or grouped like the card prints them: 1-2345-67890-12-3.
_NATIONAL_ID = re.compile(rf"(?<!\d)\d{_SEP}\d{{4}}{_SEP}\d{{5}}{_SEP}\d{{2}}{_SEP}\d(?!\d)")
_ANY_13 = re.compile(r"(?<!\d)(?:\d[ \-.]?){12}\d(?!\d)")
# Mobile 0[6-9]x-xxx-xxxx, Bangkok 02-xxx-xxxx, provincial 0xx-xxx-xxx, or +66 without the leading 0.
_PHONE = re.compile(r"(?<![\d+])(?:\+66[ \-]?|0)\d{1,2}[ \-.]?\d{3}[ \-.]?\d{3,4}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")

LABELS = {"national_id": "[เลขบัตรประชาชน]", "phone": "[เบอร์โทรศัพท์]", "email": "[อีเมล]"}


@dataclass(frozen=True)
class Finding:
    kind: str  # national_id | phone | email
    start: int
    end: int


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def find_personal_data(text: str) -> list[Finding]:
    """Spans of personal data, left to right, not overlapping (IDs win over phone numbers)."""
    if not text:
        return []
    probe = text.translate(_THAI_DIGITS)
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _EMAIL.finditer(probe):
        found.append(Finding("email", match.start(), match.end()))
        taken.append(match.span())
    for pattern in (_NATIONAL_ID, _ANY_13):
        for match in pattern.finditer(probe):
            if free(*match.span()) and pin.is_valid(_digits(match.group())):
                found.append(Finding("national_id", match.start(), match.end()))
                taken.append(match.span())
    for match in _PHONE.finditer(probe):
        if free(*match.span()):
            found.append(Finding("phone", match.start(), match.end()))
            taken.append(match.span())
    return sorted(found, key=lambda f: f.start)


def mask_personal_data(text: str) -> str:
    """The text with every finding replaced by its Thai label."""
    out: list[str] = []
    last = 0
    for finding in find_personal_data(text):
        out.append(text[last : finding.start])
        out.append(LABELS[finding.kind])
        last = finding.end
    out.append(text[last:])
    return "".join(out)


def has_personal_data(text: str) -> bool:
    return bool(find_personal_data(text))
