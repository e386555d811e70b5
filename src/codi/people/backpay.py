"""Back pay: a salary or step change dated in a month already paid is settled in the next run.

For each employee whose salary history changed after a paid month's run was made, and for each
such month from the change's month to the month before the run, the month's salary is worked out
again from the history (a change inside a month counts by calendar days: the month's salary ×
days ÷ days in the month, summed over the parts and rounded half-up to the satang once) and
compared with what was paid for that month: the month's own payslip in an approved run plus the
back pay already paid for it in approved runs. What is left is one ``BackPayLine`` of the new
payslip, so running again, or in a later month, pays nothing twice; a run that is reversed no
longer counts as paid.

* **Social security** (Social Security Act s.33, 46) is owed on the wage *of the month it is
  for*, at the rate and ceiling valid on that month's pay date: the line carries
  ``contribution(own wage + all of the month's salary) − contribution(own wage + the part paid
  before)`` — zero above the ceiling — the employer paying the same.
* **Provident fund**: each side's rate × the month's salary, the difference with what the month
  paid (half-up to the satang, as in the run).
* **Tax** (Revenue Code s.50(1)): employment income is taxed in the year it is paid, so back pay
  is a one-off payment of the paying month: the withholding is the year's tax on the regular pay
  projected over the year plus the back pay (with its social security and provident fund), less
  the year's tax without it — the Revenue Department's method for irregular payments.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from codi.people import tax
from codi.people.models import BackPayLine, PayrollRun, PayrollStatus, Payslip, SalaryChange

LOOKBACK_MONTHS = 24  # a change dated further back is not settled automatically


@dataclass(frozen=True)
class MonthLine:
    year: int
    month: int
    salary: int
    sso_employee: int
    sso_employer: int
    pvd_employee: int
    pvd_employer: int


@dataclass
class BackPay:
    """An employee's back pay in one run: its lines and their totals (satang)."""

    lines: list[MonthLine] = field(default_factory=list)

    @property
    def salary(self) -> int:
        return sum(line.salary for line in self.lines)

    @property
    def sso_employee(self) -> int:
        return sum(line.sso_employee for line in self.lines)

    @property
    def sso_employer(self) -> int:
        return sum(line.sso_employer for line in self.lines)

    @property
    def pvd_employee(self) -> int:
        return sum(line.pvd_employee for line in self.lines)

    @property
    def pvd_employer(self) -> int:
        return sum(line.pvd_employer for line in self.lines)


def _satang(amount: Any) -> int:
    return int((amount * 100).to_integral_value())


def month_salary(history: list[tuple[date, int]], year: int, month: int) -> int:
    """The salary earned in a month from ``history`` [(effective date, monthly salary in satang)]
    sorted by date: by calendar days when it changes inside the month, half-up once. Days before
    the first entry take the first salary (the run paid the month whole)."""
    days = calendar.monthrange(year, month)[1]
    first, end = date(year, month, 1), date(year, month, days) + timedelta(days=1)
    in_force = history[0][1]
    cuts: list[tuple[date, int]] = []
    for day, salary in history:
        if day <= first:
            in_force = salary
        elif day < end:
            cuts.append((day, salary))
    numerator, since, current = 0, first, in_force
    for day, salary in cuts:
        numerator += current * (day - since).days
        since, current = day, salary
    numerator += current * (end - since).days
    return (2 * numerator + days) // (2 * days)


def _pvd(salary: int, rate_hundredths: int) -> int:
    return (salary * rate_hundredths + 5_000) // 10_000


