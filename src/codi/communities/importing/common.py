"""What member and organization imports share: the columns, the value maps, the row errors, the outcome and the file reader."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from codi.areas.models import Subdistrict
from codi.communities.models import (
    Gender,
    MemberRole,
    OrgStatus,
    OrgType,
)
from codi.communities.spreadsheet import FileRefused, open_table
from codi.communities.validation import (
    FieldProblem,
)
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


def _count(outcome: Outcome, action: str) -> None:
    if action == "new":
        outcome.created += 1
    elif action == "update":
        outcome.updated += 1
    else:
        outcome.unchanged += 1
