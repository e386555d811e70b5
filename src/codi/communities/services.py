"""Writes to the community registry: organizations, members, imports.

Each service checks the actor's permission for the area first, validates,
then writes and appends its audit entry in one transaction. Personal fields
reach the audit trail masked.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from codi.areas import selectors as area_selectors
from codi.areas.models import Subdistrict
from codi.communities import search
from codi.communities.crypto import blind_index, decrypt_bytes, encrypt_bytes
from codi.communities.importing import MemberImport, OrganizationImport, Outcome, Progress, ProgressCallback
from codi.communities.models import (
    ORG_PERSONAL_FIELDS,
    PERSON_FIELDS,
    Gender,
    ImportJob,
    ImportKind,
    ImportStatus,
    LocationFlag,
    MemberRole,
    Membership,
    Organization,
    OrgStatus,
    OrgType,
    Person,
    person_fingerprint,
)
from codi.communities.selectors import can_manage_person
from codi.communities.spreadsheet import FileRefused, sniff_format
from codi.communities.validation import (
    FieldProblem,
    clean_birth_year,
    clean_coordinate,
    clean_email,
    clean_line_id,
    clean_national_id,
    clean_phone,
    in_thailand_box,
    mask_national_id,
)
from codi.core.audit import audit_record
from codi.identity.roles import Perm
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


# --- location -----------------------------------------------------------------------------------


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


# --- organizations --------------------------------------------------------------------------------

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


# --- persons and memberships ------------------------------------------------------------------------

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


# --- imports ---------------------------------------------------------------------------------------

IMPORT_STORAGE_DIR = "communities/imports"
STALE_AFTER = timedelta(minutes=10)  # a running job with no progress for this long has lost its worker


def import_max_bytes() -> int:
    """The largest file accepted: the request-size limit (``MAX_REQUEST_BYTES``) the server enforces anyway."""
    return int(settings.MAX_REQUEST_BYTES)


def _too_large(limit: int) -> FileRefused:
    mb = limit / (1024 * 1024)
    return FileRefused(
        f"ไฟล์ใหญ่เกิน {mb:,.1f} MB กรุณาแบ่งเป็นหลายไฟล์ หรือลบคอลัมน์ที่ไม่ใช้ออก",
        f"The file is larger than {mb:,.1f} MB; split it into several files",
    )


def import_job_create(
    *, actor: Any, kind: str, file_name: str, content: IO[bytes], size: int | None = None
) -> ImportJob:
    """Accept an uploaded file for a dry run: check its type from the content, keep it encrypted, queue the check.

    ``FileRefused`` (nothing stored) for a file that is too large, empty or
    not a spreadsheet, whatever its name says.
    """
    _require(actor, Perm.ORGS_MANAGE)
    if kind not in ImportKind.values:
        raise ValueError(f"unknown import kind {kind!r}")
    limit = import_max_bytes()
    if size is not None and size > limit:
        raise _too_large(limit)
    data = content.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    file_format = sniff_format(data[:65536])
    digest = hashlib.sha256(data).hexdigest()
    stored = default_storage.save(
        f"{IMPORT_STORAGE_DIR}/{uuid.uuid4().hex}.bin", ContentFile(encrypt_bytes(data))
    )
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            file_name=Path(file_name).name[:255] or "upload",
            file_format=file_format,
            file_size=len(data),
            file_sha256=digest,
            stored_name=stored,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="communities.import_upload",
            object_type=IMPORT_OBJECT,
            object_id=job.pk,
            changes={"kind": kind, "file_name": job.file_name, "file_size": len(data), "file_sha256": digest},
        )
        transaction.on_commit(lambda: _enqueue("import_check_task", job.pk))
    return job


def _enqueue(task_name: str, job_id: int) -> None:
    from codi.communities import tasks

    getattr(tasks, task_name).enqueue(job_id=job_id)


def _importer(job: ImportJob, progress: ProgressCallback | None) -> MemberImport | OrganizationImport:
    cls = MemberImport if job.kind == ImportKind.MEMBERS else OrganizationImport
    return cls(actor=job.created_by, progress=progress, error_limit=ImportJob.MAX_STORED_ERRORS)


def _progress(job_id: int) -> ProgressCallback:
    def report(p: Progress) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            processed_rows=p.processed,
            valid_rows=p.valid,
            error_rows=p.error_rows,
            total_rows=p.total,
            heartbeat_at=timezone.now(),
        )

    return report


def _claim(job_id: int, *, from_status: str, to_status: str) -> ImportJob | None:
    """Move a job on, atomically: a second worker (or a repeated task) finds nothing to do."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=from_status).update(
        status=to_status,
        started_at=now,
        heartbeat_at=now,
        phase="reading",
        processed_rows=0,
        finished_at=None,
    )
    if not claimed:
        return None
    return ImportJob.objects.select_related("created_by").get(pk=job_id)


