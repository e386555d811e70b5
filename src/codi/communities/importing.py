"""Import of organizations and members from .xlsx or CSV: check every row, then write all or nothing.

Two passes over the same file:

- **check** (the dry run): read the rows in batches, validate each cell, look
  up organizations and existing persons a batch at a time, and collect the
  errors by row and column. Nothing is written.
- **write**: check again (never trust an earlier run), keep the prepared rows
  in memory (about 1 KB per member row; files are capped at ``MAX_ROWS``),
  and only when no row has an error, write them in one transaction with
  ``bulk_create``/``bulk_update`` in batches. The database is locked only for
  the write itself, not while the file is read and checked.

Re-importing a file updates rows, never duplicates them: members are keyed by
the blind index of their national ID, organizations by registration number;
rows equal to what is stored are left alone (no write, no audit entry).

Row numbers are the spreadsheet's own (the header is usually row 1), so a
report's "แถว 1,204" is the row a person sees in Excel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from django.db import connection, models, transaction
from django.utils import timezone

from codi.areas.models import Subdistrict
from codi.communities import search
from codi.communities.crypto import blind_index, encrypt_text
from codi.communities.models import (
    ORG_PERSONAL_FIELDS,
    PERSON_FIELDS,
    Gender,
    LocationFlag,
    MemberRole,
    Membership,
    Organization,
    OrgStatus,
    OrgType,
    Person,
    person_fingerprint,
)
from codi.communities.spreadsheet import FileRefused, open_table
from codi.communities.validation import (
    THAI_DIGITS,
    FieldProblem,
    clean_birth_year,
    clean_coordinate,
    clean_date,
    clean_email,
    clean_line_id,
    clean_national_id,
    clean_phone,
    mask_national_id,
)
from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.identity.selectors import user_can_in_area

MAX_ROWS = 200_000
BATCH_SIZE = 1000
PREVIEW_ROWS = 20


@dataclass(frozen=True)
class Column:
    key: str
    th: str  # the header in the template, and what error messages name
    en: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {_header_key(n) for n in (self.th, self.en, self.key, *self.aliases)}


MEMBER_COLUMNS = (
    Column(
        "national_id", "เลขประจำตัวประชาชน", "National ID", True, ("เลขบัตรประชาชน", "เลขประจำตัว", "citizen id")
    ),
    Column("title", "คำนำหน้า", "Title", False, ("คำนำหน้าชื่อ",)),
    Column("first_name", "ชื่อ", "First name", True, ("ชื่อจริง",)),
    Column("last_name", "นามสกุล", "Last name", True, ("สกุล",)),
    Column("birth_year", "ปีเกิด", "Birth year", False, ("ปีเกิด (พ.ศ.)",)),
    Column("gender", "เพศ", "Gender"),
    Column("phone", "โทรศัพท์", "Phone", False, ("เบอร์โทร", "เบอร์โทรศัพท์", "หมายเลขโทรศัพท์")),
    Column("address", "ที่อยู่", "Address"),
    Column("subdistrict_code", "รหัสตำบล", "Subdistrict code", True, ("รหัสแขวง/ตำบล", "tambon code")),
    Column("organization", "เลขทะเบียนองค์กร", "Organization registration number", False, ("องค์กร",)),
    Column("role", "บทบาท", "Role", False, ("ตำแหน่ง",)),
    Column("started_on", "วันที่เริ่ม", "Start date", False, ("วันที่เป็นสมาชิก",)),
)

ORGANIZATION_COLUMNS = (
    Column("registration_no", "เลขทะเบียนองค์กร", "Registration number", True, ("เลขทะเบียน",)),
    Column("name_th", "ชื่อองค์กร", "Name (Thai)", True, ("ชื่อ",)),
    Column("name_en", "ชื่อภาษาอังกฤษ", "Name (English)"),
    Column("org_type", "ประเภท", "Type", True, ("ประเภทองค์กร",)),
    Column("subdistrict_code", "รหัสตำบล", "Subdistrict code", True, ("รหัสแขวง/ตำบล", "tambon code")),
    Column("address", "ที่อยู่", "Address"),
    Column("latitude", "ละติจูด", "Latitude", False, ("lat",)),
    Column("longitude", "ลองจิจูด", "Longitude", False, ("lon", "lng")),
    Column("phone", "โทรศัพท์", "Phone", False, ("เบอร์โทร", "เบอร์โทรศัพท์")),
    Column("email", "อีเมล", "Email"),
    Column("line_id", "ไลน์ไอดี", "LINE ID", False, ("line", "ไลน์")),
    Column("status", "สถานะ", "Status"),
    Column("parent_network", "เลขทะเบียนเครือข่าย", "Parent network registration number", False, ("เครือข่าย",)),
    Column("founded_on", "วันที่ก่อตั้ง", "Founded on"),
)

GENDERS = {
    "": "",
    "ชาย": Gender.MALE,
    "ช": Gender.MALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "หญิง": Gender.FEMALE,
    "ญ": Gender.FEMALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "อื่นๆ": Gender.OTHER,
    "อื่น ๆ": Gender.OTHER,
    "อื่น": Gender.OTHER,
    "other": Gender.OTHER,
}
ROLES = {
    "": MemberRole.MEMBER,
    "สมาชิก": MemberRole.MEMBER,
    "member": MemberRole.MEMBER,
    "กรรมการ": MemberRole.COMMITTEE,
    "committee": MemberRole.COMMITTEE,
    "ผู้นำ": MemberRole.LEADER,
    "ประธาน": MemberRole.LEADER,
    "leader": MemberRole.LEADER,
}
ORG_TYPES = {
    **{v: v for v in OrgType.values},
    "องค์กรชุมชน": OrgType.COMMUNITY_ORGANIZATION,
    "เครือข่าย": OrgType.NETWORK,
    "เครือข่ายองค์กรชุมชน": OrgType.NETWORK,
    "สภาองค์กรชุมชน": OrgType.COUNCIL,
    "สภาองค์กรชุมชนตำบล": OrgType.COUNCIL,
    "กองทุนสวัสดิการชุมชน": OrgType.WELFARE_FUND,
    "กลุ่มออมทรัพย์": OrgType.SAVINGS_GROUP,
    "บ้านมั่นคง": OrgType.HOUSING_COOP,
    "สหกรณ์เคหสถาน": OrgType.HOUSING_COOP,
    "วิสาหกิจชุมชน": OrgType.ENTERPRISE,
    "อื่นๆ": OrgType.OTHER,
    "อื่น ๆ": OrgType.OTHER,
}
STATUSES = {
    "": OrgStatus.ACTIVE,
    **{v: v for v in OrgStatus.values},
    "ดำเนินการอยู่": OrgStatus.ACTIVE,
    "ใช้งาน": OrgStatus.ACTIVE,
    "ไม่ใช้งาน": OrgStatus.INACTIVE,
    "หยุดดำเนินการ": OrgStatus.INACTIVE,
    "เลิกกิจการ": OrgStatus.DISSOLVED,
    "ยุบเลิก": OrgStatus.DISSOLVED,
}


def _header_key(text: str) -> str:
    return "".join(str(text).lower().replace("*", "").split())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class RowError(NamedTuple):
    row: int
    column: str  # Thai column name ("" for the whole row)
    column_en: str
    message: str  # Thai
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


def error_text(error: dict[str, Any], *, english: bool = False) -> str:
    """``แถว 1,204 คอลัมน์ เลขประจำตัวประชาชน: เลขตรวจสอบไม่ถูกต้อง`` (or its English)."""
    if english:
        where = f"Row {error['row']:,}" + (f", column {error['column_en']}" if error["column_en"] else "")
        return f"{where}: {error['message_en']}"
    where = f"แถว {error['row']:,}" + (f" คอลัมน์ {error['column']}" if error["column"] else "")
    return f"{where}: {error['message']}"


class Progress(NamedTuple):
    processed: int
    valid: int
    error_rows: int
    total: int | None


ProgressCallback = Callable[[Progress], None]


@dataclass
class Outcome:
    """What a check (or a write) found: counters, the errors, and a preview of the first valid rows."""

    total: int = 0
    valid: int = 0
    error_rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    preview: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)

    def add_errors(self, errors: Sequence[RowError], *, limit: int) -> None:
        self.error_count += len(errors)
        room = limit - len(self.errors)
        if room > 0:
            self.errors.extend(e.as_dict() for e in errors[:room])


class _Reader:
    """Shared parts: open the file, map the header, feed batches of ``(row number, cells)``."""

    columns: tuple[Column, ...] = ()

    def __init__(
        self, *, actor: Any, progress: ProgressCallback | None = None, error_limit: int = 20_000
    ) -> None:
        self.actor = actor
        self.progress = progress
        self.error_limit = error_limit
        self._scope_cache: dict[str, bool] = {}
        self._subdistricts: frozenset[str] | None = None

    def may_manage(self, subdistrict_code: str) -> bool:
        allowed = self._scope_cache.get(subdistrict_code)
        if allowed is None:
            allowed = user_can_in_area(self.actor, Perm.ORGS_MANAGE, subdistrict_code=subdistrict_code)
            self._scope_cache[subdistrict_code] = allowed
        return allowed

    def subdistrict_known(self, code: str) -> bool:
        if self._subdistricts is None:
            self._subdistricts = frozenset(Subdistrict.objects.values_list("code", flat=True))
        return code in self._subdistricts

    def batches(
        self, path: Path, file_format: str, outcome: Outcome
    ) -> Iterator[list[tuple[int, dict[str, Any]]]]:
        with open_table(path, file_format) as table:
            index = self._map_header(table.header)
            outcome.summary["header_row"] = table.header_row
            batch: list[tuple[int, dict[str, Any]]] = []
            total = table.estimated_rows
            for row_number, cells in table.rows:
                if not any(c not in (None, "") for c in cells):
                    continue
                outcome.total += 1
                if outcome.total > MAX_ROWS:
                    raise FileRefused(
                        f"ไฟล์มีข้อมูลเกิน {MAX_ROWS:,} แถว กรุณาแบ่งเป็นหลายไฟล์",
                        f"The file has more than {MAX_ROWS:,} rows; split it into several files",
                    )
                batch.append(
                    (row_number, {key: cells[i] if i < len(cells) else None for key, i in index.items()})
                )
                if len(batch) >= BATCH_SIZE:
                    yield batch
                    batch = []
                    self._report(outcome, total)
            if batch:
                yield batch
            self._report(outcome, outcome.total)

    def _report(self, outcome: Outcome, total: int | None) -> None:
        if self.progress is not None:
            self.progress(Progress(outcome.total, outcome.valid, outcome.error_rows, total))

    def _map_header(self, header: list[str]) -> dict[str, int]:
        index: dict[str, int] = {}
        keys = [_header_key(h) for h in header]
        for column in self.columns:
            names = column.names()
            for i, key in enumerate(keys):
                if key in names:
                    index[column.key] = i
                    break
        missing = [c for c in self.columns if c.required and c.key not in index]
        if missing:
            raise FileRefused(
                "ไม่พบคอลัมน์ที่ต้องมี: " + ", ".join(c.th for c in missing) + " (ดาวน์โหลดแบบฟอร์มเพื่อดูหัวคอลัมน์)",
                "Missing required columns: " + ", ".join(c.en for c in missing) + " (download the template)",
            )
        return index

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def error(self, row: int, key: str, th: str, en: str) -> RowError:
        if not key:
            return RowError(row, "", "", th, en)
        col = self.column(key)
        return RowError(row, col.th, col.en, th, en)

    def problem(self, row: int, key: str, problem: FieldProblem) -> RowError:
        return self.error(row, key, problem.th, problem.en)


# --- members ------------------------------------------------------------------------------------


class MemberRow(NamedTuple):
    """A checked member row, ready to write (plain values; encryption happens on save)."""

    row: int
    key: str  # blind index of the national ID
    national_id: str
    title: str
    first_name: str
    last_name: str
    birth_year: int | None
    gender: str
    phone: str
    address: str
    subdistrict: str
    organization_id: int | None
    role: str
    started_on: date | None

    def person_fields(self) -> tuple[Any, ...]:
        return self[3:11]


class MemberImport(_Reader):
    columns = MEMBER_COLUMNS

    def __init__(
        self, *, actor: Any, progress: ProgressCallback | None = None, error_limit: int = 20_000
    ) -> None:
        super().__init__(actor=actor, progress=progress, error_limit=error_limit)
        self._orgs: dict[str, tuple[int, str] | None] = {}  # registration number → (pk, subdistrict)
        self._counted: set[str] = set()  # persons already counted as new/updated/unchanged
        self._seen_pairs: dict[tuple[str, int | None], int] = {}
        self._compare = True

    def check(self, path: Path, file_format: str, *, compare: bool = True) -> tuple[Outcome, list[MemberRow]]:
        """Validate every row; return the outcome and, for a clean file, the rows to write.

        ``compare=False`` (the check just before writing) skips counting what
        would change: the write decides that again inside its transaction, so
        the stored personal data need not be decrypted twice.
        """
        self._compare = compare
        outcome = Outcome()
        prepared: list[MemberRow] = []
        first_seen: dict[str, int] = {}  # blind index → position in ``prepared``
        self._seen_pairs = {}  # (blind index, organization) → row of its first appearance
        for batch in self.batches(path, file_format, outcome):
            cleaned: list[tuple[int, dict[str, Any], str]] = []
            for row_number, cells in batch:
                values, errors = self._clean(row_number, cells)
                if errors:
                    outcome.error_rows += 1
                    outcome.add_errors(errors, limit=self.error_limit)
                else:
                    cleaned.append((row_number, values, values["organization"]))
            self._load_orgs({reg for _, _, reg in cleaned if reg})
            rows: list[MemberRow] = []
            for row_number, values, reg in cleaned:
                row, errors = self._resolve(row_number, values, reg, prepared, first_seen)
                if errors:
                    outcome.error_rows += 1
                    outcome.add_errors(errors, limit=self.error_limit)
                else:
                    assert row is not None
                    first_seen.setdefault(row.key, len(prepared))
                    self._seen_pairs.setdefault((row.key, row.organization_id), row.row)
                    prepared.append(row)
                    rows.append(row)
            self._against_database(rows, outcome)
        return outcome, prepared

    def _clean(self, row: int, cells: dict[str, Any]) -> tuple[dict[str, Any], list[RowError]]:
        errors: list[RowError] = []
        values: dict[str, Any] = {}
        try:
            values["national_id"] = clean_national_id(cells.get("national_id"))
        except FieldProblem as problem:
            errors.append(self.problem(row, "national_id", problem))
        for key, limit in (("title", 30), ("first_name", 100), ("last_name", 100), ("address", 1000)):
            text = _text(cells.get(key))
            if len(text) > limit:
                errors.append(
                    self.error(row, key, f"ยาวเกิน {limit} ตัวอักษร", f"Longer than {limit} characters")
                )
            values[key] = text
        for key, th in (("first_name", "กรุณาระบุชื่อ"), ("last_name", "กรุณาระบุนามสกุล")):
            if not values[key]:
                errors.append(self.error(row, key, th, "Required"))
        try:
            values["birth_year"] = clean_birth_year(cells.get("birth_year"))
        except FieldProblem as problem:
            errors.append(self.problem(row, "birth_year", problem))
        gender = GENDERS.get(_text(cells.get("gender")).lower())
        if gender is None:
            errors.append(self.error(row, "gender", "ใช้ ชาย หญิง หรือ อื่น ๆ", "Use male, female or other"))
        values["gender"] = gender or ""
        try:
            values["phone"] = clean_phone(cells.get("phone"))
        except FieldProblem as problem:
            errors.append(self.problem(row, "phone", problem))
        code = _text(cells.get("subdistrict_code")).translate(THAI_DIGITS)
        if not code:
            errors.append(self.error(row, "subdistrict_code", "กรุณาระบุรหัสตำบล 6 หลัก", "Required (6 digits)"))
        elif not self.subdistrict_known(code):
            errors.append(self.error(row, "subdistrict_code", "ไม่พบรหัสตำบลนี้", "Unknown subdistrict code"))
        values["subdistrict"] = code
        values["organization"] = _text(cells.get("organization"))
        role = ROLES.get(_text(cells.get("role")).lower())
        if role is None:
            errors.append(
                self.error(row, "role", "ใช้ ผู้นำ กรรมการ หรือ สมาชิก", "Use leader, committee or member")
            )
        values["role"] = role or MemberRole.MEMBER
        try:
            values["started_on"] = clean_date(cells.get("started_on"))
        except FieldProblem as problem:
            errors.append(self.problem(row, "started_on", problem))
        return values, errors

    def _load_orgs(self, registration_nos: set[str]) -> None:
        wanted = [r for r in registration_nos if r not in self._orgs]
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            found = dict(
                (reg, (pk, code))
                for reg, pk, code in Organization.objects.filter(registration_no__in=part).values_list(
                    "registration_no", "pk", "subdistrict_id"
                )
            )
            for reg in part:
                self._orgs[reg] = found.get(reg)

    def _resolve(
        self,
        row: int,
        values: dict[str, Any],
        reg: str,
        prepared: list[MemberRow],
        first_seen: dict[str, int],
    ) -> tuple[MemberRow | None, list[RowError]]:
        org_id: int | None = None
        if reg:
            org = self._orgs.get(reg)
            if org is None:
                return None, [
                    self.error(row, "organization", "ไม่พบองค์กรเลขทะเบียนนี้", "No organization has this number")
                ]
            if not self.may_manage(org[1]):
                return None, [
                    self.error(
                        row, "organization", "ไม่มีสิทธิ์จัดการองค์กรนี้", "Not permitted for this organization"
                    )
                ]
            org_id = org[0]
        elif not self.may_manage(values["subdistrict"]):
            return None, [self.error(row, "subdistrict_code", "ไม่มีสิทธิ์ในพื้นที่นี้", "Not permitted in this area")]
        nid = values["national_id"]
        member = MemberRow(
            row=row,
            key=blind_index(nid),
            national_id=nid,
            title=values["title"],
            first_name=values["first_name"],
            last_name=values["last_name"],
            birth_year=values["birth_year"],
            gender=values["gender"],
            phone=values["phone"],
            address=values["address"],
            subdistrict=values["subdistrict"],
            organization_id=org_id,
            role=values["role"],
            started_on=values["started_on"],
        )
        position = first_seen.get(member.key)
        if position is not None:
            first = prepared[position]
            same = self._seen_pairs.get((member.key, org_id))
            if same is not None:
                return None, [self.error(row, "national_id", f"ซ้ำกับแถว {same:,}", f"Same as row {same:,}")]
            if first.person_fields() != member.person_fields():
                return None, [
                    self.error(
                        row,
                        "national_id",
                        f"ข้อมูลบุคคลไม่ตรงกับแถว {first.row:,} ที่มีเลขประจำตัวเดียวกัน",
                        f"Person details differ from row {first.row:,} with the same ID",
                    )
                ]
        return member, []

    def _against_database(self, rows: list[MemberRow], outcome: Outcome) -> None:
        """Count new/changed/unchanged persons and refuse existing persons outside the actor's areas."""
        if not rows:
            return
        keys = {r.key for r in rows}
        existing: dict[str, Any] = dict(_existing_person_keys(keys))
        for row in rows:
            current = existing.get(row.key)
            if current is not None and row.organization_id is None and not self._may_manage_person(current):
                outcome.error_rows += 1
                outcome.add_errors(
                    [
                        self.error(
                            row.row,
                            "national_id",
                            "บุคคลนี้ลงทะเบียนในพื้นที่อื่น ให้ระบุองค์กรในพื้นที่ของคุณ หรือติดต่อเจ้าหน้าที่พื้นที่นั้น",
                            "This person is registered in another area: name an organization in yours",
                        )
                    ],
                    limit=self.error_limit,
                )
                continue
            outcome.valid += 1
            if current is None:
                action = "new"
                existing[row.key] = _PendingPerson(row)
            elif not self._compare or _fingerprint(current) == person_fingerprint(row.person_fields()):
                action = "unchanged"
            else:
                action = "update"
            if row.key not in self._counted:  # a person on several rows (several organizations) counts once
                self._counted.add(row.key)
                _count(outcome, action)
            if len(outcome.preview) < PREVIEW_ROWS:
                outcome.preview.append(
                    {
                        "row": row.row,
                        "national_id": mask_national_id(row.national_id),
                        "name": f"{row.title}{row.first_name} {row.last_name}".strip(),
                        "subdistrict": row.subdistrict,
                        "organization_id": row.organization_id,
                        "role": row.role,
                        "action": action,
                    }
                )

    def _may_manage_person(self, person: Any) -> bool:
        if isinstance(person, _PendingPerson):
            return True
        if self.may_manage(person.subdistrict_id):
            return True
        codes = Membership.objects.filter(person_id=person.pk).values_list(
            "organization__subdistrict_id", flat=True
        )
        return any(self.may_manage(c) for c in codes)

    def write(self, prepared: list[MemberRow], *, job_id: int | None, file_sha256: str = "") -> Outcome:
        """Write checked rows in one transaction; one audit entry per batch names the persons touched.

        New persons and memberships go in with one prepared ``INSERT`` run over
        each batch (``executemany``): the ORM's ``bulk_create`` spends more time
        preparing values than the database spends storing them. Values are
        prepared exactly as the model fields would (encrypted, adapted).
        """
        outcome = Outcome(total=len(prepared), valid=len(prepared))
        memberships_created = memberships_updated = 0
        done: set[str] = set()
        ids: dict[str, int] = {}  # blind index → person id, for persons written by this import
        now = timezone.now()
        with transaction.atomic():
            for start in range(0, len(prepared), BATCH_SIZE):
                batch = prepared[start : start + BATCH_SIZE]
                known = _existing_person_keys({r.key for r in batch if r.key not in done})
                differing = [
                    r.key
                    for r in batch
                    if r.key in known and known[r.key].record_hash != person_fingerprint(r.person_fields())
                ]
                existing = _existing_persons(differing)  # decrypted only where something may have changed
                new: dict[str, MemberRow] = {}
                changed: dict[str, tuple[Person, list[str]]] = {}
                for row in batch:
                    if row.key in done:
                        continue
                    done.add(row.key)
                    if row.key not in known:
                        new[row.key] = row
                        continue
                    ids[row.key] = known[row.key].pk
                    current = existing.get(row.key)
                    if current is None:  # its fingerprint matches: unchanged
                        outcome.unchanged += 1
                        continue
                    fields = [
                        f
                        for f, v in zip(PERSON_FIELDS, row.person_fields(), strict=True)
                        if getattr(current, f) != v
                    ]
                    current.record_hash = person_fingerprint(row.person_fields())
                    if not fields:  # a stale fingerprint: refresh it, nothing else
                        Person.objects.filter(pk=current.pk).update(record_hash=current.record_hash)
                        outcome.unchanged += 1
                        continue
                    for f, v in zip(PERSON_FIELDS, row.person_fields(), strict=True):
                        setattr(current, f, v)
                    current.updated_at = now  # bulk_update does not apply auto_now
                    changed[row.key] = (current, fields)
                created = _insert_persons(list(new.values()), now)
                ids.update(created)
                if changed:
                    Person.objects.bulk_update(
                        [p for p, _ in changed.values()],
                        [*PERSON_FIELDS, "record_hash", "updated_at"],
                        batch_size=250,
                    )
                added, refreshed = _write_memberships(batch, ids, now)
                memberships_created += added
                memberships_updated += refreshed
                outcome.created += len(created)
                outcome.updated += len(changed)
                audit_record(
                    actor=self.actor,
                    action="communities.member_import",
                    object_type="communities.importjob",
                    object_id=job_id or "",
                    changes={
                        "file_sha256": file_sha256,
                        "rows": [batch[0].row, batch[-1].row],
                        "persons_created": sorted(created.values()),
                        "persons_updated": {str(p.pk): fields for p, fields in changed.values()},
                        "memberships_created": added,
                        "memberships_updated": refreshed,
                    },
                )
        outcome.summary = {
            "memberships_created": memberships_created,
            "memberships_updated": memberships_updated,
        }
        return outcome


