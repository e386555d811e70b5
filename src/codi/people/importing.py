"""Imports of the employee master and of leave balances from .xlsx or CSV.

Every row is checked first; an error names the file's line and column (header and letter) in
Thai and English. A file with any error writes nothing. A clean file is written in bulk in one
transaction with one audit entry; importing the same file again changes nothing (rows are keyed
by employee number, and by employee, leave type and fiscal year). ``dry_run`` checks and counts
without writing. The demo loads its 1,000 employees through ``employee_rows_apply``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from codi.communities.crypto import blind_index
from codi.communities.spreadsheet import FileRefused, open_table, sniff_format
from codi.communities.validation import FieldProblem, clean_national_id, mask_national_id
from codi.core.audit import audit_record
from codi.identity.models import OrgUnit, User
from codi.identity.roles import Perm
from codi.people import birth
from codi.people.models import Employee, EmploymentType, LeaveBalance, LeaveType, SalaryChange
from codi.people.selectors import hr_unit_scope
from codi.people.services import PeopleError, clean_bank_account, clean_children, clean_region, mask_account

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    key: str
    th: str
    required: bool = True


EMPLOYEE_COLUMNS = (
    Column("employee_no", "เลขที่พนักงาน"), Column("first_name_th", "ชื่อ"), Column("last_name_th", "นามสกุล"),
    Column("employment_type", "ประเภทการจ้าง", False), Column("position", "ตำแหน่ง"), Column("level", "ระดับ", False),
    Column("org_unit", "รหัสหน่วยงาน"), Column("salary", "เงินเดือน"), Column("start_date", "วันที่เริ่มงาน"),
    Column("end_date", "วันที่พ้นสภาพ", False), Column("national_id", "เลขประจำตัวประชาชน"),
    Column("bank_code", "รหัสธนาคาร"), Column("bank_account", "เลขที่บัญชี"), Column("spouse", "คู่สมรสไม่มีเงินได้", False),
    Column("children_birth_years", "ปีเกิดบุตร", False), Column("parents", "จำนวนบิดามารดา", False),
    Column("pvd_rate", "อัตราสะสมกองทุน", False), Column("pvd_employer_rate", "อัตราสมทบกองทุน", False),
    Column("monthly_allowance", "เงินเพิ่มรายเดือน", False), Column("monthly_deduction", "เงินหักรายเดือน", False),
    Column("is_unit_head", "หัวหน้าหน่วยงาน", False), Column("username", "ชื่อผู้ใช้", False),
    Column("region", "ภาค", False), Column("birth_date", "วันเกิด", False),
)  # fmt: skip
BALANCE_COLUMNS = (
    Column("employee_no", "เลขที่พนักงาน"), Column("leave_type", "ประเภทการลา"), Column("fiscal_year", "ปีงบประมาณ"),
    Column("entitled", "สิทธิ์"), Column("carried_over", "ยกมา", False), Column("used", "ใช้ไป", False),
)  # fmt: skip


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # the header as written, with its letter: "salary (H)"
    message_th: str
    message_en: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message_en}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False


class _Bad(Exception):  # noqa: N818 — one cell refused
    def __init__(self, key: str, th: str, en: str) -> None:
        super().__init__(en)
        self.key, self.th, self.en = key, th, en


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(key: str, value: Any, *, default: str | None = None) -> Decimal:
    text = _text(value).replace(",", "")
    if not text and default is not None:
        text = default
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _Bad(key, "ต้องเป็นตัวเลข", "must be a number") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise _Bad(key, "ต้องไม่ติดลบและมีทศนิยมไม่เกิน 2 ตำแหน่ง", "must not be negative, at most 2 decimals")
    return amount


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _date(key: str, value: Any, *, required: bool = True) -> date | None:
    """ISO ``2020-01-31``, or ``31/1/2563`` (a year above 2400 is Buddhist Era), or a spreadsheet date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        if required:
            raise _Bad(key, "กรุณาระบุวันที่", "the date is required")
        return None
    try:
        if match := _DMY.match(text):
            day, month, year = (int(g) for g in match.groups())
            return date(year - 543 if year > 2400 else year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise _Bad(
            key, "วันที่ไม่ถูกต้อง (เช่น 2020-01-31 หรือ 31/1/2563)", "not a date (2020-01-31 or 31/1/2563)"
        ) from None


def _flag(key: str, value: Any) -> bool:
    text = _text(value).lower()
    if text in {"", "0", "no", "false", "ไม่", "ไม่ใช่"}:
        return False
    if text in {"1", "yes", "true", "ใช่", "มี"}:
        return True
    raise _Bad(key, "ใส่ 1 (ใช่) หรือ 0 (ไม่ใช่)", "write 1 (yes) or 0 (no)")


def _people_error(key: str, exc: PeopleError) -> _Bad:
    return _Bad(key, exc.message_th, exc.message_en)


# --- reading a file --------------------------------------------------------------------------


def read_rows(
    path: Path, columns: Sequence[Column]
) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, str]]:
    """The file's rows as (line, {key: value}) and each key's column label; ``PeopleError`` when the
    file cannot be read or misses a required column."""
    try:
        with path.open("rb") as handle:
            file_format = sniff_format(handle.read(4096))
        with open_table(path, file_format) as table:
            names = {c.key: c for c in columns}
            index: dict[str, int] = {}
            for i, header in enumerate(table.header):
                key = header.strip().lower().replace(" ", "_")
                match = next((c.key for c in columns if key == c.key or header.strip() == c.th), None)
                if match and match not in index:
                    index[match] = i
            missing = [c for c in columns if c.required and c.key not in index]
            if missing:
                raise PeopleError(
                    "ไม่พบคอลัมน์: " + ", ".join(f"{c.th} ({c.key})" for c in missing),
                    "Missing columns: " + ", ".join(c.key for c in missing),
                )
            labels = {key: f"{table.header[i]} ({_letter(i)})" for key, i in index.items()}
            labels.update({k: k for k in names if k not in labels})
            rows: list[tuple[int, dict[str, Any]]] = []
            for line, cells in table.rows:
                if not any(c not in (None, "") for c in cells):
                    continue
                if len(rows) >= MAX_ROWS:
                    raise PeopleError(
                        f"ไฟล์มีเกิน {MAX_ROWS:,} แถว", f"The file has more than {MAX_ROWS:,} rows"
                    )
                rows.append((line, {k: cells[i] if i < len(cells) else None for k, i in index.items()}))
    except FileRefused as exc:
        raise PeopleError(exc.th, exc.en) from None
    return rows, labels


