"""The payslip printout: one A4 PDF per employee per run (Sarabun, through ``codi.core.pdf``).

The employee's download (``views.payslip_pdf``) and a batch print (``bench/payslips.py``) both
come here, so the batch measures what the employee gets.
"""

from __future__ import annotations

from codi.core.pdf import render_pdf
from codi.people.models import Payslip

THAI_MONTHS = ["", "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]  # fmt: skip


def payslip_pdf(slip: Payslip) -> bytes:
    """PDF bytes of one payslip (``slip`` with its run, employee and org unit loaded)."""
    run = slip.run
    return render_pdf(
        "people/payslip_pdf.html", {"slip": slip, "run": run, "month_name": THAI_MONTHS[run.month]}
    )
