"""Personal data at rest: an encrypted model field and a keyed hash (blind index) for lookups.

Proposed for ``codi.core``: every later module stores personal data. It lives
here until it moves; when it does, keep ``codi.communities.crypto.EncryptedTextField``
importable (the migrations of this app name it).

- ``EncryptedTextField`` stores Fernet tokens (AES-128-CBC + HMAC-SHA256, random
  IV) made with ``settings.FIELD_ENCRYPTION_KEY``. Several comma-separated keys
  rotate: the first encrypts, all decrypt. An empty value is stored empty, so
  "no phone number" needs no decryption. Equal plaintexts give different
  tokens, so the column cannot be searched: use a blind index for that.
- ``blind_index`` is HMAC-SHA256 of a normalised value with
  ``settings.BLIND_INDEX_KEY``: equal inputs give equal hashes (unique
  constraints and lookups work), and without the key the hash does not reveal
  the value, even for a 13-digit ID whose space could be enumerated.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models


class DecryptionError(ImproperlyConfigured):
    """A stored token does not open with any configured key (wrong or lost FIELD_ENCRYPTION_KEY)."""


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    if not parts:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is empty")
    return MultiFernet([Fernet(k.encode("ascii")) for k in parts])


@lru_cache(maxsize=4)
def _hmac_key(hex_key: str) -> bytes:
    try:
        key = bytes.fromhex(hex_key)
    except ValueError:
        key = hex_key.encode("utf-8")
    if len(key) < 16:
        raise ImproperlyConfigured("BLIND_INDEX_KEY must hold at least 16 bytes")
    return key


def encrypt_text(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError(
            "an encrypted field does not open with FIELD_ENCRYPTION_KEY (was the key changed?)"
        ) from exc


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token)
    except InvalidToken as exc:
        raise DecryptionError("a stored file does not open with FIELD_ENCRYPTION_KEY") from exc


def blind_index(normalised: str) -> str:
    """Hex HMAC-SHA256 of an already normalised value (e.g. the 13 digits of a national ID)."""
    key = _hmac_key(settings.BLIND_INDEX_KEY)
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column whose value is encrypted with Fernet before it reaches the database.

    Only ``isnull`` lookups are allowed: any other filter would compare ciphertexts
    and silently match nothing.
    """

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.name} is encrypted: it cannot be filtered with '{lookup_name}'")
        return super().get_lookup(lookup_name)
