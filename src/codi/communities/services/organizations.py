"""Writes to organizations: create, update, re-index names; a location is checked against its subdistrict."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from codi.areas import selectors as area_selectors
from codi.areas.models import Subdistrict
from codi.communities import search
from codi.communities.models import (
    ORG_PERSONAL_FIELDS,
    LocationFlag,
    Organization,
    OrgStatus,
    OrgType,
)
from codi.communities.services.common import ORG_OBJECT, _require, _require_area
from codi.communities.validation import (
    FieldProblem,
    clean_coordinate,
    clean_email,
    clean_line_id,
    clean_phone,
    in_thailand_box,
)
from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.identity.selectors import user_can_in_area


def location_check(*, subdistrict_code: str, latitude: Decimal | None, longitude: Decimal | None) -> str:
    """The ``LocationFlag`` for a point in a subdistrict; ``FieldProblem`` when it is outside Thailand.

    Inside the subdistrict's boundary: no flag. Outside it, or the subdistrict
    has no boundary to check against: flagged, still saved (coordinates typed
    by hand are often a little off; an officer follows the flag up).
    """
    if latitude is None and longitude is None:
        return LocationFlag.NONE
    if latitude is None or longitude is None:
        raise FieldProblem("ต้องระบุทั้งละติจูดและลองจิจูด", "Give both latitude and longitude")
    if not in_thailand_box(latitude, longitude) or not _point_in_thailand(longitude, latitude):
        raise FieldProblem("พิกัดอยู่นอกประเทศไทย", "The point is outside Thailand")
    inside = _subdistrict_contains(subdistrict_code, longitude, latitude)
    if inside is None:
        return LocationFlag.NO_BOUNDARY
    return LocationFlag.NONE if inside else LocationFlag.OUTSIDE_SUBDISTRICT


# The boundary polygons are simplified (about 100 m at their coarsest): a point that close to
# its subdistrict counts as inside, so hand-typed coordinates near a border are not flagged.
BOUNDARY_MARGIN_KM = 0.2


def _point_in_thailand(lon: Decimal, lat: Decimal) -> bool:
    return area_selectors.point_in_thailand(float(lon), float(lat))


def _subdistrict_contains(code: str, lon: Decimal, lat: Decimal) -> bool | None:
    return area_selectors.subdistrict_contains(
        code=code, lon=float(lon), lat=float(lat), margin_km=BOUNDARY_MARGIN_KM
    )


ORG_EDITABLE = (
    "name_th",
    "name_en",
    "org_type",
    "registration_no",
    "subdistrict_code",
    "founded_on",
    "status",
    "address",
    "latitude",
    "longitude",
    "phone",
    "email",
    "line_id",
    "parent_network_id",
)


def _parent_visible(actor: Any, parent_id: int) -> bool:
    """A parent network is referenced only if the actor may see it; else it reads as 'no such network'."""
    area = Organization.objects.filter(pk=parent_id).values_list("subdistrict_id", flat=True).first()
    return area is not None and any(
        user_can_in_area(actor, perm, subdistrict_code=area) for perm in (Perm.ORGS_VIEW, Perm.ORGS_MANAGE)
    )


def _org_clean(values: dict[str, Any], *, org: Organization | None, actor: Any = None) -> dict[str, Any]:
    """Validate and normalise organization fields; ``ValidationError`` lists every bad field."""
    errors: dict[str, str] = {}
    out = dict(values)
    if "name_th" in out:
        out["name_th"] = str(out["name_th"] or "").strip()
        if not out["name_th"]:
            errors["name_th"] = "กรุณาระบุชื่อองค์กร / Name is required"
    if "name_en" in out:
        out["name_en"] = str(out["name_en"] or "").strip()
    if "org_type" in out and out["org_type"] not in OrgType.values:
        errors["org_type"] = "ประเภทองค์กรไม่ถูกต้อง / Unknown organization type"
    if (
        org is not None
        and org.org_type == OrgType.NETWORK
        and out.get("org_type", OrgType.NETWORK) != OrgType.NETWORK
        and Organization.objects.filter(parent_network=org).exists()
    ):
        errors["org_type"] = "เครือข่ายนี้มีองค์กรสมาชิก ย้ายสมาชิกออกก่อน / This network has member organizations"
    if "status" in out and out["status"] not in OrgStatus.values:
        errors["status"] = "สถานะไม่ถูกต้อง / Unknown status"
    if "subdistrict_code" in out and not Subdistrict.objects.filter(code=out["subdistrict_code"]).exists():
        errors["subdistrict_code"] = "ไม่พบรหัสตำบลนี้ / Unknown subdistrict code"
    if "registration_no" in out:
        out["registration_no"] = str(out["registration_no"] or "").strip()
        reg = out["registration_no"]
        taken = Organization.objects.filter(registration_no=reg)
        if org is not None:
            taken = taken.exclude(pk=org.pk)
        if reg and taken.exists():
            errors["registration_no"] = "เลขทะเบียนนี้มีองค์กรอื่นใช้แล้ว / Another organization has this number"
    for field, cleaner in (("phone", clean_phone), ("email", clean_email), ("line_id", clean_line_id)):
        if field in out:
            try:
                out[field] = cleaner(out[field])
            except FieldProblem as problem:
                errors[field] = str(problem)
    if "address" in out:
        out["address"] = str(out["address"] or "").strip()
    for field, axis in (("latitude", "lat"), ("longitude", "lon")):
        if field in out:
            try:
                out[field] = clean_coordinate(out[field], axis=axis)
            except FieldProblem as problem:
                errors[field] = str(problem)
    if out.get("parent_network_id") is not None:
        parent = (
            Organization.objects.filter(pk=out["parent_network_id"])
            .values_list("org_type", flat=True)
            .first()
        )
        if actor is not None and not _parent_visible(actor, out["parent_network_id"]):
            parent = None
        if parent != OrgType.NETWORK:
            errors["parent_network_id"] = (
                "องค์กรแม่ต้องเป็นเครือข่ายองค์กรชุมชน / The parent must be a community network"
            )
        elif org is not None and out["parent_network_id"] == org.pk:
            errors["parent_network_id"] = (
                "องค์กรเป็นเครือข่ายแม่ของตัวเองไม่ได้ / An organization cannot be its own parent"
            )
    if {"latitude", "longitude", "subdistrict_code"} & out.keys() and not {
        "subdistrict_code",
        "latitude",
        "longitude",
    } & errors.keys():
        lat = out.get("latitude", org.latitude if org else None)
        lon = out.get("longitude", org.longitude if org else None)
        code = out.get("subdistrict_code", org.subdistrict_id if org else "")
        try:
            out["location_flag"] = location_check(subdistrict_code=code, latitude=lat, longitude=lon)
        except FieldProblem as problem:
            errors["latitude"] = str(problem)
    if errors:
        raise ValidationError(errors)
    return out


def organization_create(
    *,
    actor: Any,
    name_th: str,
    org_type: str,
    subdistrict_code: str,
    name_en: str = "",
    registration_no: str = "",
    founded_on: date | None = None,
    status: str = OrgStatus.ACTIVE,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    phone: str = "",
    email: str = "",
    line_id: str = "",
    parent_network_id: int | None = None,
    is_demo: bool = False,
    check_scope: bool = True,
) -> Organization:
    """Register an organization in a subdistrict the actor is responsible for."""
    if check_scope:
        _require(actor, Perm.ORGS_MANAGE)
    values = _org_clean(
        actor=actor if check_scope else None,
        values={
            "name_th": name_th,
            "name_en": name_en,
            "org_type": org_type,
            "subdistrict_code": subdistrict_code,
            "registration_no": registration_no,
            "status": status,
            "address": address,
            "latitude": latitude,
            "longitude": longitude,
            "phone": phone,
            "email": email,
            "line_id": line_id,
            "parent_network_id": parent_network_id,
        },
        org=None,
    )
    if check_scope:
        _require_area(actor, Perm.ORGS_MANAGE, subdistrict_code)
    with transaction.atomic():
        org = Organization.objects.create(
            name_th=values["name_th"],
            name_en=values["name_en"],
            org_type=org_type,
            registration_no=values["registration_no"],
            subdistrict_id=subdistrict_code,
            founded_on=founded_on,
            status=status,
            address=values["address"],
            latitude=values["latitude"],
            longitude=values["longitude"],
            location_flag=values.get("location_flag", LocationFlag.NONE),
            phone=values["phone"],
            email=values["email"],
            line_id=values["line_id"],
            parent_network_id=parent_network_id,
            name_search=search.index_text(values["name_th"], values["name_en"]),
            is_demo=is_demo,
        )
        changes = {
            "name_th": org.name_th,
            "org_type": org_type,
            "subdistrict": subdistrict_code,
            **{
                f: getattr(org, f)
                for f in ("registration_no", "status", "latitude", "longitude")
                if getattr(org, f)
            },
            **({"location_flag": org.location_flag} if org.location_flag else {}),
            **({"phone": org.phone} if org.phone else {}),
        }
        audit_record(
            actor=actor,
            action="communities.organization_create",
            object_type=ORG_OBJECT,
            object_id=org.pk,
            changes=changes,
            personal_fields=ORG_PERSONAL_FIELDS,
        )
    return org


def _apply_changes(
    obj: Any, values: dict[str, Any], *, keep_id_suffix: set[str] | None = None
) -> dict[str, list[Any]]:
    """Set the fields that differ on ``obj`` and return ``{field: [old, new]}`` for the audit entry.

    Foreign keys are named without their ``_id`` suffix in the diff, unless listed in ``keep_id_suffix``.
    """
    diff: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            name = field if field in (keep_id_suffix or set()) else field.removesuffix("_id")
            diff[name] = [old, new]
            setattr(obj, field, new)
    return diff


def organization_update(
    *, actor: Any, organization: Organization, changes: Mapping[str, Any]
) -> Organization:
    """Change an organization's fields; the audit entry lists each changed field as ``[old, new]``.

    ``changes`` may hold any of ``ORG_EDITABLE``. Moving an organization to
    another subdistrict needs the permission in both areas.
    """
    _require(actor, Perm.ORGS_MANAGE)
    unknown = set(changes) - set(ORG_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    _require_area(actor, Perm.ORGS_MANAGE, organization.subdistrict_id)
    values = _org_clean(dict(changes), org=organization, actor=actor)
    if "subdistrict_code" in values:
        _require_area(actor, Perm.ORGS_MANAGE, values["subdistrict_code"])
        values["subdistrict_id"] = values.pop("subdistrict_code")
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        diff = _apply_changes(org, values, keep_id_suffix={"parent_network_id"})
        if not diff:
            return org
        if {"name_th", "name_en"} & diff.keys():
            org.name_search = search.index_text(org.name_th, org.name_en)
        org.save()
        audit_record(
            actor=actor,
            action="communities.organization_update",
            object_type=ORG_OBJECT,
            object_id=org.pk,
            changes=diff,
            personal_fields=ORG_PERSONAL_FIELDS,
        )
    return org


def organization_reindex_names(*, batch_size: int = 1000) -> int:
    """Fill ``name_search`` where it is empty (rows bulk-loaded without it, e.g. demo data)."""
    done = 0
    while True:
        rows = list(Organization.objects.filter(name_search="").only("pk", "name_th", "name_en")[:batch_size])
        if not rows:
            return done
        for org in rows:
            org.name_search = search.index_text(org.name_th, org.name_en) or " "
        Organization.objects.bulk_update(rows, ["name_search"])
        done += len(rows)
