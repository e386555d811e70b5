"""People facts for the analytics store (read-only; only the people app's tables).

``payroll_cost``: the employer's cost per payslip (gross, employer social security and provident
fund, in baht) by org unit and CODI region, with the run's status (only approved runs are paid
cost). ``training``: each completed course attendance (staff or community leader) by competency
and region. Neither holds a name or an employee number. Both change (a run is approved, a course
gets attendees), so they are rebuilt when their fingerprint changes. See ``codi.core.marts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from codi.core.marts import Column, MartSource, fingerprint
from codi.people.models import Attendance, Payslip

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
)


def training(after: Any) -> Iterator[tuple[Any, ...]]:
    fields = [f[3] for f in _TRAIN]
    for row in Attendance.objects.order_by("id").values_list(*fields).iterator(chunk_size=5000):
        yield (*row[:6], row[6] or "", row[7] or "", row[8] is not None, *row[9:])


def training_fingerprint() -> str:
    return fingerprint(Attendance.objects, Attendance.objects.filter(completed=True).count())


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
]
