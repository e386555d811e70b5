"""The loan contract PDF, signed for CODI through the platform PKI and verified."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from codi.lending import contracts, services
from codi.lending.models import LoanContract
from codi.lending.services import LendingError
from codi.signatures import services as signatures
from tests.lending.conftest import active_loan, make_user
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_contract_is_signed_by_the_committee_and_verifies(settings, tmp_path, books, people, product, org):
    settings.MEDIA_ROOT = tmp_path
    signatures.pki_init()
    pending = services.loan_apply(
        actor=people["officer"], product=product, organization=org, principal="12000", months=3,
        purpose="ทุนหมุนเวียน", applied_on=date(2025, 1, 15),
    )  # fmt: skip
    with pytest.raises(LendingError):  # not approved yet
        contracts.contract_sign(actor=people["committee"], loan=pending)
    loan = active_loan(people, product, org)
    with pytest.raises(PermissionDenied):  # the officer reads the loan but does not sign for CODI
        contracts.contract_sign(actor=people["officer"], loan=loan)
    with pytest.raises(PermissionDenied):
        contracts.contract_sign(actor=people["south_director"], loan=loan)
    with pytest.raises(LendingError) as refused:  # no signing certificate: nothing kept
        contracts.contract_sign(actor=people["committee"], loan=loan)
    assert "certificate" in refused.value.message_en
    assert not LoanContract.objects.exists()
    signatures.certificate_issue(
        actor=people["committee"], user=people["committee"], second_factor_verified=True
    )
    contract = contracts.contract_sign(actor=people["committee"], loan=loan)
    pdf, signed = contracts.contract_bytes(loan=loan)
    assert signed and pdf.startswith(b"%PDF")
    report = signatures.pdf_verify(pdf=pdf)
    assert report.is_valid and len(report.signatures) == 1
    text = _text(pdf)
    # 12,000.00 baht in figures and in Thai words; the schedule's first row (4,060.00 = 4,000 + 60).
    # (Thai words in the printed amount are checked in the context: text extraction reorders marks.)
    assert loan.number in text and "12,000.00" in text
    assert contracts.contract_context(loan)["principal_text"] == "หนึ่งหมื่นสองพันบาทถ้วน"
    assert "4,060.00" in text
    with pytest.raises(LendingError):  # signed once, never replaced
        contracts.contract_sign(actor=people["committee"], loan=loan)
    assert LoanContract.objects.get().sha256 == contract.sha256


def test_contract_page_refuses_out_of_scope(matrix, settings, tmp_path, books, people, product, org):
    settings.MEDIA_ROOT = tmp_path
    people["hr"] = make_user("hr_officer")
    loan = active_loan(people, product, org)
    url = f"/lending/loans/{loan.pk}/contract.pdf"
    matrix.check(lambda c: c.get(url), allowed=people["officer"], wrong_role=people["hr"],
                 out_of_scope=people["south_officer"])  # fmt: skip
    response = signed_in_client(people["officer"]).get(url)
    assert (
        response["Content-Type"] == "application/pdf" and b"draft" in response["Content-Disposition"].encode()
    )
    sign = {"action": "contract_sign"}
    refused = signed_in_client(people["officer"]).post(f"/lending/loans/{loan.pk}/action/", sign)
    assert refused.status_code == 403 and not LoanContract.objects.exists()
    page = signed_in_client(people["committee"]).get(f"/lending/loans/{loan.pk}/").content.decode()
    assert 'id="loan-contract"' in page and 'value="contract_sign"' in page
