"""The internal PKI: CAs, keys at rest, user certificates, CRLs and the timestamp authority."""

from __future__ import annotations

import hashlib

import pytest
from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtensionOID, NameOID
from django.test import Client

from codi.identity.services import api_key_create
from codi.signatures import keystore, services
from codi.signatures.models import AuthorityKey, SigningCertificate
from codi.signatures.tsa import TSA_POLICY_OID
from tests.signatures.conftest import certificate_of, staff_user


def _cert(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def test_pki_init_creates_root_issuing_and_tsa_and_refuses_to_overwrite(db):
    # when
    root, issuing, tsa = services.pki_init()

    # then
    assert [a.kind for a in (root, issuing, tsa)] == ["root", "issuing", "tsa"]
    root_cert, issuing_cert, tsa_cert = (_cert(a.certificate_pem) for a in (root, issuing, tsa))
    assert root_cert.issuer == root_cert.subject
    assert issuing_cert.issuer == root_cert.subject
    assert tsa_cert.issuer == issuing_cert.subject
    assert root_cert.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length == 1
    assert issuing_cert.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length == 0
    assert tsa_cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value == x509.ExtendedKeyUsage(
        [x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]
    )
    issuing_cdp = issuing_cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
    assert issuing_cdp[0].full_name[0].value == "http://127.0.0.1:8000/pki/crl/root.crl"

    # and a second run refuses; --force replaces and keeps the old rows inactive
    with pytest.raises(services.PkiError):
        services.pki_init()
    services.pki_init(force=True)
    assert AuthorityKey.objects.filter(is_active=True).count() == 3
    assert AuthorityKey.objects.filter(is_active=False).count() == 3


def test_private_keys_are_encrypted_at_rest(pki, settings):
    # given the stored root
    root = AuthorityKey.objects.get(kind="root", is_active=True)
    sealed = bytes(root.private_key_sealed)

    # then the stored bytes are a Fernet token, not the key; it opens to the certificate's key
    assert sealed.startswith(b"gAAAAA")
    assert b"BEGIN" not in sealed
    key = keystore.open_private_key(sealed)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert key.public_key() == _cert(root.certificate_pem).public_key()

    # and another FIELD_ENCRYPTION_KEY cannot open it
    keystore._fernet.cache_clear()
    settings.FIELD_ENCRYPTION_KEY = "A" * 43 + "="
    try:
        with pytest.raises(keystore.KeyUnsealError):
            keystore.open_private_key(sealed)
    finally:
        keystore._fernet.cache_clear()


def test_signing_certificate_carries_name_position_crl_url_and_signing_key_usage(pki, settings):
    settings.CODI_PUBLIC_URL = "https://platform.codi.or.th/"
    user = staff_user(name_th="สมหญิง ใจดี", position="ผู้อำนวยการ", email="somying@codi.or.th")

    certificate = services.certificate_issue(actor=user, user=user, second_factor_verified=True)

    cert = _cert(certificate.certificate_pem)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "สมหญิง ใจดี"
    assert cert.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "ผู้อำนวยการ"
    cdp = cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
    assert cdp[0].full_name[0].value == "https://platform.codi.or.th/pki/crl/issuing.crl"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical is True
    assert (usage.value.digital_signature, usage.value.content_commitment, usage.value.key_cert_sign) == (
        True,
        True,
        False,
    )
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert format(cert.serial_number, "x") == certificate.serial_number
    assert (certificate.subject_name, certificate.position) == ("สมหญิง ใจดี", "ผู้อำนวยการ")


def test_a_long_thai_name_fits_in_the_certificate_and_the_signature_verifies(pki, sample_pdf):
    # 31 Thai characters are 89 UTF-8 bytes: over cryptography's 64-byte check, within RFC 5280's
    # 64-character bound (the demo director's name failed `make run` before this was handled).
    name = "ผู้อำนวยการภาคอีสาน (ตัวอย่าง)"
    user = staff_user(name_th=name, position="ผู้อำนวยการสำนักงานภาคตะวันออกเฉียงเหนือ")

    certificate = services.certificate_issue(actor=user, user=user, second_factor_verified=True)
    signed = services.pdf_sign(signer=user, pdf=sample_pdf, reason="อนุมัติ")

    cert = _cert(certificate.certificate_pem)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == name
    report = services.pdf_verify(pdf=signed)
    assert report.is_valid and report.signatures[0].signer_name == name


def test_certificate_request_needs_a_verified_second_factor(pki):
    user = staff_user()
    with pytest.raises(services.SigningRefusedError) as refused:
        services.certificate_issue(actor=user, user=user, second_factor_verified=False)
    assert refused.value.english.startswith("Pass two-factor verification")
    assert SigningCertificate.objects.count() == 0


def test_a_new_certificate_supersedes_the_old_one(signer):
    old = certificate_of(signer)

    new = services.certificate_issue(
        actor=signer, user=signer, position="รองผู้อำนวยการ", second_factor_verified=True
    )

    old.refresh_from_db()
    assert (old.status, old.revocation_reason) == ("revoked", "superseded")
    assert (new.status, new.position) == ("active", "รองผู้อำนวยการ")


def test_crl_over_http_lists_revoked_certificates(signer):
    client = Client(HTTP_HOST="127.0.0.1")
    certificate = certificate_of(signer)

    before = client.get("/pki/crl/issuing.crl")
    assert before.status_code == 200
    assert before["Content-Type"] == "application/pkix-crl"
    assert len(list(x509.load_der_x509_crl(before.content))) == 0

    services.certificate_revoke(actor=signer, certificate=certificate, reason="key_compromise")

    crl = x509.load_der_x509_crl(client.get("/pki/crl/issuing.crl").content)
    issuing = AuthorityKey.objects.get(kind="issuing", is_active=True)
    assert crl.is_signature_valid(_cert(issuing.certificate_pem).public_key())
    entry = crl.get_revoked_certificate_by_serial_number(int(certificate.serial_number, 16))
    assert entry is not None
    assert (
        entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        == x509.ReasonFlags.key_compromise
    )
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 2


def test_ca_certificates_are_served(pki):
    client = Client(HTTP_HOST="127.0.0.1")
    root = AuthorityKey.objects.get(kind="root", is_active=True)

    der = client.get("/pki/root.crt")
    pem = client.get("/pki/root.pem")
    assert der["Content-Type"] == "application/pkix-cert"
    assert x509.load_der_x509_certificate(der.content) == _cert(root.certificate_pem)
    assert pem.content.decode() == root.certificate_pem
    assert client.get("/pki/issuing.crt").status_code == 200
    assert client.get("/pki/tsa.crt").status_code == 200
    assert client.get("/pki/crl/root.crl").status_code == 200


def test_public_objects_are_404_before_pki_init(db):
    client = Client(HTTP_HOST="127.0.0.1")
    for url in ("/pki/root.crt", "/pki/root.pem", "/pki/issuing.crt", "/pki/crl/issuing.crl"):
        assert client.get(url).status_code == 404, url


def _timestamp_request(data: bytes, *, nonce: int = 42, algorithm: str = "sha256") -> bytes:
    return tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": algorithm},
                "hashed_message": hashlib.new(algorithm, data).digest(),
            },
            "nonce": nonce,
            "cert_req": True,
        }
    ).dump()


