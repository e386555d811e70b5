"""The platform's RFC 3161 timestamp authority (asn1crypto; imported lazily).

``respond`` answers a DER ``TimeStampReq`` with a DER ``TimeStampResp``; the same code
serves the HTTP endpoint (``/pki/tsa``) and, through ``in_process_timestamper``, the
platform's own signatures (no HTTP call to itself).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

if TYPE_CHECKING:
    from asn1crypto import tsp

# Our TSA policy: a UUID-based OID (ITU-T X.667), so no registration is needed.
TSA_POLICY_OID = "2.25.238417370317442310416402566383404866473"
_ACCEPTED_DIGESTS = {"sha256", "sha384", "sha512"}
_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


@dataclass(frozen=True)
class TsaCredentials:
    cert_der: bytes
    key: ec.EllipticCurvePrivateKey
    chain_der: tuple[bytes, ...]  # issuing CA (and root), embedded when the client asks for certs


def _failure(fail_info: str, text: str) -> tsp.TimeStampResp:
    # heavy: asn1crypto is loaded only when a timestamp is served
    from asn1crypto import tsp

    return tsp.TimeStampResp(
        {
            "status": tsp.PKIStatusInfo(
                {"status": "rejection", "status_string": [text], "fail_info": tsp.PKIFailureInfo({fail_info})}
            )
        }
    )


def respond(
    request: tsp.TimeStampReq, *, creds: TsaCredentials, now: dt.datetime | None = None
) -> tsp.TimeStampResp:
    """Grant a timestamp token for the request's message imprint, or refuse it with a reason."""
    # heavy: asn1crypto is loaded only when a timestamp is served
    from asn1crypto import algos, cms, core, tsp, x509

    try:
        version = request["version"].native
        imprint = request["message_imprint"]
        md_algorithm = imprint["hash_algorithm"]["algorithm"].native
        hashed = imprint["hashed_message"].native
    except (ValueError, KeyError, TypeError):
        return _failure("bad_data_format", "malformed request")
    if version != "v1":
        return _failure("bad_request", "only version 1 requests are supported")
    if md_algorithm not in _ACCEPTED_DIGESTS:
        return _failure("bad_alg", f"unsupported hash algorithm {md_algorithm}")
    if len(hashed) != _HASHES[md_algorithm].digest_size:
        return _failure("bad_data_format", "hashed message has the wrong length")
    requested_policy = request["req_policy"].native
    if requested_policy is not None and requested_policy != TSA_POLICY_OID:
        return _failure("unaccepted_policy", "unknown policy")
    if request["extensions"].native:
        return _failure("unaccepted_extension", "extensions are not supported")

    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    tsa_cert = x509.Certificate.load(creds.cert_der)
    info_fields: dict[str, Any] = {
        "version": "v1",
        "policy": TSA_POLICY_OID,
        "message_imprint": imprint,
        "serial_number": int.from_bytes(secrets.token_bytes(16), "big"),
        "gen_time": now,
        "accuracy": {"seconds": 1},
        "tsa": x509.GeneralName(name="directory_name", value=tsa_cert.subject),
    }
    if request["nonce"].native is not None:
        info_fields["nonce"] = request["nonce"]
    tst_info = tsp.TSTInfo(info_fields).dump()

    ess_cert = tsp.ESSCertIDv2(
        {
            "hash_algorithm": {"algorithm": "sha256"},
            "cert_hash": hashlib.sha256(creds.cert_der).digest(),
            "issuer_serial": {
                "issuer": [x509.GeneralName(name="directory_name", value=tsa_cert.issuer)],
                "serial_number": tsa_cert.serial_number,
            },
        }
    )
    signed_attrs = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
            cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": core.UTCTime(now)})]}),
            cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(tst_info).digest()]}),
            cms.CMSAttribute(
                {
                    "type": "signing_certificate_v2",
                    "values": [tsp.SigningCertificateV2({"certs": [ess_cert]})],
                }
            ),
        ]
    )
    signature = creds.key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
    digest_algorithm = algos.DigestAlgorithm({"algorithm": "sha256"})
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                        {"issuer": tsa_cert.issuer, "serial_number": tsa_cert.serial_number}
                    )
                }
            ),
            "digest_algorithm": digest_algorithm,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
            "signed_attrs": signed_attrs,
            "signature": signature,
        }
    )
    certificates = [tsa_cert]
    if request["cert_req"].native:
        certificates += [x509.Certificate.load(der) for der in creds.chain_der]
    signed_data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [digest_algorithm],
            "encap_content_info": {"content_type": "tst_info", "content": cms.ParsableOctetString(tst_info)},
            "certificates": certificates,
            "signer_infos": [signer_info],
        }
    )
    token = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token})


def respond_der(request_der: bytes, *, creds: TsaCredentials) -> tuple[bytes, str]:
    """HTTP form: DER in, DER out, plus the PKI status (``granted`` or ``rejection``)."""
    # heavy: asn1crypto is loaded only when a timestamp is served
    from asn1crypto import tsp

    try:
        request = tsp.TimeStampReq.load(request_der)
        request.native  # noqa: B018  # parse fully now: asn1crypto is lazy and would fail later
    except (ValueError, TypeError):
        response = _failure("bad_data_format", "the body is not a DER TimeStampReq")
    else:
        response = respond(request, creds=creds)
    status = response["status"]["status"].native
    if status == "granted":
        return response.dump(), status
    # asn1crypto will not dump a TimeStampResp without its (optional) token: wrap the status alone.
    return _der_sequence(response["status"].dump()), status


def _der_sequence(content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return b"\x30" + bytes([size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return b"\x30" + bytes([0x80 | len(length)]) + length + content


def in_process_timestamper(creds: TsaCredentials) -> Any:
    """A pyHanko ``TimeStamper`` that asks our TSA directly (no HTTP round trip)."""
    # heavy: pyHanko is loaded only when a timestamp is served
    from pyhanko.sign.timestamps.api import TimeStamper

    class _InProcess(TimeStamper):
        async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
            return respond(req, creds=creds)

    return _InProcess()
