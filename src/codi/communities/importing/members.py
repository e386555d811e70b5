"""Import of members (persons and memberships): check every row, then write all or nothing in batches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from codi.communities.crypto import blind_index
from codi.communities.importing.common import (
    BATCH_SIZE,
    GENDERS,
    MEMBER_COLUMNS,
    PREVIEW_ROWS,
    ROLES,
    Outcome,
    ProgressCallback,
    RowError,
    _count,
    _Reader,
    _text,
)
from codi.communities.importing.member_rows import (
    MemberRow,
    _existing_person_keys,
    _existing_persons,
    _fingerprint,
    _insert_persons,
    _PendingPerson,
    _write_memberships,
)
from codi.communities.models import (
    PERSON_FIELDS,
    MemberRole,
    Membership,
    Organization,
    Person,
    person_fingerprint,
)
from codi.communities.validation import (
    THAI_DIGITS,
    FieldProblem,
    clean_birth_year,
    clean_date,
    clean_national_id,
    clean_phone,
    mask_national_id,
)
from codi.core.audit import audit_record


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
