"""Pages of the PKI: permission matrix for each, and what they do."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from codi.signatures import services
from codi.signatures.models import SigningCertificate
from tests.permissions import signed_in_client
from tests.signatures.conftest import certificate_of, minimal_pdf, staff_user


@pytest.fixture
def people(pki, matrix):
    return {
        "officer": matrix.user("project_officer", "province", "40"),
        "leader": matrix.user("community_leader", "subdistrict", "400104"),
        "admin": matrix.user("system_admin", "country"),
        "other": matrix.user("hr_officer", "country"),
    }


def test_my_certificates_page_matrix(people, matrix):
    matrix.check(
        lambda c: c.get("/pki/"),
        allowed=people["officer"],
        wrong_role=people["leader"],  # no signing permission
        out_of_scope=None,  # certificates have no area
    )


def test_request_certificate_matrix_and_effect(people, matrix):
    officer = people["officer"]
    matrix.check(
        lambda c: c.post("/pki/certificates/request/", {"position": "เจ้าหน้าที่โครงการ"}),
        allowed=officer,
        wrong_role=people["leader"],
        out_of_scope=None,
        allowed_ok=lambda r: r.status_code == 302 and r["Location"] == "/pki/",
    )
    certificate = certificate_of(officer)
    assert certificate.position == "เจ้าหน้าที่โครงการ"
    assert SigningCertificate.objects.filter(user=people["leader"]).count() == 0
    page = signed_in_client(officer).get("/pki/")
    assert certificate.serial_number in page.content.decode()


def test_request_without_passing_the_second_factor_goes_to_mfa(people):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(people["officer"], backend="django.contrib.auth.backends.ModelBackend")

    response = client.post("/pki/certificates/request/", {"position": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/")
    assert SigningCertificate.objects.count() == 0


def test_revoke_matrix_owner_and_admin(people, matrix):
    officer = people["officer"]
    services.certificate_issue(actor=officer, user=officer, second_factor_verified=True)
    certificate = certificate_of(officer)
    url = f"/pki/certificates/{certificate.pk}/revoke/"

    matrix.check(
        lambda c: c.post(url, {"reason": "key_compromise"}),
        allowed=officer,
        wrong_role=people["other"],  # another person's certificate: not found
        out_of_scope=people["leader"],
        allowed_ok=lambda r: r.status_code == 302,
    )
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revocation_reason, certificate.revoked_by_id) == (
        "revoked",
        "key_compromise",
        officer.pk,
    )

    # a PKI administrator revokes anyone's
    services.certificate_issue(actor=officer, user=officer, second_factor_verified=True)
    again = certificate_of(officer)
    response = signed_in_client(people["admin"]).post(
        f"/pki/certificates/{again.pk}/revoke/", {"reason": "affiliation_changed", "next": "admin"}
    )
    assert response["Location"] == "/pki/admin/certificates/"
    again.refresh_from_db()
    assert (again.status, again.revoked_by_id) == ("revoked", people["admin"].pk)


def test_certificate_download_matrix(people, matrix):
    officer = people["officer"]
    certificate = services.certificate_issue(actor=officer, user=officer, second_factor_verified=True)
    matrix.check(
        lambda c: c.get(f"/pki/certificates/{certificate.pk}.pem"),
        allowed=officer,
        wrong_role=people["other"],
        out_of_scope=people["leader"],
        allowed_ok=lambda r: r.status_code == 200 and r.content.decode() == certificate.certificate_pem,
    )


def test_admin_list_matrix_filters_export_and_query_count(people, matrix, django_assert_max_num_queries):
    for _ in range(3):
        user = staff_user()
        services.certificate_issue(actor=user, user=user, second_factor_verified=True)
    revoked_user = staff_user(name_th="ผู้ถูกเพิกถอน")
    services.certificate_issue(actor=revoked_user, user=revoked_user, second_factor_verified=True)
    services.certificate_revoke(actor=revoked_user, certificate=certificate_of(revoked_user))

    matrix.check(
        lambda c: c.get("/pki/admin/certificates/"),
        allowed=people["admin"],
        wrong_role=people["officer"],
        out_of_scope=None,
    )
    client = signed_in_client(people["admin"])
    with django_assert_max_num_queries(12):
        page = client.get("/pki/admin/certificates/?status=revoked")
    html = page.content.decode()
    assert "ผู้ถูกเพิกถอน" in html
    assert html.count('class="danger"') == 0  # revoked ones offer no revoke button

    export = client.get("/pki/admin/certificates/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[0][:5] == ("serial_number", "username", "name", "position", "status")
    assert len(rows) == 1 + 4


def test_admin_issue_matrix(people, matrix):
    target = staff_user(username="target1", name_th="ผู้รับใบรับรอง")
    matrix.check(
        lambda c: c.post("/pki/admin/certificates/issue/", {"username": "target1", "position": "นักวิชาการ"}),
        allowed=people["admin"],
        wrong_role=people["officer"],
        out_of_scope=None,
        allowed_ok=lambda r: r.status_code == 302,
    )
    certificate = certificate_of(target)
    assert (certificate.subject_name, certificate.position, certificate.requested_by_id) == (
        "ผู้รับใบรับรอง",
        "นักวิชาการ",
        people["admin"].pk,
    )


def test_verify_page_matrix_and_report(people, matrix):
    officer = people["officer"]
    services.certificate_issue(actor=officer, user=officer, second_factor_verified=True)
    signed = services.pdf_sign(signer=officer, pdf=minimal_pdf(), reason="อนุมัติ")

    def upload(client: Client, data: bytes = signed):
        return client.post("/pki/verify/", {"file": io.BytesIO(data)})

    matrix.check(
        upload,
        allowed=people["leader"],  # anyone signed in may check a document they received
        wrong_role=None,
        out_of_scope=None,
    )
    html = upload(signed_in_client(people["leader"])).content.decode()
    assert 'id="overall"' in html
    assert "✔" in html and "ผู้ใช้ทดสอบ" in html

    refused = upload(signed_in_client(people["leader"]), b"plain text")
    assert refused.status_code == 422
    assert "ไฟล์นี้ไม่ใช่ PDF" in refused.content.decode()


def test_public_pki_objects_need_no_sign_in(pki):
    anonymous = Client(HTTP_HOST="127.0.0.1")
    for url in (
        "/pki/root.crt",
        "/pki/root.pem",
        "/pki/issuing.crt",
        "/pki/tsa.crt",
        "/pki/crl/root.crl",
        "/pki/crl/issuing.crl",
    ):
        assert anonymous.get(url).status_code == 200, url
