"""The payslip printout: one A4 PDF per employee per run (Sarabun, through ``codi.core.pdf``).

The employee's download (``views.payslip_pdf``) and a batch print (``bench/payslips.py``) both
come here, so the batch measures what the employee gets.

Cheaper than a plain ``render_pdf``: profiling one payslip showed about a third of WeasyPrint's
time going to loading the three Sarabun ``@font-face`` files into a new Fontconfig configuration
for every document. WeasyPrint lets a ``FontConfiguration`` be shared between documents (a font
face already added is skipped), so each process keeps one (made lazily in that process, never
inherited across a fork) and passes it with a shared image cache. The HTML is still built by
``codi.core.pdf`` (template, font faces) and the PDF is the same.

A payslip may be locked with a password (``password=``; e.g. the employee's date of birth or the
last digits of the national ID, as the delivery channel decides): AES-256 through pypdf, so the
e-mailed copy opens only with it.
"""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from codi.core.pdf import font_faces_css
from codi.people.models import Payslip

THAI_MONTHS = ["", "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]  # fmt: skip

_shared: dict[str, Any] = {}


def _font_config() -> tuple[Any, dict[str, Any]]:
    """This process's FontConfiguration and image cache (a forked child makes its own)."""
    if _shared.get("pid") != os.getpid():
        # heavy: WeasyPrint (Pango, cairo) is loaded only when a PDF is made
        from weasyprint.text.fonts import FontConfiguration

        _shared.update(pid=os.getpid(), fonts=FontConfiguration(), cache={}, faces=font_faces_css())
    return _shared["fonts"], _shared["cache"]


def html_for(slip: Payslip) -> str:
    run = slip.run
    _font_config()
    return render_to_string(
        "people/payslip_pdf.html",
        {"slip": slip, "run": run, "month_name": THAI_MONTHS[run.month], "pdf_font_faces": _shared["faces"]},
    )


def protect(pdf: bytes, password: str) -> bytes:
    """The PDF locked with ``password`` (AES-256; opening needs it)."""
    from pypdf import PdfReader, PdfWriter  # heavy: pypdf only when a payslip is locked

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def payslip_pdf(slip: Payslip, *, password: str = "") -> bytes:
    """PDF bytes of one payslip (``slip`` with its run, employee and org unit loaded)."""
    from weasyprint import HTML  # heavy: WeasyPrint (Pango, fonts) only when a PDF is made

    fonts, cache = _font_config()
    pdf = bytes(
        HTML(string=html_for(slip), base_url=str(Path.cwd())).write_pdf(font_config=fonts, cache=cache)
    )
    return protect(pdf, password) if password else pdf