def _require_hr(actor: Any) -> set[int] | None:
    if actor is None:
        return None
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    units = hr_unit_scope(actor, Perm.PEOPLE_MANAGE)
    if units is not None and not units:
        raise PermissionDenied
    return units


# --- employees -------------------------------------------------------------------------------

_FIELDS = ("first_name_th", "last_name_th", "employment_type", "position", "level", "org_unit_id", "salary",
           "start_date", "end_date", "bank_code", "spouse_allowance", "children_birth_years", "parents_allowance",
           "pvd_rate", "pvd_employer_rate", "monthly_allowance", "monthly_deduction", "is_unit_head", "user_id", "region")  # fmt: skip


def _employee_values(raw: dict[str, Any], units: dict[str, int], users: dict[str, int]) -> dict[str, Any]:
    """One row's checked values (raises ``_Bad`` for the first wrong cell)."""
    values: dict[str, Any] = {}
    for key in ("employee_no", "first_name_th", "last_name_th", "position"):
        values[key] = _text(raw.get(key))[:200]
        if not values[key]:
            raise _Bad(key, "กรุณากรอก", "is required")
    if len(values["employee_no"]) > 20:
        raise _Bad("employee_no", "ยาวเกิน 20 ตัวอักษร", "is longer than 20 characters")
    kind = _text(raw.get("employment_type")) or EmploymentType.EMPLOYEE
    if kind not in EmploymentType.values:
        raise _Bad(
            "employment_type",
            "ใช้ " + ", ".join(EmploymentType.values),
            "use " + ", ".join(EmploymentType.values),
        )
    values["employment_type"], values["level"] = kind, _text(raw.get("level"))[:40]
    code = _text(raw.get("org_unit"))
    if code not in units:
        raise _Bad("org_unit", f"ไม่พบหน่วยงานรหัส {code} ในขอบเขตของท่าน", f"no unit {code!r} in your scope")
    values["org_unit_id"] = units[code]
    values["salary"] = _decimal("salary", raw.get("salary"))
    values["start_date"] = _date("start_date", raw.get("start_date"))
    values["end_date"] = _date("end_date", raw.get("end_date"), required=False)
    if values["end_date"] and values["end_date"] < values["start_date"]:
        raise _Bad("end_date", "ก่อนวันที่เริ่มงาน", "is before the start date")
    try:
        values["national_id"] = clean_national_id(_text(raw.get("national_id")))
    except FieldProblem as exc:
        raise _Bad("national_id", exc.th, exc.en) from None
    try:
        values["bank_code"], values["bank_account"] = clean_bank_account(
            _text(raw.get("bank_code")).zfill(3), _text(raw.get("bank_account"))
        )
    except PeopleError as exc:
        raise _people_error("bank_account", exc) from None
    values["spouse_allowance"] = _flag("spouse", raw.get("spouse"))
    values["is_unit_head"] = _flag("is_unit_head", raw.get("is_unit_head"))
    try:  # optional; when given, the children's years are checked against it
        born = birth.clean(
            _date("birth_date", raw.get("birth_date"), required=False), start_date=values["start_date"]
        )
    except birth.BirthProblem as exc:
        raise _Bad("birth_date", exc.th, exc.en) from None
    values["birth_date"] = born
    try:
        values["children_birth_years"] = clean_children(
            _text(raw.get("children_birth_years")), birth_year_of_employee=born.year if born else None
        )
    except PeopleError as exc:
        raise _people_error("children_birth_years", exc) from None
    parents = _text(raw.get("parents")) or "0"
    if not parents.isdigit() or int(parents) > 4:
        raise _Bad("parents", "0 ถึง 4", "0 to 4")
    values["parents_allowance"] = int(parents)
    for key in ("pvd_rate", "pvd_employer_rate"):
        values[key] = _decimal(key, raw.get(key), default="0")
        if values[key] > 15:
            raise _Bad(key, "ไม่เกินร้อยละ 15", "at most 15 %")
    for key in ("monthly_allowance", "monthly_deduction"):
        values[key] = _decimal(key, raw.get(key), default="0")
    username = _text(raw.get("username"))
    if username and username not in users:
        raise _Bad("username", f"ไม่พบผู้ใช้ {username}", f"no user {username!r}")
    values["user_id"] = users.get(username) if username else None
    try:
        values["region"] = clean_region(_text(raw.get("region")))
    except PeopleError as exc:
        raise _people_error("region", exc) from None
    return values


