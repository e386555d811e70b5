"""Import of organizations: check every row, then create or update by registration number, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from django.db import transaction

from codi.communities import search
from codi.communities.importing.common import (
    BATCH_SIZE,
    ORG_TYPES,
    ORGANIZATION_COLUMNS,
    PREVIEW_ROWS,
    STATUSES,
    Outcome,
    RowError,
    _count,
    _Reader,
    _text,
)
from codi.communities.models import (
    ORG_PERSONAL_FIELDS,
    LocationFlag,
    Organization,
    OrgType,
)
from codi.communities.spreadsheet import FileRefused
from codi.communities.validation import (
    THAI_DIGITS,
    FieldProblem,
    clean_coordinate,
    clean_date,
    clean_email,
    clean_line_id,
    clean_phone,
)
from codi.core.audit import audit_record


class OrganizationRow(NamedTuple):
    row: int
    registration_no: str
    name_th: str
    name_en: str
    org_type: str
    subdistrict: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    location_flag: str
    phone: str
    email: str
    line_id: str
    status: str
    parent_network: str  # registration number, resolved when written
    founded_on: date | None


ORG_FIELDS = (
    "name_th",
    "name_en",
    "org_type",
    "subdistrict_id",
    "address",
    "latitude",
    "longitude",
    "location_flag",
    "phone",
    "email",
    "line_id",
    "status",
    "founded_on",
)


def _org_values(row: OrganizationRow) -> tuple[Any, ...]:
    return (
        row.name_th,
        row.name_en,
        row.org_type,
        row.subdistrict,
        row.address,
        row.latitude,
        row.longitude,
        row.location_flag,
        row.phone,
        row.email,
        row.line_id,
        row.status,
        row.founded_on,
    )


class OrganizationImport(_Reader):
    columns = ORGANIZATION_COLUMNS

    def check(
        self, path: Path, file_format: str, *, compare: bool = True
    ) -> tuple[Outcome, list[OrganizationRow]]:
        # cycle: communities.services imports this importer
        from codi.communities.services import location_check

        outcome = Outcome()
        prepared: list[OrganizationRow] = []
        seen: dict[str, int] = {}
        for batch in self.batches(path, file_format, outcome):
            rows: list[OrganizationRow] = []
            for row_number, cells in batch:
                row, errors = self._clean(row_number, cells, location_check)
                if row is not None and row.registration_no in seen:
                    errors.append(
                        self.error(
                            row_number,
                            "registration_no",
                            f"ซ้ำกับแถว {seen[row.registration_no]:,}",
                            f"Same as row {seen[row.registration_no]:,}",
                        )
                    )
                if errors or row is None:
                    outcome.error_rows += 1
                    outcome.add_errors(errors, limit=self.error_limit)
                    continue
                seen[row.registration_no] = row_number
                rows.append(row)
            existing = _existing_orgs({r.registration_no for r in rows})
            for row in rows:
                current = existing.get(row.registration_no)
                if current is not None and not self.may_manage(current.subdistrict_id):
                    outcome.error_rows += 1
                    outcome.add_errors(
                        [
                            self.error(
                                row.row,
                                "registration_no",
                                "องค์กรนี้อยู่นอกพื้นที่ของคุณ",
                                "This organization is outside your areas",
                            )
                        ],
                        limit=self.error_limit,
                    )
                    continue
                prepared.append(row)
                outcome.valid += 1
                if current is None:
                    action = "new"
                else:
                    parent = current.parent_network.registration_no if current.parent_network else ""
                    same = _org_current(current) == _org_values(row) and parent == row.parent_network
                    action = "unchanged" if same else "update"
                _count(outcome, action)
                if len(outcome.preview) < PREVIEW_ROWS:
                    outcome.preview.append(
                        {
                            "row": row.row,
                            "registration_no": row.registration_no,
                            "name": row.name_th,
                            "org_type": row.org_type,
                            "subdistrict": row.subdistrict,
                            "action": action,
                        }
                    )
        self._check_parents(prepared, outcome)
        return outcome, prepared

    def _check_parents(self, prepared: list[OrganizationRow], outcome: Outcome) -> None:
        wanted = {r.parent_network for r in prepared if r.parent_network}
        if not wanted:
            return
        networks_in_file = {r.registration_no for r in prepared if r.org_type == OrgType.NETWORK}
        in_db = dict(
            Organization.objects.filter(registration_no__in=wanted - networks_in_file).values_list(
                "registration_no", "org_type"
            )
        )
        bad_rows = 0
        for row in prepared:
            if not row.parent_network or row.parent_network in networks_in_file:
                continue
            if in_db.get(row.parent_network) != OrgType.NETWORK:
                bad_rows += 1
                outcome.add_errors(
                    [
                        self.error(
                            row.row,
                            "parent_network",
                            "ไม่พบเครือข่ายเลขทะเบียนนี้",
                            "No community network has this number",
                        )
                    ],
                    limit=self.error_limit,
                )
        outcome.error_rows += bad_rows
        outcome.valid -= bad_rows

    def _clean(
        self, row: int, cells: dict[str, Any], location_check: Callable[..., str]
    ) -> tuple[OrganizationRow | None, list[RowError]]:
        errors: list[RowError] = []
        reg = _text(cells.get("registration_no"))
        if not reg:
            errors.append(self.error(row, "registration_no", "กรุณาระบุเลขทะเบียนองค์กร", "Required"))
        elif len(reg) > 50:
            errors.append(self.error(row, "registration_no", "ยาวเกิน 50 ตัวอักษร", "Longer than 50 characters"))
        name = _text(cells.get("name_th"))
        if not name:
            errors.append(self.error(row, "name_th", "กรุณาระบุชื่อองค์กร", "Required"))
        elif len(name) > 255:
            errors.append(self.error(row, "name_th", "ยาวเกิน 255 ตัวอักษร", "Longer than 255 characters"))
        org_type = ORG_TYPES.get(_text(cells.get("org_type")).lower()) or ORG_TYPES.get(
            _text(cells.get("org_type"))
        )
        if org_type is None:
            errors.append(self.error(row, "org_type", "ประเภทองค์กรไม่ถูกต้อง", "Unknown organization type"))
        status = STATUSES.get(_text(cells.get("status")).lower())
        if status is None:
            errors.append(
                self.error(
                    row, "status", "ใช้ ใช้งาน ไม่ใช้งาน หรือ เลิกกิจการ", "Use active, inactive or dissolved"
                )
            )
        code = _text(cells.get("subdistrict_code")).translate(THAI_DIGITS)
        code_ok = False
        if not code:
            errors.append(self.error(row, "subdistrict_code", "กรุณาระบุรหัสตำบล 6 หลัก", "Required (6 digits)"))
        elif not self.subdistrict_known(code):
            errors.append(self.error(row, "subdistrict_code", "ไม่พบรหัสตำบลนี้", "Unknown subdistrict code"))
        elif not self.may_manage(code):
            errors.append(self.error(row, "subdistrict_code", "ไม่มีสิทธิ์ในพื้นที่นี้", "Not permitted in this area"))
        else:
            code_ok = True
        cleaned: dict[str, Any] = {}
        for key, cleaner in (
            ("phone", clean_phone),
            ("email", clean_email),
            ("line_id", clean_line_id),
            ("founded_on", clean_date),
        ):
            try:
                cleaned[key] = cleaner(cells.get(key))
            except FieldProblem as problem:
                errors.append(self.problem(row, key, problem))
        for key, axis in (("latitude", "lat"), ("longitude", "lon")):
            try:
                cleaned[key] = clean_coordinate(cells.get(key), axis=axis)
            except FieldProblem as problem:
                errors.append(self.problem(row, key, problem))
        flag: str = LocationFlag.NONE
        if code_ok and "latitude" in cleaned and "longitude" in cleaned:
            try:
                flag = location_check(
                    subdistrict_code=code, latitude=cleaned["latitude"], longitude=cleaned["longitude"]
                )
            except FieldProblem as problem:
                errors.append(self.problem(row, "latitude", problem))
        if errors:
            return None, errors
        address = _text(cells.get("address"))
        return (
            OrganizationRow(
                row=row,
                registration_no=reg,
                name_th=name,
                name_en=_text(cells.get("name_en"))[:255],
                org_type=str(org_type),
                subdistrict=code,
                address=address,
                latitude=cleaned["latitude"],
                longitude=cleaned["longitude"],
                location_flag=flag,
                phone=cleaned["phone"],
                email=cleaned["email"],
                line_id=cleaned["line_id"],
                status=str(status),
                parent_network=_text(cells.get("parent_network")),
                founded_on=cleaned["founded_on"],
            ),
            [],
        )

    def write(self, prepared: list[OrganizationRow], *, job_id: int | None, file_sha256: str = "") -> Outcome:
        """Write checked rows in one transaction; each organization's history gets its own audit entry."""
        outcome = Outcome(total=len(prepared), valid=len(prepared))
        with transaction.atomic():
            existing = _existing_orgs({r.registration_no for r in prepared}, for_update=True)
            new: list[tuple[OrganizationRow, Organization]] = []
            changed: list[tuple[OrganizationRow, Organization, dict[str, list[Any]]]] = []
            for row in prepared:
                current = existing.get(row.registration_no)
                if current is None:
                    org = Organization(registration_no=row.registration_no)
                    for f, v in zip(ORG_FIELDS, _org_values(row), strict=True):
                        setattr(org, f, v)
                    org.name_search = search.index_text(row.name_th, row.name_en)
                    new.append((row, org))
                    continue
                diff = {
                    f: [getattr(current, f), v]
                    for f, v in zip(ORG_FIELDS, _org_values(row), strict=True)
                    if getattr(current, f) != v
                }
                if diff:
                    for f, (_old, v) in diff.items():
                        setattr(current, f, v)
                    if "name_th" in diff or "name_en" in diff:
                        current.name_search = search.index_text(current.name_th, current.name_en)
                changed.append((row, current, diff))
            Organization.objects.bulk_create([org for _, org in new], batch_size=BATCH_SIZE)
            by_reg = {org.registration_no: org for _, org in new} | {
                org.registration_no: org for _, org, _ in changed
            }
            parents = _existing_orgs({r.parent_network for r in prepared if r.parent_network} - by_reg.keys())
            parents.update(by_reg)

            def parent_id(row: OrganizationRow) -> int | None:
                if not row.parent_network:
                    return None
                parent = parents.get(row.parent_network)
                if parent is None:  # removed since the check: stop, nothing is written
                    raise FileRefused(
                        f"แถว {row.row:,}: ไม่พบเครือข่ายเลขทะเบียนนี้แล้ว กรุณาตรวจสอบใหม่",
                        f"Row {row.row:,}: the parent network no longer exists; check the file again",
                    )
                return parent.pk

            for row, org, diff in changed:
                parent = parent_id(row)
                if org.parent_network_id != parent:
                    diff["parent_network_id"] = [org.parent_network_id, parent]
                    org.parent_network_id = parent
            for row, org in new:
                org.parent_network_id = parent_id(row)
            to_save = [org for _, org in new if org.parent_network_id] + [
                org for _, org, diff in changed if diff
            ]
            if to_save:
                Organization.objects.bulk_update(
                    to_save, [*ORG_FIELDS, "parent_network_id", "name_search"], batch_size=200
                )
            for row, org in new:
                audit_record(
                    actor=self.actor,
                    action="communities.organization_create",
                    object_type="communities.organization",
                    object_id=org.pk,
                    changes={
                        "import_job": job_id,
                        "row": row.row,
                        "registration_no": org.registration_no,
                        "name_th": org.name_th,
                        "org_type": org.org_type,
                        "subdistrict": org.subdistrict_id,
                        **({"phone": org.phone} if org.phone else {}),
                    },
                    personal_fields=ORG_PERSONAL_FIELDS,
                )
            for row, org, diff in changed:
                if not diff:
                    outcome.unchanged += 1
                    continue
                outcome.updated += 1
                audit_record(
                    actor=self.actor,
                    action="communities.organization_update",
                    object_type="communities.organization",
                    object_id=org.pk,
                    changes={
                        "import_job": job_id,
                        "row": row.row,
                        **{k.removesuffix("_id") if k == "subdistrict_id" else k: v for k, v in diff.items()},
                    },
                    personal_fields=ORG_PERSONAL_FIELDS,
                )
            outcome.created = len(new)
            audit_record(
                actor=self.actor,
                action="communities.organization_import",
                object_type="communities.importjob",
                object_id=job_id or "",
                changes={
                    "file_sha256": file_sha256,
                    "created": outcome.created,
                    "updated": outcome.updated,
                    "unchanged": outcome.unchanged,
                },
            )
        return outcome


def _existing_orgs(registration_nos: Iterable[str], *, for_update: bool = False) -> dict[str, Organization]:
    keys = [k for k in registration_nos if k]
    found: dict[str, Organization] = {}
    for start in range(0, len(keys), 500):
        query = Organization.objects.filter(registration_no__in=keys[start : start + 500]).select_related(
            "parent_network"
        )
        if for_update:
            query = query.select_for_update(of=("self",))
        for org in query:
            found[org.registration_no] = org
    return found


def _org_current(org: Organization) -> tuple[Any, ...]:
    return tuple(getattr(org, f) for f in ORG_FIELDS)
