"""Dependants and the tax allowances they give, as a self-service change HR approves.

A staff member proposes (``selfservice.change_submit`` with kind ``dependants``): a spouse (name,
and whether without income — Revenue Code s.47(1)(b)), children with their birth years (s.47(1)(c):
the order of birth decides the 60,000-baht allowance from the second child born 2018 or later),
parents they support (s.47(1)(g): own and the spouse's, four at most). On HR's approval the
encrypted ``Dependants`` record takes the names and years, and the employee's tax fields
(``spouse_allowance``, ``children_birth_years``, ``parents_allowance``, ``parents_birth_years``)
follow, so the next payroll withholds with them: a parent given a birth year counts only from the tax
year they are 60 (``tax.qualifying_parents``); one without a year counts as declared. The declaration
is also where the staff member affirms each parent's income is under 30,000 baht a year (the record
has no income field). Names are personal data: stored encrypted, shown masked (counts and years).
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from codi.people import birth
from codi.people.models import Dependants, Employee
from codi.people.services import PeopleError, from_birth

MAX_CHILDREN = 12
MAX_PARENTS = 4


def _year(text: str, *, field: str = "children") -> int:
    """A birth year in A.D. or B.E. (a year after 2400 is B.E.)."""
    digits = text.strip()
    who_th, who_en = ("บุตร", "a child") if field == "children" else ("บิดามารดา", "a parent")
    bad = PeopleError(
        f"ปีเกิดของ{who_th}ไม่ถูกต้อง: {text}", f"Invalid birth year of {who_en}: {text}", field=field
    )
    if not digits.isdigit():
        raise bad
    year = int(digits)
    year = year - 543 if year > 2400 else year
    if not 1900 <= year <= timezone.localdate().year:
        raise bad
    return year


def _parent(line: str) -> dict[str, Any]:
    """``name`` or ``name, birth year`` (the year lets the record be checked against the employee's)."""
    name, sep, year = line.rpartition(",")
    if sep and year.strip().isdigit() and name.strip():
        return {"name": " ".join(name.split())[:200], "birth_year": _year(year, field="parents")}
    return {"name": " ".join(line.split())[:200], "birth_year": None}


def parent_name(entry: str | dict[str, Any]) -> str:
    """A parent as stored: a name (records before birth years were asked) or name and year."""
    if isinstance(entry, dict):
        return f"{entry['name']} ({entry['birth_year']})" if entry.get("birth_year") else str(entry["name"])
    return entry


def clean(values: dict[str, str], employee: Employee) -> tuple[dict[str, Any], str]:
    """The proposal from the form: ``spouse_name``, ``spouse_no_income`` ("1"), ``children`` (one a
    line: "name, birth year"), ``parents`` (one name a line); checked, and its masked summary."""
    spouse_name = " ".join(values.get("spouse_name", "").split())[:200]
    spouse_no_income = values.get("spouse_no_income", "") in {"1", "on", "true"}
    if spouse_no_income and not spouse_name:
        raise PeopleError("กรุณาระบุชื่อคู่สมรส", "Write the spouse's name")
    children: list[dict[str, Any]] = []
    for line in values.get("children", "").splitlines():
        if not line.strip():
            continue
        name, _sep, year = line.rpartition(",")
        if not name.strip():
            raise PeopleError(
                f"เขียนบุตรบรรทัดละคน: ชื่อ, ปีเกิด ({line.strip()})",
                f"One child a line: name, birth year ({line.strip()})",
                field="children",
            )
        children.append({"name": " ".join(name.split())[:200], "birth_year": _year(year)})
    if len(children) > MAX_CHILDREN:
        raise PeopleError(
            f"บุตรได้ไม่เกิน {MAX_CHILDREN} คน", f"At most {MAX_CHILDREN} children", field="children"
        )
    children.sort(key=lambda c: int(c["birth_year"]))  # the allowance follows the order of birth
    parents = [_parent(p) for p in values.get("parents", "").splitlines() if p.strip()]
    if len(parents) > MAX_PARENTS:
        raise PeopleError(
            f"บิดามารดาที่ลดหย่อนได้ไม่เกิน {MAX_PARENTS} คน (ของตนเองและของคู่สมรส)",
            f"At most {MAX_PARENTS} parents (one's own and the spouse's)",
            field="parents",
        )
    employee_year = birth.year_of(employee)
    try:  # a child born before the employee, a parent born after: the record contradicts itself
        birth.check_children(employee_year, [int(c["birth_year"]) for c in children])
        birth.check_parents(employee_year, [int(p["birth_year"]) for p in parents if p["birth_year"]])
    except birth.BirthProblem as exc:
        raise from_birth(exc) from None
    data = {
        "spouse_name": spouse_name,
        "spouse_no_income": spouse_no_income,
        "children": children,
        "parents": parents,
    }
    return data, mask(data)


def mask(data: dict[str, Any]) -> str:
    """Counts and birth years, no names: ``คู่สมรส (ไม่มีเงินได้) · บุตร 2 คน (2015, 2019) · บิดามารดา 2 คน``."""
    parts = []
    if data.get("spouse_name"):
        parts.append("คู่สมรส (ไม่มีเงินได้)" if data.get("spouse_no_income") else "คู่สมรส (มีเงินได้)")
    children = data.get("children", [])
    if children:
        parts.append(f"บุตร {len(children)} คน ({', '.join(str(c['birth_year']) for c in children)})")
    if data.get("parents"):
        parts.append(f"บิดามารดา {len(data['parents'])} คน")
    return " · ".join(parts) or "ไม่มีผู้อยู่ในอุปการะ"


def current(employee: Employee) -> dict[str, Any]:
    record = Dependants.objects.filter(employee=employee).first()
    if record is not None:
        data: dict[str, Any] = json.loads(record.data)
        return data
    return {}


def describe(data: dict[str, Any]) -> str:
    """In full, for HR who may see personal data (the view is audited by the caller)."""
    parts = []
    if data.get("spouse_name"):
        parts.append(f"คู่สมรส: {data['spouse_name']}{' (ไม่มีเงินได้)' if data.get('spouse_no_income') else ''}")
    parts += [f"บุตร: {c['name']} ({c['birth_year']})" for c in data.get("children", [])]
    parts += [f"บิดามารดา: {parent_name(p)}" for p in data.get("parents", [])]
    return "; ".join(parts) or "ไม่มีผู้อยู่ในอุปการะ"


def apply(employee: Employee, data: dict[str, Any]) -> str:
    """HR approved: the record and the tax fields take the proposal; the old masked summary."""
    old = mask(current(employee))
    Dependants.objects.update_or_create(
        employee=employee, defaults={"data": json.dumps(data, ensure_ascii=False), "masked": mask(data)}
    )
    employee.spouse_allowance = bool(data.get("spouse_name") and data.get("spouse_no_income"))
    employee.children_birth_years = ";".join(str(c["birth_year"]) for c in data.get("children", []))
    employee.parents_allowance = len(data.get("parents", []))
    employee.parents_birth_years = ";".join(
        str(p["birth_year"]) for p in data.get("parents", []) if isinstance(p, dict) and p.get("birth_year")
    )
    employee.save(
        update_fields=["spouse_allowance", "children_birth_years", "parents_allowance", "parents_birth_years"]
    )
    return old