def _months(since: date, until: tuple[int, int]) -> list[tuple[int, int]]:
    out, y, m = [], since.year, since.month
    while (y, m) < until:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def pending(
    run: PayrollRun, sso_table: list[tax.SsoRate], employee_ids: set[int] | None = None
) -> dict[int, BackPay]:
    """Back pay owed in ``run`` by employee id; a fixed number of queries whatever the head count.

    Only employees with a change recorded after a run it reaches back to are looked at."""
    first = date(run.year, run.month, 1)
    paid_runs = list(
        PayrollRun.objects.filter(status=PayrollStatus.APPROVED)
        .filter(Q(year__lt=run.year) | Q(year=run.year, month__lt=run.month))
        .values_list("pk", "year", "month", "pay_date", "created_at")
    )
    if not paid_runs:
        return {}
    oldest = min(created for *_rest, created in paid_runs)
    earliest = date(first.year - LOOKBACK_MONTHS // 12, first.month, 1)
    changes = SalaryChange.objects.filter(
        effective_date__lt=first, effective_date__gte=earliest, created_at__gt=oldest
    )
    if employee_ids is not None:
        changes = changes.filter(employee_id__in=employee_ids)
    run_created = {(y, m): created for _pk, y, m, _pay, created in paid_runs}
    since: dict[int, date] = {}
    for employee_id, effective, created in changes.values_list("employee_id", "effective_date", "created_at"):
        reached = [
            made for (y, m), made in run_created.items() if (y, m) >= (effective.year, effective.month)
        ]
        if any(made < created for made in reached):  # recorded after a run it reaches back to
            since[employee_id] = min(since.get(employee_id, effective), effective.replace(day=1))
    if not since:
        return {}
    history: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for employee_id, effective, salary in (
        SalaryChange.objects.filter(employee_id__in=since)
        .order_by("employee_id", "effective_date", "pk")
        .values_list("employee_id", "effective_date", "salary")
    ):
        history[employee_id].append((effective, _satang(salary)))
    rates = {(y, m): tax.sso_rate_on(pay, sso_table) for _pk, y, m, pay, _created in paid_runs}
    approved = [pk for pk, *_rest in paid_runs]
    slips = {
        (s.employee_id, s.run.year, s.run.month): s
        for s in Payslip.objects.filter(run_id__in=approved, employee_id__in=since)
        .select_related("run", "employee")
        .only("employee_id", "salary", "allowances", "overtime", "run__year", "run__month", "run__pay_date",
              "employee__pvd_rate", "employee__pvd_employer_rate")
    }  # fmt: skip
    before: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for line in BackPayLine.objects.filter(payslip__run_id__in=approved, employee_id__in=since):
        sums = before[(line.employee_id, line.for_year, line.for_month)]
        for i, amount in enumerate(
            (line.salary, line.sso_employee, line.sso_employer, line.pvd_employee, line.pvd_employer)
        ):
            sums[i] += amount
    out: dict[int, BackPay] = {}
    for employee_id, start in since.items():
        back = BackPay()
        for y, m in _months(start, (run.year, run.month)):
            slip = slips.get((employee_id, y, m))
            if slip is None:
                continue  # not paid that month (not employed, or no run): nothing to settle
            owed = _month_line(slip, history[employee_id], rates[(y, m)], before[(employee_id, y, m)])
            if owed is not None:
                back.lines.append(owed)
        if back.lines:
            out[employee_id] = back
    return out


def _month_line(
    slip: Payslip, history: list[tuple[date, int]], rate: tax.SsoRate, paid: list[int]
) -> MonthLine | None:
    y, m = slip.run.year, slip.run.month
    due = month_salary(history, y, m)
    paid_salary = slip.salary + paid[0]
    diff = due - paid_salary
    own_wage = slip.salary + slip.allowances + slip.overtime
    sso_due = tax.sso_contribution(own_wage + due - slip.salary, rate)
    sso_paid = tax.sso_contribution(own_wage + paid[0], rate)
    sso = sso_due - sso_paid
    employee = slip.employee
    pvd = _pvd(due, _satang(employee.pvd_rate)) - _pvd(slip.salary, _satang(employee.pvd_rate)) - paid[3]
    pvd_er = (
        _pvd(due, _satang(employee.pvd_employer_rate))
        - _pvd(slip.salary, _satang(employee.pvd_employer_rate))
        - paid[4]
    )
    if not (diff or sso or pvd or pvd_er):
        return None
    return MonthLine(y, m, diff, sso, sso, pvd, pvd_er)


def backpay_tax(*, regular: tax.TaxInput, back: BackPay) -> int:
    """Withholding on the back pay (one-off, s.50(1)): the year's tax with it less without it."""
    if back.salary <= 0:
        return 0
    more = tax.TaxInput(
        year=regular.year, salary=regular.salary + back.salary, bonus=regular.bonus,
        sso=regular.sso + back.sso_employee, pvd=regular.pvd + back.pvd_employee, spouse=regular.spouse,
        children_birth_years=regular.children_birth_years, parents=regular.parents,
        parents_birth_years=regular.parents_birth_years,
    )  # fmt: skip
    return tax.annual_tax(more).annual_tax - tax.annual_tax(regular).annual_tax
