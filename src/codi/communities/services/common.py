"""What every community-registry write shares: the audit object names, the permission checks, the field errors."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from codi.communities.validation import (
    FieldProblem,
)
from codi.identity.selectors import user_can_in_area, user_has_perm

log = logging.getLogger("codi.communities")


ORG_OBJECT = "communities.organization"


PERSON_OBJECT = "communities.person"


MEMBERSHIP_OBJECT = "communities.membership"


IMPORT_OBJECT = "communities.importjob"


NOT_PERMITTED = "ไม่มีสิทธิ์ในพื้นที่นี้ / Not permitted in this area"


PERSON_PERSONAL_FIELDS = (
    "national_id",
    "title_th",
    "first_name_th",
    "last_name_th",
    "birth_year",
    "gender",
    "phone",
    "address",
)


def _require(actor: Any, perm: str) -> None:
    """Refuse before looking at the input: a user without the permission learns nothing from errors."""
    if not user_has_perm(actor, perm):
        raise PermissionDenied("ไม่มีสิทธิ์ทำรายการนี้ / Not permitted")


def _require_area(actor: Any, perm: str, subdistrict_code: str) -> None:
    if not user_can_in_area(actor, perm, subdistrict_code=subdistrict_code):
        raise PermissionDenied(NOT_PERMITTED)


def _problem(field: str, problem: FieldProblem) -> ValidationError:
    return ValidationError({field: str(problem)})
