"""The loan contract (สัญญากู้ยืมเงิน) as a Thai PDF, signed for CODI through the platform PKI.

Rendered with ``codi.core.pdf.render_pdf`` (WeasyPrint, Sarabun) from the loan's terms and its
current schedule; signed by a member of the credit committee in the loan's area (``lending.approve``)
with ``codi.signatures.services.pdf_render_sign`` (PAdES B-LT, visible stamp). Signed once, after the
committee's approval; the signed file is kept and never replaced. Refused: a loan not yet approved,
a rejected or written-off one, a signer without a usable certificate (the PKI's message).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from codi.core.audit import audit_record
from codi.core.pdf import render_pdf
from codi.core.thaidate import thai_date
from codi.identity.roles import Perm
from codi.lending.models import Loan, LoanContract, LoanStatus
from codi.lending.services import LendingError, _require
from codi.signatures.services import PkiError, pdf_render_sign

SIGNABLE = {LoanStatus.APPROVED, LoanStatus.ACTIVE}
METHOD_TH = {"annuity": "ผ่อนชำระเท่ากันทุกงวด", "equal_principal": "ชำระเงินต้นเท่ากันทุกงวด", "flat": "ดอกเบี้ยคงที่"}


def contract_context(loan: Loan) -> dict[str, Any]:
    from pythainlp.util import bahttext  # heavy: PyThaiNLP is loaded only when a contract is printed

    province = loan.subdistrict.district.province
    instalments = list(loan.instalments.filter(is_current=True).order_by("n"))
    return {
        "loan": loan,
        "org": loan.organization,
        "place": f"ตำบล{loan.subdistrict.name_th} จังหวัด{province.name_th}",
        "date_text": thai_date(loan.applied_on, full_month=True),
        "principal_text": bahttext(float(loan.principal)),
        "method_th": METHOD_TH.get(loan.method, loan.method),
        "instalments": instalments,
        "first_due": thai_date(instalments[0].due_date, full_month=True) if instalments else "",
        "tranches": list(loan.tranches.all()),
    }


def contract_render(*, loan: Loan) -> bytes:
    return render_pdf("lending/contract_pdf.html", contract_context(loan))


def contract_sign(*, actor: Any, loan: Loan) -> LoanContract:
    """Print and sign the contract for CODI (see the module docstring)."""
    _require(actor, Perm.LENDING_APPROVE, loan)
    if loan.status not in SIGNABLE:
        raise LendingError(
            "ลงนามสัญญาได้เมื่อคณะกรรมการอนุมัติแล้วเท่านั้น", "The contract is signed only after approval"
        )
    if LoanContract.objects.filter(loan=loan).exists():
        raise LendingError("สัญญานี้ลงนามแล้ว", "The contract is already signed")
    try:
        signed = pdf_render_sign(
            signer=actor,
            template="lending/contract_pdf.html",
            context=contract_context(loan),
            reason=f"ลงนามสัญญากู้ยืมเงิน {loan.number}",
            location=loan.subdistrict.district.province.name_th,
        )
    except PkiError as exc:
        raise LendingError(exc.thai, exc.english) from None
    with transaction.atomic():
        Loan.objects.select_for_update().get(pk=loan.pk)
        if LoanContract.objects.filter(loan=loan).exists():
            raise LendingError("สัญญานี้ลงนามแล้ว", "The contract is already signed")
        contract = LoanContract(
            loan=loan, sha256=signed.sha256, signed_by=actor, pdf=signed.file(f"contract-{loan.number}")
        )
        contract.save()
        audit_record(
            actor=actor, action="lending.contract_sign", object_type="lending.Loan", object_id=loan.pk,
            changes={"sha256": signed.sha256, "size": len(signed.data)},
        )  # fmt: skip
    return contract


def contract_bytes(*, loan: Loan) -> tuple[bytes, bool]:
    """The signed contract when there is one, else a fresh unsigned print; and whether it is signed."""
    contract = LoanContract.objects.filter(loan=loan).first()
    if contract is not None:
        with contract.pdf.open("rb") as handle:
            return bytes(handle.read()), True
    return contract_render(loan=loan), False