@pytest.fixture
def api_key(pki) -> str:
    partner = staff_user(role="partner_agency")
    return api_key_create(actor=partner, user=partner, name="tsa client")[1]


def test_tsa_endpoint_answers_rfc3161(api_key):
    client = Client(HTTP_HOST="127.0.0.1")

    response = client.post(
        "/pki/tsa",
        data=_timestamp_request(b"hello"),
        content_type="application/timestamp-query",
        HTTP_X_API_KEY=api_key,
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/timestamp-reply"
    reply = tsp.TimeStampResp.load(response.content)
    assert reply["status"]["status"].native == "granted"
    signed_data = reply["time_stamp_token"]["content"]
    info = signed_data["encap_content_info"]["content"].parsed
    assert info["message_imprint"]["hashed_message"].native == hashlib.sha256(b"hello").digest()
    assert info["nonce"].native == 42
    assert info["policy"].native == TSA_POLICY_OID
    tsa_cert = AuthorityKey.objects.get(kind="tsa", is_active=True)
    subjects = {c.chosen.subject.native["common_name"] for c in signed_data["certificates"]}
    assert subjects == {"CODI Time-Stamping Authority", "CODI Issuing CA", "CODI Root CA"}
    # the token verifies with the TSA's key (signed attributes are signed as a DER SET, tag 0x31)
    signer_info = signed_data["signer_infos"][0]
    attrs = signer_info["signed_attrs"].dump()
    _cert(tsa_cert.certificate_pem).public_key().verify(
        signer_info["signature"].native,
        b"\x31" + attrs[1:],
        ec.ECDSA(hashes.SHA256()),
    )
    assert isinstance(signed_data, cms.SignedData)


def test_tsa_refuses_bad_requests(api_key):
    client = Client(HTTP_HOST="127.0.0.1")

    def post(body: bytes, content_type: str = "application/timestamp-query", **headers: str):
        return client.post(
            "/pki/tsa", data=body, content_type=content_type, HTTP_X_API_KEY=api_key, **headers
        )

    def status(der: bytes) -> tsp.PKIStatusInfo:
        # a refusal holds the status alone (asn1crypto's TimeStampResp insists on a token)
        assert der[0] == 0x30 and der[1] == len(der) - 2
        return tsp.PKIStatusInfo.load(der[2:])

    garbage = status(post(b"not der").content)
    assert garbage["status"].native == "rejection"
    assert garbage["fail_info"].native == {"bad_data_format"}
    weak = status(post(_timestamp_request(b"x", algorithm="md5")).content)
    assert weak["fail_info"].native == {"bad_alg"}
    assert post(b"x", content_type="application/json").status_code == 415
    assert post(b"x" * 5000).status_code == 413


def test_tsa_requires_an_api_key(pki, matrix):
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post(
        "/pki/tsa", data=_timestamp_request(b"x"), content_type="application/timestamp-query"
    )
    assert response.status_code == 401
    bad = client.post(
        "/pki/tsa",
        data=_timestamp_request(b"x"),
        content_type="application/timestamp-query",
        HTTP_X_API_KEY="codi_nope_nope",
    )
    assert bad.status_code == 401
