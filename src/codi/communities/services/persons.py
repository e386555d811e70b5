"""Writes to persons and memberships: each checked against the actor's area, validated and audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from codi.areas.models import Subdistrict
from codi.communities.crypto import blind_index
from codi.communities.models import (
    PERSON_FIELDS,
    Gender,
    MemberRole,
    Membership,
    Organization,
    Person,
    person_fingerprint,
)
from codi.communities.selectors import can_manage_person
from codi.communities.services.common import (
    NOT_PERMITTED,
    ORG_OBJECT,
    PERSON_OBJECT,
    PERSON_PERSONAL_FIELDS,
    _require,
    _require_area,
)
from codi.communities.services.organizations import _apply_changes
from codi.communities.validation import (
    FieldProblem,
    clean_birth_year,
    clean_national_id,
    clean_phone,
    mask_national_id,
)
from codi.core.audit import audit_record
from codi.identity.roles import Perm

PERSON_EDITABLE = (
    "title_th",
    "first_name_th",
    "last_name_th",
    "birth_year",
    "gender",
    "phone",
    "address",
    "subdistrict_code",
)


def _person_clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out = dict(values)
    for field in ("title_th", "first_name_th", "last_name_th", "address"):
        if field in out:
            out[field] = str(out[field] or "").strip()
    for field, label in (("first_name_th", "ชื่อ / First name"), ("last_name_th", "นามสกุล / Last name")):
        if field in out and not out[field]:
            th, en = label.split(" / ")
            errors[field] = f"กรุณาระบุ{th} / {en} is required"
    if "gender" in out and out["gender"] not in ("", *Gender.values):
        errors["gender"] = "เพศไม่ถูกต้อง / Unknown gender"
    for field, cleaner in (("phone", clean_phone), ("birth_year", clean_birth_year)):
        if field in out:
            try:
                out[field] = cleaner(out[field])
            except FieldProblem as problem:
                errors[field] = str(problem)
    if "subdistrict_code" in out and not Subdistrict.objects.filter(code=out["subdistrict_code"]).exists():
        errors["subdistrict_code"] = "ไม่พบรหัสตำบลนี้ / Unknown subdistrict code"
    if errors:
        raise ValidationError(errors)
    return out


def person_create(
    *,
    actor: Any,
    national_id: str,
    first_name_th: str,
    last_name_th: str,
    subdistrict_code: str,
    title_th: str = "",
    birth_year: int | str | None = None,
    gender: str = "",
    phone: str = "",
    address: str = "",
    is_demo: bool = False,
) -> Person:
    """Register a person; the national ID is validated, encrypted and indexed (one person per ID)."""
    _require(actor, Perm.ORGS_MANAGE)
    errors: dict[str, str] = {}
    try:
        nid = clean_national_id(national_id)
    except FieldProblem as problem:
        errors["national_id"] = str(problem)
    else:
        if Person.objects.filter(national_id_index=blind_index(nid)).exists():
            errors["national_id"] = "มีบุคคลนี้ในทะเบียนแล้ว / This person is already registered"
    try:
        values = _person_clean(
            {
                "title_th": title_th,
                "first_name_th": first_name_th,
                "last_name_th": last_name_th,
                "birth_year": birth_year,
                "gender": gender,
                "phone": phone,
                "address": address,
                "subdistrict_code": subdistrict_code,
            }
        )
    except ValidationError as exc:
        errors.update({f: " ".join(m) for f, m in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    _require_area(actor, Perm.ORGS_MANAGE, subdistrict_code)
    with transaction.atomic():
        person = Person.objects.create(
            national_id=nid,
            national_id_index=blind_index(nid),
            national_id_masked=mask_national_id(nid),
            title_th=values["title_th"],
            first_name_th=values["first_name_th"],
            last_name_th=values["last_name_th"],
            birth_year=values["birth_year"],
            gender=values["gender"],
            phone=values["phone"],
            address=values["address"],
            subdistrict_id=subdistrict_code,
            is_demo=is_demo,
        )
        person.record_hash = person_fingerprint(tuple(getattr(person, f) for f in PERSON_FIELDS))
        Person.objects.filter(pk=person.pk).update(record_hash=person.record_hash)
        audit_record(
            actor=actor,
            action="communities.person_create",
            object_type=PERSON_OBJECT,
            object_id=person.pk,
            changes={
                "national_id": nid,
                "first_name_th": person.first_name_th,
                "last_name_th": person.last_name_th,
                "subdistrict": subdistrict_code,
            },
            personal_fields=PERSON_PERSONAL_FIELDS,
        )
    return person


def person_update(*, actor: Any, person: Person, changes: Mapping[str, Any]) -> Person:
    """Change a person's details (not the national ID: a different ID is a different person)."""
    _require(actor, Perm.ORGS_MANAGE)
    unknown = set(changes) - set(PERSON_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if not can_manage_person(actor, person):
        raise PermissionDenied(NOT_PERMITTED)
    values = _person_clean(dict(changes))
    if "subdistrict_code" in values:
        _require_area(actor, Perm.ORGS_MANAGE, values["subdistrict_code"])
        values["subdistrict_id"] = values.pop("subdistrict_code")
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        diff = _apply_changes(current, values)
        if not diff:
            return current
        current.record_hash = person_fingerprint(tuple(getattr(current, f) for f in PERSON_FIELDS))
        current.save()
        audit_record(
            actor=actor,
            action="communities.person_update",
            object_type=PERSON_OBJECT,
            object_id=current.pk,
            changes=diff,
            personal_fields=PERSON_PERSONAL_FIELDS,
        )
    return current


def membership_add(
    *,
    actor: Any,
    person: Person,
    organization: Organization,
    role: str = MemberRole.MEMBER,
    started_on: date | None = None,
) -> Membership:
    """Add a person to an organization (or update the role and start of an existing membership)."""
    _require(actor, Perm.ORGS_MANAGE)
    if role not in MemberRole.values:
        raise ValidationError({"role": "บทบาทไม่ถูกต้อง / Unknown role"})
    _require_area(actor, Perm.ORGS_MANAGE, organization.subdistrict_id)
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            person=person, organization=organization, defaults={"role": role, "started_on": started_on}
        )
        diff: dict[str, Any] = {}
        if created:
            diff = {
                "person": person.pk,
                "organization": organization.pk,
                "role": role,
                "started_on": started_on,
            }
        else:
            for field, new in (("role", role), ("started_on", started_on), ("ended_on", None)):
                if getattr(membership, field) != new:
                    diff[field] = [getattr(membership, field), new]
                    setattr(membership, field, new)
            if not diff:
                return membership
            membership.save()
        audit_record(
            actor=actor,
            action="communities.membership_add" if created else "communities.membership_update",
            object_type=ORG_OBJECT,
            object_id=organization.pk,
            changes={"membership": membership.pk, **diff},
        )
    return membership


def membership_end(*, actor: Any, membership: Membership, ended_on: date | None = None) -> Membership:
    """Close a membership on ``ended_on`` (today by default); the row stays for the record."""
    _require(actor, Perm.ORGS_MANAGE)
    org = membership.organization
    _require_area(actor, Perm.ORGS_MANAGE, org.subdistrict_id)
    ended_on = ended_on or timezone.localdate()
    if membership.started_on and ended_on < membership.started_on:
        raise ValidationError({"ended_on": "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม / The end is before the start"})
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(ended_on=ended_on, updated_at=timezone.now())
        membership.ended_on = ended_on
        audit_record(
            actor=actor,
            action="communities.membership_end",
            object_type=ORG_OBJECT,
            object_id=org.pk,
            changes={"membership": membership.pk, "person": membership.person_id, "ended_on": ended_on},
        )
    return membership