def _finish(
    job: ImportJob, status: str, outcome: Outcome | None, *, message: FileRefused | None = None
) -> None:
    job.status = status
    job.phase = ""
    job.finished_at = timezone.now()
    job.heartbeat_at = job.finished_at
    if outcome is not None:
        job.total_rows = outcome.total
        job.processed_rows = outcome.total
        job.valid_rows = outcome.valid
        job.error_rows = outcome.error_rows
        job.error_count = outcome.error_count
        job.errors = outcome.errors
        job.created_count = outcome.created
        job.updated_count = outcome.updated
        job.unchanged_count = outcome.unchanged
        job.preview = outcome.preview
        job.summary = {**job.summary, **outcome.summary}
    job.message_th = message.th if message else ""
    job.message_en = message.en if message else ""
    job.save()


@contextmanager
def _plain_copy(job: ImportJob) -> Iterator[Path]:
    """The decrypted upload as a temporary file, removed afterwards."""
    with default_storage.open(job.stored_name, "rb") as stored:
        data = decrypt_bytes(stored.read())
    with tempfile.TemporaryDirectory(prefix="codi-import-") as folder:
        path = Path(folder) / f"upload.{job.file_format}"
        path.write_bytes(data)
        del data
        yield path


def _discard_file(job: ImportJob) -> None:
    if job.stored_name:
        default_storage.delete(job.stored_name)
        ImportJob.objects.filter(pk=job.pk).update(stored_name="")
        job.stored_name = ""


def import_job_check(*, job_id: int) -> ImportJob | None:
    """The dry run: read and check every row, record errors and counts; write nothing else."""
    job = _claim(job_id, from_status=ImportStatus.QUEUED, to_status=ImportStatus.CHECKING)
    if job is None:
        return None
    try:
        with _plain_copy(job) as path:
            outcome, _rows = _importer(job, _progress(job.pk)).check(path, job.file_format)
    except FileRefused as refused:
        _finish(job, ImportStatus.INVALID, None, message=refused)
        return job
    except Exception:
        log.exception("import check failed", extra={"import_job": job.pk})
        _finish(job, ImportStatus.FAILED, None, message=_UNEXPECTED)
        return job
    _finish(
        job,
        ImportStatus.CHECKED if outcome.error_rows == 0 and outcome.total else ImportStatus.INVALID,
        outcome,
        message=None if outcome.total else _EMPTY,
    )
    return job


_UNEXPECTED = FileRefused(
    "เกิดข้อผิดพลาดในระบบ ยังไม่มีข้อมูลถูกบันทึก กรุณาลองใหม่", "Unexpected error: nothing was imported; try again"
)
_EMPTY = FileRefused("ไม่มีแถวข้อมูลใต้หัวคอลัมน์", "There are no data rows under the header")


def import_job_request_commit(*, actor: Any, job: ImportJob) -> ImportJob:
    """Queue the import of a file whose dry run found no errors."""
    _require(actor, Perm.ORGS_MANAGE)
    if job.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied("นำเข้าได้เฉพาะไฟล์ที่คุณอัปโหลด / Only the uploader can import this file")
    with transaction.atomic():
        moved = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.COMMIT_QUEUED
        )
        if not moved:
            raise ValidationError("ไฟล์นี้ยังไม่ผ่านการตรวจสอบ หรือนำเข้าไปแล้ว / The file is not ready to import")
        audit_record(
            actor=actor,
            action="communities.import_commit_request",
            object_type=IMPORT_OBJECT,
            object_id=job.pk,
            changes={"file_sha256": job.file_sha256},
        )
        transaction.on_commit(lambda: _enqueue("import_commit_task", job.pk))
    job.refresh_from_db()
    return job


