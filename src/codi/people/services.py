"""Employee records: every write validated, in a transaction, audited (personal fields masked).

Leave lives in ``codi.people.leave`` and payroll in ``codi.people.payroll``; both use the
errors and checks here.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from codi.areas.selectors import region_list
from codi.communities.crypto import blind_index
from codi.communities.validation import FieldProblem, clean_national_id, mask_national_id
from codi.core.audit import audit_read, audit_record
from codi.people import birth, tax
from codi.people.models import Dependants, Employee, EmploymentType, SalaryChange
from codi.people.selectors import can_manage, can_see_personal_data

PERSONAL_FIELDS = ("national_id", "bank_account", "birth_date")


class PeopleError(ValidationError):
    """A refused people operation, with the reason in Thai and in English (and the form field it
    is about, when one is: the page shows it beside that field)."""

    def __init__(self, message_th: str, message_en: str, *, field: str = "") -> None:
        super().__init__(message_th)
        self.message_th = message_th
        self.message_en = message_en
        self.field = field
        self.more: tuple[PeopleError, ...] = ()  # the other fields' refusals, when a form had several

    @classmethod
    def all_of(cls, problems: list[PeopleError]) -> PeopleError:
        """The first refusal, carrying the others (``more``): a form shows each beside its field."""
        first = problems[0]
        first.more = tuple(problems[1:])
        return first

    def by_field(self) -> dict[str, PeopleError]:
        """This refusal and the others carried with it, by field (those without a field left out)."""
        found: dict[str, PeopleError] = {}
        for problem in (self, *self.more):
            if problem.field:
                found.setdefault(problem.field, problem)
        return found


def from_birth(exc: birth.BirthProblem) -> PeopleError:
    return PeopleError(exc.th, exc.en, field=exc.field)


def _amount(value: Any, field: str) -> Decimal:
    """A non-negative amount with at most two decimals; refused beside ``field``."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise PeopleError("จำนวนเงินไม่ถูกต้อง", "Invalid amount", field=field) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise PeopleError(
            "จำนวนเงินต้องไม่ติดลบและมีทศนิยมไม่เกิน 2 ตำแหน่ง",
            "Amounts are not negative and have at most two decimals",
            field=field,
        )
    return amount


def _national_id(value: str) -> str:
    try:
        return clean_national_id(value)
    except FieldProblem as exc:
        raise PeopleError(
            f"เลขประจำตัวประชาชน: {exc.th}", f"National ID: {exc.en}", field="national_id"
        ) from None


def _birth_date(value: date | str | None, start_date: date) -> date | None:
    try:
        return birth.clean(value, start_date=start_date)
    except birth.BirthProblem as exc:
        raise from_birth(exc) from None


def clean_bank_account(bank_code: str, account: str) -> tuple[str, str]:
    """A bank code (3 digits) and an account number (10 to 15 digits, dashes ignored)."""
    digits = "".join(ch for ch in str(account) if ch.isdigit())
    if not (str(bank_code).isdigit() and len(str(bank_code)) == 3):
        raise PeopleError("รหัสธนาคารต้องเป็นตัวเลข 3 หลัก", "The bank code is three digits", field="bank_code")
    if not (10 <= len(digits) <= 15) or any(ch not in "0123456789- " for ch in str(account)):
        raise PeopleError(
            "เลขที่บัญชีธนาคารต้องเป็นตัวเลข 10-15 หลัก", "A bank account has 10 to 15 digits", field="bank_account"
        )
    return str(bank_code), digits


def mask_account(account: str) -> str:
    return "x" * (len(account) - 4) + account[-4:]


def clean_children(text: str, *, birth_year_of_employee: int | None = None) -> str:
    """Children's birth years as ``2015;2019``; a child born before the employee (or less than
    ``birth.MIN_GENERATION_GAP`` years after) is refused."""
    try:
        years = tax.parse_birth_years(text)
    except ValueError:
        raise PeopleError(
            "ปีเกิดของบุตรต้องเป็นปี ค.ศ. คั่นด้วย ; เช่น 2015;2019",
            "Children's birth years are Gregorian years separated by ; (2015;2019)",
            field="children_birth_years",
        ) from None
    try:
        birth.check_children(birth_year_of_employee, years, field="children_birth_years")
    except birth.BirthProblem as exc:
        raise from_birth(exc) from None
    return ";".join(str(y) for y in years)


def clean_region(code: str) -> str:
    """A CODI region code (``areas.Region``) or blank (head office)."""
    code = (code or "").strip()
    if code and not region_list().filter(code=code).exists():
        raise PeopleError(f"ไม่พบภาครหัส {code}", f"No CODI region {code!r}", field="region")
    return code


