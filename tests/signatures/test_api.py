"""API of the PKI: POST /api/v1/signatures/verify and GET /api/v1/signatures/certificates."""

from __future__ import annotations

import io

from django.test import Client

from codi.identity.services import api_key_create
from codi.signatures import services
from tests.permissions import signed_in_client
from tests.signatures.conftest import change_one_byte, minimal_pdf


def _post(client: Client, data: bytes, **headers: str):
    return client.post("/api/v1/signatures/verify", {"file": io.BytesIO(data)}, **headers)


def test_verify_api_matrix_and_report(signer, matrix):
    signed = services.pdf_sign(signer=signer, pdf=minimal_pdf(), reason="อนุมัติ")
    partner = matrix.user("partner_agency", "province", "40")

    matrix.check(lambda c: _post(c, signed), allowed=partner, wrong_role=None, out_of_scope=None)

    body = _post(signed_in_client(partner), signed).json()
    assert body["is_valid"] is True
    [s] = body["signatures"]
    assert (s["signer_name"], s["is_intact"], s["is_trusted"], s["revocation_status"]) == (
        "สมหญิง ใจดี",
        True,
        True,
        "good",
    )
    assert s["has_validation_data"] is True

    # with an API key too, and a changed document is reported, not refused
    raw = api_key_create(actor=partner, user=partner, name="validator")[1]
    changed = _post(Client(HTTP_HOST="127.0.0.1"), change_one_byte(signed), HTTP_X_API_KEY=raw).json()
    assert changed["is_valid"] is False
    assert changed["signatures"][0]["problems"] == ["The document was changed after signing."]


def test_verify_api_refuses_a_non_pdf_with_problem_json(pki, matrix):
    user = matrix.user("project_officer", "country")
    response = _post(signed_in_client(user), b"\x89PNG not a pdf")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == "ไฟล์นี้ไม่ใช่ PDF"
    assert response.json()["detail_en"] == "This file is not a PDF"


def test_certificate_list_api_matrix(signer, matrix):
    admin = matrix.user("system_admin", "country")
    officer = matrix.user("project_officer", "province", "40")
    signer_serial = signer.signing_certificates.get().serial_number

    def listed(response) -> bool:
        return response.status_code == 200 and signer_serial in {
            c["serial_number"] for c in response.json()["items"]
        }

    matrix.check(
        lambda c: c.get("/api/v1/signatures/certificates"),
        allowed=admin,
        wrong_role=officer,  # sees only their own, so not the signer's
        out_of_scope=None,
        allowed_ok=listed,
        refused=lambda r: r.status_code == 200 and not listed(r),
    )
    own = signed_in_client(signer).get("/api/v1/signatures/certificates").json()
    assert [c["serial_number"] for c in own["items"]] == [signer_serial]
