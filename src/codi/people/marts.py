"""People facts for the analytics store (read-only; only the people app's tables).

``payroll_cost``: the employer's cost per payslip (gross, employer social security and provident
fund, in baht) by org unit and CODI region, with the run's status (only approved runs are paid
cost). ``training``: each course attendance (staff or community leader) by competency and region,
with the participant as a keyed pseudonym (the same person gives the same value; the name cannot be
read back), the staff member's internal id and the leader's community organization (its area is in
the communities app's ``community_organizations`` dimension). ``staff``: each staff member's CODI
region and employment dates (the base of the staff competency share); ``supervisor_levels``: the
levels unit heads confirmed, per fiscal year (``codi.people.supervisor``). None holds a name or an
employee number. All change, so they are rebuilt when their fingerprint changes (``staff``, small,
at every refresh). See ``codi.core.marts``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Sum

from codi.core.marts import Column, MartSource, fingerprint
from codi.people.models import Attendance, Employee, Payslip, SkillLevel, SupervisorAssessment

_CENT = Decimal("0.01")
_PAY = (
    ("id", "int", "people.Payslip.id", "id"),
    ("pay_date", "date", "people.PayrollRun.pay_date via Payslip.run", "run__pay_date"),
    ("period", "str", "people.PayrollRun.year, month via Payslip.run", ""),
    ("run_status", "str", "people.PayrollRun.status via Payslip.run", "run__status"),
    ("org_unit", "str", "identity.OrgUnit.code via Employee.org_unit", "employee__org_unit__code"),
    ("region", "str", "people.Employee.region via Payslip.employee", "employee__region"),
    ("gross", "decimal", "people.Payslip.gross (satang, shown in baht)", "gross"),
    ("employer_sso", "decimal", "people.Payslip.sso_employer (satang, shown in baht)", "sso_employer"),
    ("employer_pvd", "decimal", "people.Payslip.pvd_employer (satang, shown in baht)", "pvd_employer"),
    ("employer_cost", "decimal", "people.Payslip.gross + sso_employer + pvd_employer", ""),
)


def payroll_cost(after: Any) -> Iterator[tuple[Any, ...]]:
    fields = [f[3] for f in _PAY if f[3]] + ["run__year", "run__month"]
    for row in Payslip.objects.order_by("id").values_list(*fields).iterator(chunk_size=5000):
        pk, pay_date, status, unit, region, gross, sso, pvd, year, month = row
        baht = [Decimal(v) * _CENT for v in (gross, sso, pvd)]
        yield (pk, pay_date, f"{year}-{month:02d}", status, unit, region or "", *baht, sum(baht))


def payroll_fingerprint() -> str:
    states = sorted(Payslip.objects.values_list("run__status").annotate(n=Count("id")))
    return fingerprint(Payslip.objects, states, g=Sum("gross"))


_TRAIN = (
    ("id", "int", "people.Attendance.id", "id"),
    ("course_date", "date", "people.Course.start_date via Attendance.course", "course__start_date"),
    ("course", "int", "people.Attendance.course", "course_id"),
    ("competency", "str", "people.Course.competency via Attendance.course", "course__competency"),
    ("audience", "str", "people.Course.audience via Attendance.course", "course__audience"),
    ("hours", "int", "people.Course.hours via Attendance.course", "course__hours"),
    ("org_unit", "str", "identity.OrgUnit.code via Course.org_unit", "course__org_unit__code"),
    ("region", "str", "people.Attendance.region", "region"),
    ("is_staff", "bool", "people.Attendance.employee is set", "employee_id"),
    ("applies_at_work", "bool", "people.Attendance.applies_at_work", "applies_at_work"),
    ("completed", "bool", "people.Attendance.completed", "completed"),
    ("employee", "int", "people.Attendance.employee (internal id, joins staff)", "employee_id"),
    ("participant", "str", "people.Attendance.leader_name or employee, as a keyed pseudonym", "leader_name"),
    ("organization", "int", "people.Attendance.organization_id (communities registry id)", "organization_id"),
)


def _pseudonym(kind: str, value: object) -> str:
    """The same participant always gives the same value; the name cannot be read back from it."""
    key = hashlib.sha256(f"codi.people.marts:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:20]


def training(after: Any) -> Iterator[tuple[Any, ...]]:
    fields = [f[3] for f in _TRAIN]
    for row in Attendance.objects.order_by("id").values_list(*fields).iterator(chunk_size=5000):
        employee, leader, organization = row[8], row[12], row[13]
        who = _pseudonym("l", leader) if leader else _pseudonym("e", employee)
        yield (
            *row[:6],
            row[6] or "",
            row[7] or "",
            employee is not None,
            *row[9:11],
            employee,
            who,
            organization,
        )


def training_fingerprint() -> str:
    done = Attendance.objects.filter(completed=True)
    return fingerprint(Attendance.objects, done.count(), done.filter(applies_at_work=True).count())


_STAFF = (
    ("id", "int", "people.Employee.id (internal id)", "id"),
    ("region", "str", "people.Employee.region", "region"),
    ("org_unit", "str", "identity.OrgUnit.code via Employee.org_unit", "org_unit__code"),
    ("start_date", "date", "people.Employee.start_date", "start_date"),
    ("end_date", "date", "people.Employee.end_date", "end_date"),
)


def staff(after: Any) -> Iterator[tuple[Any, ...]]:
    fields = [f[3] for f in _STAFF]
    for pk, region, unit, start, end in Employee.objects.order_by("id").values_list(*fields).iterator(2000):
        yield pk, region or "", unit or "", start, end


_LEVELS = (
    ("id", "int", "people.SupervisorAssessment.id", "id"),
    ("employee", "int", "people.SupervisorAssessment.employee (internal id, joins staff)", "employee_id"),
    ("fiscal_year", "int", "people.SupervisorAssessment.fiscal_year", "fiscal_year"),
    ("competency", "str", "people.SupervisorAssessment.competency", "competency"),
    ("level", "int", "people.SupervisorAssessment.level", "level"),
    ("at_work", "bool", "people.SupervisorAssessment.level at 'uses it on my own at work' or above", ""),
)


def supervisor_levels(after: Any) -> Iterator[tuple[Any, ...]]:
    fields = [f[3] for f in _LEVELS if f[3]]
    rows = SupervisorAssessment.objects.order_by("id").values_list(*fields).iterator(chunk_size=5000)
    for row in rows:
        yield (*row, row[4] >= SkillLevel.AT_WORK)


def supervisor_fingerprint() -> str:
    return fingerprint(SupervisorAssessment.objects, l=Sum("level"), t=Max("updated_at"))


MARTS = [
    MartSource(
        name="payroll_cost",
        title_en="Payroll cost",
        app_label="people",
        selector="codi.people.marts.payroll_cost",
        columns=tuple(Column(n, k, s) for n, k, s, _f in _PAY),
        rows=payroll_cost,
        date_column="pay_date",
        measures=("gross", "employer_sso", "employer_pvd", "employer_cost"),
        fingerprint=payroll_fingerprint,
    ),
    MartSource(
        name="training",
        title_en="Training attendance",
        app_label="people",
        selector="codi.people.marts.training",
        columns=tuple(Column(n, k, s) for n, k, s, _f in _TRAIN),
        rows=training,
        date_column="course_date",
        measures=("hours",),
        fingerprint=training_fingerprint,
    ),
    MartSource(
        name="staff",
        title_en="Staff employment (region and dates)",
        app_label="people",
        selector="codi.people.marts.staff",
        columns=tuple(Column(n, k, s) for n, k, s, _f in _STAFF),
        rows=staff,
    ),
    MartSource(
        name="supervisor_levels",
        title_en="Digital skill levels confirmed by supervisors",
        app_label="people",
        selector="codi.people.marts.supervisor_levels",
        columns=tuple(Column(n, k, s) for n, k, s, _f in _LEVELS),
        rows=supervisor_levels,
        measures=("level",),
        fingerprint=supervisor_fingerprint,
    ),
]
