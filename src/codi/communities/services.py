"""Writes to the community-organization registry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from codi.areas.models import Subdistrict
from codi.communities.models import Organization, OrgStatus, OrgType
from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.identity.selectors import user_can_in_area


def organization_create(
    *,
    actor: Any,
    name_th: str,
    org_type: str,
    subdistrict_code: str,
    name_en: str = "",
    registration_no: str = "",
    founded_on: date | None = None,
    is_demo: bool = False,
    check_scope: bool = True,
) -> Organization:
    """Register an organization in a subdistrict the actor is responsible for."""
    errors: dict[str, str] = {}
    if not name_th.strip():
        errors["name_th"] = "กรุณาระบุชื่อองค์กร / Name is required"
    if org_type not in OrgType.values:
        errors["org_type"] = "ประเภทองค์กรไม่ถูกต้อง / Unknown organization type"
    if not Subdistrict.objects.filter(code=subdistrict_code).exists():
        errors["subdistrict_code"] = "ไม่พบรหัสตำบลนี้ / Unknown subdistrict code"
    if errors:
        raise ValidationError(errors)
    if check_scope and not user_can_in_area(actor, Perm.ORGS_MANAGE, subdistrict_code=subdistrict_code):
        raise PermissionDenied("ไม่มีสิทธิ์ในพื้นที่นี้ / Not permitted in this area")
    with transaction.atomic():
        org = Organization.objects.create(
            name_th=name_th.strip(),
            name_en=name_en.strip(),
            org_type=org_type,
            registration_no=registration_no.strip(),
            subdistrict_id=subdistrict_code,
            founded_on=founded_on,
            status=OrgStatus.ACTIVE,
            is_demo=is_demo,
        )
        audit_record(
            actor=actor,
            action="communities.organization_create",
            object_type="communities.organization",
            object_id=org.pk,
            changes={"name_th": org.name_th, "org_type": org_type, "subdistrict": subdistrict_code},
        )
    return org
