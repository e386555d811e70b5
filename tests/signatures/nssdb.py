"""Make an NSS certificate database that trusts one root, for ``pdfsig -nssdir``.

Debian's ``certutil`` (package libnss3-tools) is not installed here, so this calls libnss3
through ctypes: create the database, import the root, mark it trusted for e-mail/object
signing and as a CA ("CT,C,C"). Run as a separate process (``python nssdb.py DIR ROOT.pem``)
so NSS is never loaded into the test process.
"""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding


def make_nss_db(directory: Path, root_pem: bytes) -> None:
    nss = ctypes.CDLL("libnss3.so")
    smime = ctypes.CDLL("libsmime3.so")
    nss.NSS_InitReadWrite.argtypes = [ctypes.c_char_p]
    if nss.NSS_InitReadWrite(f"sql:{directory}".encode()) != 0:
        raise RuntimeError("NSS_InitReadWrite failed")
    nss.PK11_GetInternalKeySlot.restype = ctypes.c_void_p
    slot = nss.PK11_GetInternalKeySlot()
    nss.PK11_NeedUserInit.argtypes = [ctypes.c_void_p]
    if nss.PK11_NeedUserInit(slot):
        nss.PK11_InitPin.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
        nss.PK11_InitPin(slot, None, b"")
    der = x509.load_pem_x509_certificate(root_pem).public_bytes(Encoding.DER)
    smime.CERT_DecodeCertFromPackage.restype = ctypes.c_void_p
    smime.CERT_DecodeCertFromPackage.argtypes = [ctypes.c_char_p, ctypes.c_int]
    cert = smime.CERT_DecodeCertFromPackage(der, len(der))
    if not cert:
        raise RuntimeError("cannot decode the root certificate")
    nss.PK11_ImportCert.argtypes = [
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.c_char_p,
        ctypes.c_int,
    ]
    if nss.PK11_ImportCert(slot, cert, 0, b"CODI Root CA", 0) != 0:
        raise RuntimeError("cannot import the root certificate")
    trust = (ctypes.c_uint * 3)()
    nss.CERT_DecodeTrustString.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    nss.CERT_DecodeTrustString(trust, b"CT,C,C")
    nss.CERT_GetDefaultCertDB.restype = ctypes.c_void_p
    nss.CERT_ChangeCertTrust.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    if nss.CERT_ChangeCertTrust(nss.CERT_GetDefaultCertDB(), cert, trust) != 0:
        raise RuntimeError("cannot mark the root as trusted")
    # The process exits next; NSS_Shutdown would only complain about the cached certificate.


if __name__ == "__main__":
    make_nss_db(Path(sys.argv[1]), Path(sys.argv[2]).read_bytes())