def _insert(model: type[models.Model], fields: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows that already hold database values, by the database's fastest plain path.

    SQLite runs one prepared statement over every row (``executemany``);
    PostgreSQL gets ``COPY … FROM STDIN``, which skips both the round trip per
    row of ``executemany`` and the parsing of a long multi-row ``VALUES`` text.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(getattr(model._meta.get_field(f), "column", f))) for f in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


PERSON_INSERT = ("record_hash", "national_id", "national_id_index", "national_id_masked", "title_th", "first_name_th",
                 "last_name_th", "birth_year", "gender", "phone", "address", "subdistrict", "is_demo",
                 "created_at", "updated_at")  # fmt: skip
MEMBERSHIP_INSERT = ("person", "organization", "role", "started_on", "ended_on", "created_at", "updated_at")


def person_insert_values(r: MemberRow, stamp: Any) -> tuple[Any, ...]:
    """The database values of a new person, in ``PERSON_INSERT`` order, as the model fields would store them."""
    return (
        person_fingerprint(r.person_fields()),
        encrypt_text(r.national_id),
        r.key,
        mask_national_id(r.national_id),
        r.title,
        r.first_name,
        r.last_name,
        r.birth_year,
        r.gender,
        encrypt_text(r.phone) if r.phone else "",
        encrypt_text(r.address) if r.address else "",
        r.subdistrict,
        False,
        stamp,
        stamp,
    )