def employee_create(
    *,
    actor: Any,
    employee_no: str,
    first_name_th: str,
    last_name_th: str,
    position: str,
    org_unit: Any,
    salary: Decimal | str,
    start_date: date | None,
    national_id: str,
    bank_code: str,
    bank_account: str,
    employment_type: str = EmploymentType.EMPLOYEE,
    level: str = "",
    user: Any = None,
    is_unit_head: bool = False,
    spouse_allowance: bool = False,
    children_birth_years: str = "",
    parents_allowance: int = 0,
    pvd_rate: Decimal | str = "0",
    pvd_employer_rate: Decimal | str = "0",
    monthly_allowance: Decimal | str = "0",
    monthly_deduction: Decimal | str = "0",
    region: str = "",
    birth_date: date | str | None = None,
    is_demo: bool = False,
) -> Employee:
    """A new employment record with its first salary row; HR in the unit's scope only. Every
    field's refusal is gathered (``PeopleError.more``) so that a form shows each beside its field."""
    problems: list[PeopleError] = []
    if org_unit is None:
        problems.append(PeopleError("กรุณาเลือกหน่วยงาน", "Choose the unit", field="org_unit"))
    elif actor is not None and not can_manage(actor, Employee(org_unit=org_unit)):
        raise PermissionDenied
    if start_date is None:
        problems.append(PeopleError("กรุณาระบุวันที่เริ่มงาน", "Give the start date", field="start_date"))

    def check(clean: Any, *args: Any, **kwargs: Any) -> Any:
        """``clean(*args)``, or None with its refusal kept, so that every field's is shown at once."""
        try:
            return clean(*args, **kwargs)
        except PeopleError as exc:
            problems.append(exc)
            return None

    for name, value, th, en in (
        ("employee_no", employee_no, "กรุณาระบุเลขที่พนักงาน", "Give the employee number"),
        ("first_name_th", first_name_th, "กรุณาระบุชื่อ", "Give the first name"),
        ("last_name_th", last_name_th, "กรุณาระบุนามสกุล", "Give the last name"),
        ("position", position, "กรุณาระบุตำแหน่ง", "Give the position"),
    ):
        if not value.strip():
            problems.append(PeopleError(th, en, field=name))
    if employment_type not in EmploymentType.values:
        problems.append(
            PeopleError("ประเภทการจ้างไม่ถูกต้อง", "Unknown employment type", field="employment_type")
        )
    nid = check(_national_id, national_id)
    bank = check(clean_bank_account, bank_code, bank_account)
    salary_value = check(_amount, salary, "salary")
    rates = {"pvd_rate": check(_amount, pvd_rate, "pvd_rate"),
             "pvd_employer_rate": check(_amount, pvd_employer_rate, "pvd_employer_rate")}  # fmt: skip
    for name, rate in rates.items():
        if rate is not None and rate > 15:
            problems.append(PeopleError(
                "อัตราเงินสะสมกองทุนสำรองเลี้ยงชีพไม่เกินร้อยละ 15", "Provident-fund rates are at most 15 %", field=name
            ))  # fmt: skip
    if not 0 <= parents_allowance <= 4:
        problems.append(
            PeopleError(
                "ลดหย่อนบิดามารดาได้ 0 ถึง 4 คน", "From 0 to 4 parents are claimed", field="parents_allowance"
            )
        )
    amounts = {"monthly_allowance": check(_amount, monthly_allowance, "monthly_allowance"),
               "monthly_deduction": check(_amount, monthly_deduction, "monthly_deduction")}  # fmt: skip
    born = check(_birth_date, birth_date, start_date) if start_date else None
    children = check(clean_children, children_birth_years, birth_year_of_employee=born.year if born else None)
    region = check(clean_region, region)
    if problems or start_date is None:  # (no start date is one of the problems)
        raise PeopleError.all_of(problems)
    bank_code, account = bank
    with transaction.atomic():
        if Employee.objects.filter(employee_no=employee_no.strip()).exists():
            raise PeopleError(
                f"มีเลขที่พนักงาน {employee_no} แล้ว", f"Employee number {employee_no} exists", field="employee_no"
            )
        if Employee.objects.filter(national_id_hash=blind_index(nid)).exists():
            raise PeopleError(
                "มีพนักงานที่ใช้เลขประจำตัวประชาชนนี้แล้ว",
                "An employee with this national ID exists",
                field="national_id",
            )
        employee = Employee.objects.create(
            user=user, employee_no=employee_no.strip(), first_name_th=first_name_th.strip(),
            last_name_th=last_name_th.strip(), employment_type=employment_type, position=position.strip(),
            level=level.strip(), org_unit=org_unit, is_unit_head=is_unit_head, salary=salary_value,
            start_date=start_date, national_id=nid, national_id_hash=blind_index(nid),
            national_id_masked=mask_national_id(nid), bank_code=bank_code, bank_account=account,
            bank_account_masked=mask_account(account), spouse_allowance=spouse_allowance,
            children_birth_years=children, parents_allowance=parents_allowance,
            monthly_allowance=amounts["monthly_allowance"], monthly_deduction=amounts["monthly_deduction"],
            region=region, is_demo=is_demo, **rates,
            **birth.stored(born),
        )  # fmt: skip
        SalaryChange.objects.create(
            employee=employee, effective_date=start_date, salary=salary_value, reason="บรรจุ"
        )
        audit_record(
            actor=actor, action="people.employee_create", object_type="people.Employee", object_id=employee.pk,
            changes={"employee_no": employee.employee_no, "org_unit": org_unit.pk, "salary": salary_value,
                     "national_id": nid, "bank_account": account, "birth_date": born},
            personal_fields=PERSONAL_FIELDS,
        )  # fmt: skip
    return employee


