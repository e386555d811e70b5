"""What every PDPA write shares: the permission check and the reference to a person in the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from codi.communities.models import Person
from codi.privacy import selectors

NOT_PERMITTED = "ไม่มีสิทธิ์ทำรายการนี้ / Not permitted"


UNKNOWN_PERSON = "ไม่พบบุคคลที่มีเลขประจำตัวประชาชนนี้ในระบบ / No person with this national ID in the platform"


MAX_EXTENSION_DAYS = 30


class UnknownPersonError(ValidationError):
    """No person with the given national ID: nothing was released or changed."""


def _require(actor: Any) -> None:
    if actor is not None and not selectors.can_manage_privacy(actor):
        raise PermissionDenied(NOT_PERMITTED)


def _person_ref(person: Person | int) -> str:
    return f"person:{person if isinstance(person, int) else person.pk}"