def employee_rows_apply(
    *, actor: Any, rows: Iterable[tuple[int, dict[str, Any]]], labels: dict[str, str] | None = None,
    dry_run: bool = False, is_demo: bool = False, source: str = "",
) -> ImportReport:  # fmt: skip
    """Check every row, then create or update the employees in bulk (nothing when any row fails)."""
    scope = _require_hr(actor)
    labels = labels or {}
    unit_rows = OrgUnit.objects.all() if scope is None else OrgUnit.objects.filter(pk__in=scope)
    units = dict(unit_rows.values_list("code", "pk"))
    report, checked = ImportReport(), []
    seen_no: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    rows = list(rows)
    wanted_users = {_text(r.get("username")) for _line, r in rows if _text(r.get("username"))}
    users = dict(User.objects.filter(username__in=wanted_users).values_list("username", "pk"))
    for line, raw in rows:
        report.rows += 1
        try:
            values = _employee_values(raw, units, users)
            if values["employee_no"] in seen_no:
                raise _Bad(
                    "employee_no",
                    f"ซ้ำกับบรรทัด {seen_no[values['employee_no']]}",
                    f"repeats line {seen_no[values['employee_no']]}",
                )
            if values["national_id"] in seen_id:
                raise _Bad(
                    "national_id",
                    f"ซ้ำกับบรรทัด {seen_id[values['national_id']]}",
                    f"repeats line {seen_id[values['national_id']]}",
                )
        except _Bad as bad:
            report.errors.append(RowError(line, labels.get(bad.key, bad.key), bad.th, bad.en))
            continue
        seen_no[values["employee_no"]], seen_id[values["national_id"]] = line, line
        checked.append((line, values))
    existing = {
        e.employee_no: e for e in Employee.objects.filter(employee_no__in=seen_no).defer("national_id")
    }
    hashes = {blind_index(v["national_id"]): (line, v) for line, v in checked}
    for no, _pk, hashed in Employee.objects.filter(national_id_hash__in=hashes).values_list(
        "employee_no", "pk", "national_id_hash"
    ):
        line, values = hashes[hashed]
        if values["employee_no"] != no:
            report.errors.append(RowError(line, labels.get("national_id", "national_id"),
                                          f"เป็นของพนักงาน {no} แล้ว", f"already belongs to employee {no}"))  # fmt: skip
    for line, values in checked:
        current = existing.get(values["employee_no"])
        if current is not None and current.org_unit_id not in units.values():
            report.errors.append(RowError(line, labels.get("employee_no", "employee_no"),
                                          "พนักงานอยู่นอกขอบเขตของท่าน", "the employee is outside your scope"))  # fmt: skip
    report.errors.sort(key=lambda e: e.line)
    if report.errors:
        return report
    new, changed, salary_rows = [], [], []
    for _line, v in checked:
        current = existing.get(v["employee_no"])
        hashed = blind_index(v["national_id"])
        if current is None:
            new.append(Employee(
                employee_no=v["employee_no"], national_id=v["national_id"], national_id_hash=hashed,
                national_id_masked=mask_national_id(v["national_id"]), bank_account=v["bank_account"],
                bank_account_masked=mask_account(v["bank_account"]), is_demo=is_demo,
                **{k: v[k] for k in _FIELDS}, **birth.stored(v["birth_date"]),
            ))  # fmt: skip
            continue
        diff = [k for k in _FIELDS if getattr(current, k) != v[k]]
        # A blank birth date in the file keeps the recorded one.
        new_birth = birth.stored(v["birth_date"]) if v["birth_date"] else {}
        if current.national_id_hash != hashed or current.bank_account != v["bank_account"]:
            diff.append("personal")
        if new_birth and current.birth_date != new_birth["birth_date"]:
            diff.append("birth_date")
        if not diff:
            report.unchanged += 1
            continue
        if current.salary != v["salary"]:
            salary_rows.append(SalaryChange(employee=current, effective_date=timezone.localdate(),
                                            salary=v["salary"], reason="นำเข้าจากไฟล์"))  # fmt: skip
        for k in _FIELDS:
            setattr(current, k, v[k])
        current.national_id, current.national_id_hash = v["national_id"], hashed
        current.national_id_masked = mask_national_id(v["national_id"])
        current.bank_account, current.bank_account_masked = v["bank_account"], mask_account(v["bank_account"])
        for name, value in new_birth.items():
            setattr(current, name, value)
        changed.append(current)
    report.created, report.updated = len(new), len(changed)
    if dry_run or not (new or changed):
        return report
    with transaction.atomic():
        created = Employee.objects.bulk_create(new, batch_size=1000)
        Employee.objects.bulk_update(
            changed, [*_FIELDS, "national_id", "national_id_hash", "national_id_masked", "bank_account",
                      "bank_account_masked", "birth_date", "birth_date_masked"], batch_size=1000,
        )  # fmt: skip
        if any(e.pk is None for e in created):  # a database that returns no ids (old SQLite)
            ids = dict(
                Employee.objects.filter(employee_no__in=[e.employee_no for e in created]).values_list(
                    "employee_no", "pk"
                )
            )
            for e in created:
                e.pk = ids[e.employee_no]
        salary_rows += [
            SalaryChange(employee=e, effective_date=e.start_date, salary=e.salary, reason="บรรจุ")
            for e in created
        ]
        SalaryChange.objects.bulk_create(salary_rows, batch_size=1000)
        audit_record(
            actor=actor, action="people.employee_import", object_type="people.Employee", object_id="",
            changes={"source": source, "created": [e.employee_no for e in created],
                     "updated": [e.employee_no for e in changed]},
        )  # fmt: skip
    report.written = True
    return report