def _insert_persons(rows: list[MemberRow], now: Any) -> dict[str, int]:
    """Insert new persons; return their ids by blind index."""
    if not rows:
        return {}
    stamp = connection.ops.adapt_datetimefield_value(now)
    _insert(Person, PERSON_INSERT, [person_insert_values(r, stamp) for r in rows])
    keys = [r.key for r in rows]
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        found.update(
            Person.objects.filter(national_id_index__in=keys[start : start + 500]).values_list(
                "national_id_index", "pk"
            )
        )
    return found


def _count(outcome: Outcome, action: str) -> None:
    if action == "new":
        outcome.created += 1
    elif action == "update":
        outcome.updated += 1
    else:
        outcome.unchanged += 1


class _PendingPerson:
    """A person created earlier in the same file (not in the database yet while checking)."""

    def __init__(self, row: MemberRow) -> None:
        self.row = row


def _fingerprint(person: Any) -> str:
    if isinstance(person, _PendingPerson):
        return person_fingerprint(person.row.person_fields())
    return str(person.record_hash)


def _existing_person_keys(indexes: Iterable[str]) -> dict[str, Person]:
    """Existing persons with id, home subdistrict and fingerprint only (nothing to decrypt)."""
    keys = list(indexes)
    found: dict[str, Person] = {}
    for start in range(0, len(keys), 500):
        query = Person.objects.filter(national_id_index__in=keys[start : start + 500]).only(
            "pk", "national_id_index", "subdistrict_id", "record_hash"
        )
        for person in query:
            found[person.national_id_index] = person
    return found


