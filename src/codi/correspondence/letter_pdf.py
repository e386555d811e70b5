"""What the official-letter PDF templates print, laid out per the 2526 regulation on correspondence.

There is no image of the Garuda emblem (ตราครุฑ) in the platform and none may be
fetched: the templates draw a labelled placeholder of the regulation's size
(3 cm high on a letter, 1.5 cm on a memo) where the emblem goes; put an approved
image in the ``.garuda`` boxes of ``letter_pdf.html`` and ``memo_pdf.html`` once one is supplied.
"""

from __future__ import annotations

from typing import Any

from codi.core.thaidate import BE_OFFSET, MONTHS_TH_FULL
from codi.correspondence.models import Letter, RegisterBook, Secrecy, Urgency

URGENCY_TH = {Urgency.MOST_URGENT: "ด่วนที่สุด", Urgency.VERY_URGENT: "ด่วนมาก", Urgency.URGENT: "ด่วน"}
SECRECY_TH = {Secrecy.TOP_SECRET: "ลับที่สุด", Secrecy.SECRET: "ลับมาก", Secrecy.CONFIDENTIAL: "ลับ"}
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def letter_pdf_context(letter: Letter) -> dict[str, Any]:
    book = RegisterBook.objects.filter(org_unit_id=letter.org_unit_id).first()
    use_thai = book is None or book.thai_digits

    def digits(text: str) -> str:
        return text.translate(_THAI_DIGITS) if use_thai else text

    day = letter.letter_date
    date_text = digits(f"{day.day} {MONTHS_TH_FULL[day.month - 1]} {day.year + BE_OFFSET}")
    return {
        "letter": letter,
        "unit_name": letter.org_unit.name_th,
        "number": digits(letter.document_number),
        "date_text": date_text,
        "urgency_th": URGENCY_TH.get(letter.urgency, ""),  # type: ignore[call-overload]
        "secrecy_th": SECRECY_TH.get(letter.secrecy, ""),  # type: ignore[call-overload]
        "paragraphs": [digits(p.strip()) for p in letter.body.split("\n\n") if p.strip()] or [""],
        "subject": digits(letter.subject),
        "salutation": letter.salutation or letter.recipient,
        "reference": digits(letter.reference),
        "enclosures": digits(letter.enclosures),
        "closing": letter.closing or "ขอแสดงความนับถือ",
        "signer_name": letter.signer_name,
        "signer_position": letter.signer_position,
        "contact": digits(letter.contact),
    }
