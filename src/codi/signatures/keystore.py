"""Private keys at rest: the one place that seals and opens them.

The PKI's private keys (root CA, issuing CA, timestamp authority, users' signing keys) are
sealed with Fernet under a key derived by HKDF-SHA256 from each ``FIELD_ENCRYPTION_KEY``
(comma-separated keys rotate: the first seals, all open). Deriving a separate key keeps
signing keys apart from personal-data fields: a token of one kind never opens as the other.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_INFO = b"codi.signatures.private-keys.v1"


class KeyUnsealError(ImproperlyConfigured):
    """A sealed key does not open with any configured FIELD_ENCRYPTION_KEY."""


def _derive(key: str) -> Fernet:
    raw = base64.urlsafe_b64decode(key.encode("ascii"))
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(raw)
    return Fernet(base64.urlsafe_b64encode(derived))


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    if not parts:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is empty")
    return MultiFernet([_derive(k) for k in parts])


def seal_private_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    """PKCS#8 DER of the key, encrypted."""
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(der)


def open_private_key_der(token: bytes | memoryview) -> bytes:
    """The PKCS#8 DER of a sealed key."""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(bytes(token))
    except InvalidToken as exc:
        raise KeyUnsealError(
            "a PKI private key does not open with FIELD_ENCRYPTION_KEY (was the key changed?)"
        ) from exc


def open_private_key(token: bytes | memoryview) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_der_private_key(open_private_key_der(token), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise KeyUnsealError("a PKI private key is not an EC key")
    return key