def employee_salary_change(
    *, actor: Any, employee: Employee, salary: Decimal | str, effective_date: date, reason: str
) -> Employee:
    """A new salary (promotion, yearly step); history is kept, the old row never edited."""
    if not can_manage(actor, employee):
        raise PermissionDenied
    value = _amount(salary, "salary")
    if not reason.strip():
        raise PeopleError("กรุณาระบุเหตุผล", "Give the reason")
    with transaction.atomic():
        locked = Employee.objects.select_for_update().get(pk=employee.pk)
        old = locked.salary
        locked.salary = value
        locked.save(update_fields=["salary"])
        SalaryChange.objects.create(
            employee=locked, effective_date=effective_date, salary=value, reason=reason
        )
        audit_record(
            actor=actor, action="people.salary_change", object_type="people.Employee", object_id=locked.pk,
            changes={"salary": [old, value], "effective_date": effective_date, "reason": reason},
        )  # fmt: skip
    return locked


def employee_reveal(*, actor: Any, employee: Employee) -> dict[str, Any]:
    """The unmasked national ID, bank account and birth date, for whoever may see them; the view
    is audited."""
    if not can_see_personal_data(actor, employee):
        raise PermissionDenied
    with transaction.atomic():
        audit_read(actor=actor, object_type="people.Employee", object_id=employee.pk, fields=PERSONAL_FIELDS)
    return {
        "national_id": employee.national_id,
        "bank_account": employee.bank_account,
        "birth_date": birth.parse(employee.birth_date) if employee.birth_date else None,
    }


def employee_birth_date_set(*, actor: Any, employee: Employee, birth_date: date | str | None) -> Employee:
    """HR records (or corrects) the birth date; the recorded children and parents must agree with
    it. Audited with the value masked in the log."""
    if not can_manage(actor, employee):
        raise PermissionDenied
    try:
        born = birth.clean(birth_date, start_date=employee.start_date)
        if born is None:
            raise birth.BirthProblem("birth_date", "กรุณาระบุวันเกิด", "Give the birth date")
    except birth.BirthProblem as exc:
        raise from_birth(exc) from None
    with transaction.atomic():
        locked = Employee.objects.select_for_update().get(pk=employee.pk)
        try:
            birth.check_children(
                born.year, tax.parse_birth_years(locked.children_birth_years), field="birth_date"
            )
            birth.check_parents(born.year, _parent_years(locked), field="birth_date")
        except birth.BirthProblem as exc:
            raise from_birth(exc) from None
        old = locked.birth_date_masked
        for name, value in birth.stored(born).items():
            setattr(locked, name, value)
        locked.save(update_fields=["birth_date", "birth_date_masked"])
        audit_record(
            actor=actor, action="people.birth_date_set", object_type="people.Employee", object_id=locked.pk,
            changes={"birth_date": [old, born]}, personal_fields=("birth_date",),
        )  # fmt: skip
    return locked


def _parent_years(employee: Employee) -> list[int]:
    """The birth years of the parents in the approved dependants record (those given one)."""
    record = Dependants.objects.filter(employee=employee).first()
    if record is None:
        return []
    data = json.loads(record.data)
    return [
        int(p["birth_year"]) for p in data.get("parents", []) if isinstance(p, dict) and p.get("birth_year")
    ]