def employee_import(*, actor: Any, path: Path, dry_run: bool = False, source: str = "") -> ImportReport:
    """The employee master from a file (see ``EMPLOYEE_COLUMNS``; Thai or English headers)."""
    _require_hr(actor)
    rows, labels = read_rows(path, EMPLOYEE_COLUMNS)
    return employee_rows_apply(
        actor=actor, rows=rows, labels=labels, dry_run=dry_run, source=source or path.name
    )


# --- leave balances --------------------------------------------------------------------------


def leave_balance_import(*, actor: Any, path: Path, dry_run: bool = False, source: str = "") -> ImportReport:
    """Opening leave balances (``BALANCE_COLUMNS``): entitled, carried over and used days per
    employee, leave type and fiscal year (B.E.). Pending days of open requests are kept."""
    scope = _require_hr(actor)
    rows, labels = read_rows(path, BALANCE_COLUMNS)
    return leave_balance_rows_apply(actor=actor, rows=rows, labels=labels, dry_run=dry_run, scope=scope,
                                    source=source or path.name)  # fmt: skip


def _days(key: str, value: Any, *, default: str | None = None) -> Decimal:
    amount = _decimal(key, value, default=default)
    if amount > 400 or amount * 2 != (amount * 2).to_integral_value():
        raise _Bad(key, "จำนวนวันเป็นทวีคูณของครึ่งวัน ไม่เกิน 400", "days in halves, at most 400")
    return amount