def _existing_persons(indexes: Iterable[str]) -> dict[str, Person]:
    keys = list(indexes)
    found: dict[str, Any] = {}
    for start in range(0, len(keys), 500):
        query = Person.objects.filter(national_id_index__in=keys[start : start + 500]).defer("national_id")
        for person in query:
            found[person.national_id_index] = person
    return found


def _write_memberships(batch: list[MemberRow], ids: dict[str, int], now: Any) -> tuple[int, int]:
    wanted = {(ids[r.key], r.organization_id): r for r in batch if r.organization_id is not None}
    if not wanted:
        return 0, 0
    current: dict[tuple[int, int], tuple[Any, ...]] = {}
    for pk, person_id, org_id, role, started, ended in Membership.objects.filter(
        person_id__in={p for p, _ in wanted}  # the (person, organization) index serves this
    ).values_list("pk", "person_id", "organization_id", "role", "started_on", "ended_on"):
        current[(person_id, org_id)] = (pk, role, started, ended)
    stamp = connection.ops.adapt_datetimefield_value(now)
    to_create: list[tuple[Any, ...]] = []
    to_update: list[Membership] = []
    for key, row in wanted.items():
        found = current.get(key)
        if found is None:
            start_value = connection.ops.adapt_datefield_value(row.started_on)
            to_create.append((key[0], key[1], row.role, start_value, None, stamp, stamp))
            continue
        pk, role, started_on, ended_on = found
        target = (row.role, row.started_on or started_on, None)
        if (role, started_on, ended_on) != target:
            to_update.append(
                Membership(pk=pk, role=target[0], started_on=target[1], ended_on=None, updated_at=now)
            )
    _insert(Membership, MEMBERSHIP_INSERT, to_create)
    if to_update:
        Membership.objects.bulk_update(
            to_update, ["role", "started_on", "ended_on", "updated_at"], batch_size=500
        )
    return len(to_create), len(to_update)


# --- organizations ---------------------------------------------------------------------------------------


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