def import_job_commit(*, job_id: int) -> ImportJob | None:
    """Check the file again and, when every row passes, write all rows in one transaction (or none)."""
    job = _claim(job_id, from_status=ImportStatus.COMMIT_QUEUED, to_status=ImportStatus.COMMITTING)
    if job is None:
        return None
    importer = _importer(job, _progress(job.pk))
    try:
        with _plain_copy(job) as path:
            checked = importer.check(path, job.file_format, compare=False)
        outcome, rows = checked[0], cast("list[Any]", checked[1])
        if outcome.error_rows or not outcome.total:
            _finish(job, ImportStatus.INVALID, outcome, message=_CHANGED)
            return job
        ImportJob.objects.filter(pk=job.pk).update(phase="writing", heartbeat_at=timezone.now())
        written = importer.write(rows, job_id=job.pk, file_sha256=job.file_sha256)
        del rows
    except FileRefused as refused:
        _finish(job, ImportStatus.FAILED, None, message=refused)
        return job
    except Exception:
        log.exception("import failed", extra={"import_job": job.pk})
        _finish(job, ImportStatus.FAILED, None, message=_UNEXPECTED)
        return job
    written.preview, written.errors = job.preview, []  # the dry run's preview of the same file
    _finish(job, ImportStatus.COMMITTED, written)
    _discard_file(job)
    return job


_CHANGED = FileRefused(
    "พบข้อผิดพลาดเมื่อตรวจสอบซ้ำก่อนบันทึก ยังไม่มีข้อมูลถูกบันทึก",
    "Errors found when the file was checked again before writing: nothing was imported",
)


def import_job_cancel(*, actor: Any, job: ImportJob) -> ImportJob:
    """Drop a checked (or failed) upload and its stored file."""
    if job.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied("ยกเลิกได้เฉพาะไฟล์ที่คุณอัปโหลด / Only the uploader can cancel this file")
    cancellable = {ImportStatus.CHECKED, ImportStatus.INVALID, ImportStatus.FAILED}
    with transaction.atomic():
        if not ImportJob.objects.filter(pk=job.pk, status__in=cancellable).update(
            status=ImportStatus.CANCELLED
        ):
            raise ValidationError("ยกเลิกไม่ได้ในสถานะนี้ / Cannot cancel in this state")
        audit_record(
            actor=actor, action="communities.import_cancel", object_type=IMPORT_OBJECT, object_id=job.pk
        )
    _discard_file(job)
    job.refresh_from_db()
    return job


def import_job_retry(*, actor: Any, job: ImportJob) -> ImportJob:
    """Check a file again after a failure or a worker that stopped (no progress for ``STALE_AFTER``)."""
    if job.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied("ทำได้เฉพาะไฟล์ที่คุณอัปโหลด / Only the uploader can do this")
    stale = timezone.now() - STALE_AFTER
    retryable = Q(status=ImportStatus.FAILED) | Q(
        status__in=[ImportStatus.CHECKING, ImportStatus.COMMITTING], heartbeat_at__lt=stale
    )
    if not job.stored_name:
        raise ValidationError("ไม่มีไฟล์ให้ตรวจสอบแล้ว กรุณาอัปโหลดใหม่ / The file is gone; upload it again")
    with transaction.atomic():
        if not ImportJob.objects.filter(retryable, pk=job.pk).update(status=ImportStatus.QUEUED, phase=""):
            raise ValidationError("ยังทำซ้ำไม่ได้ในสถานะนี้ / Cannot retry in this state")
        audit_record(
            actor=actor, action="communities.import_retry", object_type=IMPORT_OBJECT, object_id=job.pk
        )
        transaction.on_commit(lambda: _enqueue("import_check_task", job.pk))
    job.refresh_from_db()
    return job


def import_files_purge(*, older_than: timedelta) -> int:
    """Remove stored uploads of jobs older than ``older_than`` that were never imported."""
    cutoff = timezone.now() - older_than
    count = 0
    for job in (
        ImportJob.objects.filter(created_at__lt=cutoff)
        .exclude(stored_name="")
        .exclude(
            status__in=[
                ImportStatus.CHECKING,
                ImportStatus.COMMITTING,
                ImportStatus.COMMIT_QUEUED,
                ImportStatus.QUEUED,
            ]
        )
    ):
        _discard_file(job)
        count += 1
    return count