def leave_balance_rows_apply(
    *, actor: Any, rows: Iterable[tuple[int, dict[str, Any]]], labels: dict[str, str], dry_run: bool,
    scope: set[int] | None, source: str,
) -> ImportReport:  # fmt: skip
    report, checked = ImportReport(), []
    rows = list(rows)
    employees = {
        no: (pk, unit)
        for no, pk, unit in Employee.objects.filter(
            employee_no__in={_text(r.get("employee_no")) for _l, r in rows}
        ).values_list("employee_no", "pk", "org_unit_id")
    }
    types = {t.code: t for t in LeaveType.objects.all()}
    balances = {
        (b.employee_id, b.leave_type_id, b.fiscal_year): b
        for b in LeaveBalance.objects.filter(employee_id__in=[pk for pk, _u in employees.values()])
    }
    seen: dict[tuple[int, int, int], int] = {}
    for line, raw in rows:
        report.rows += 1
        try:
            no = _text(raw.get("employee_no"))
            if no not in employees or (scope is not None and employees[no][1] not in scope):
                raise _Bad(
                    "employee_no", f"ไม่พบพนักงาน {no} ในขอบเขตของท่าน", f"no employee {no!r} in your scope"
                )
            leave_type = types.get(_text(raw.get("leave_type")))
            if leave_type is None:
                raise _Bad("leave_type", "ใช้รหัส " + ", ".join(types), "use one of " + ", ".join(types))
            year = _text(raw.get("fiscal_year"))
            if not year.isdigit() or not 2500 <= int(year) <= 2700:
                raise _Bad("fiscal_year", "ปีงบประมาณ พ.ศ. เช่น 2570", "a Buddhist-Era fiscal year, e.g. 2570")
            entitled = _days("entitled", raw.get("entitled"))
            carried = _days("carried_over", raw.get("carried_over"), default="0")
            used = _days("used", raw.get("used"), default="0")
            key = (employees[no][0], leave_type.pk, int(year))
            if key in seen:
                raise _Bad("employee_no", f"ซ้ำกับบรรทัด {seen[key]}", f"repeats line {seen[key]}")
            pending = balances[key].pending if key in balances else Decimal("0")
            if used + pending > entitled + carried and not leave_type.allows_over_balance:
                raise _Bad("used", "ใช้ไปเกินสิทธิ์ที่มี", "more days used than entitled")
        except _Bad as bad:
            report.errors.append(RowError(line, labels.get(bad.key, bad.key), bad.th, bad.en))
            continue
        seen[key] = line
        checked.append((key, entitled, carried, used))
    if report.errors:
        return report
    new, changed = [], []
    for (employee_id, type_id, fiscal_year), entitled, carried, used in checked:
        current = balances.get((employee_id, type_id, fiscal_year))
        if current is None:
            new.append(LeaveBalance(employee_id=employee_id, leave_type_id=type_id, fiscal_year=fiscal_year,
                                    entitled=entitled, carried_over=carried, used=used))  # fmt: skip
        elif (current.entitled, current.carried_over, current.used) != (entitled, carried, used):
            current.entitled, current.carried_over, current.used = entitled, carried, used
            changed.append(current)
        else:
            report.unchanged += 1
    report.created, report.updated = len(new), len(changed)
    if dry_run or not (new or changed):
        return report
    with transaction.atomic():
        LeaveBalance.objects.bulk_create(new, batch_size=1000)
        LeaveBalance.objects.bulk_update(changed, ["entitled", "carried_over", "used"], batch_size=1000)
        audit_record(
            actor=actor, action="people.leave_balance_import", object_type="people.LeaveBalance", object_id="",
            changes={"source": source, "created": len(new), "updated": len(changed)},
        )  # fmt: skip
    report.written = True
    return report
