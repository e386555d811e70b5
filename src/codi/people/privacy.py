"""People's data-subject collector: the employment record whose national ID is the subject's.

Employment, leave and payroll records are kept (``RULE_OFFICIAL_RECORD``): the Revenue Code
(withholding records, s.50 bis certificates) and the Labour Protection Act (s.114-115, wage
records) require them; access requests return them in full.
"""

from __future__ import annotations

from typing import Any

from codi.communities.crypto import blind_index
from codi.core.personaldata import KEEP, RULE_OFFICIAL_RECORD, Outcome, Subject, row
from codi.people.models import Employee, LeaveRequest, OvertimeEntry, Payslip, ProfileChange, TimeClockEntry

ORDER = 70
EMPLOYEE_FIELDS = (
    "employee_no", "first_name_th", "last_name_th", "employment_type", "position", "level",
    "org_unit_id", "salary", "start_date", "end_date", "national_id", "bank_code", "bank_account",
    "spouse_allowance", "children_birth_years", "parents_allowance", "parents_birth_years", "address",
    "birth_date",
)  # fmt: skip


def _employees(subject: Subject) -> list[Employee]:
    if not subject.national_id:
        return []
    return list(Employee.objects.filter(national_id_hash=blind_index(subject.national_id)))


class PeopleCollector:
    name = "people"

    def retained_by(self, subject: Subject) -> str:
        return RULE_OFFICIAL_RECORD if _employees(subject) else ""

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        employees = _employees(subject)
        if not employees:
            return {}
        leave = LeaveRequest.objects.filter(employee__in=employees).order_by("pk")
        slips = Payslip.objects.filter(employee__in=employees).select_related("run").order_by("pk")
        overtime = OvertimeEntry.objects.filter(employee__in=employees).order_by("pk")
        return {
            "people.Employee": [row(e, EMPLOYEE_FIELDS) for e in employees],
            "people.LeaveRequest": [
                row(r, ("id", "leave_type_id", "start_date", "end_date", "days", "status")) for r in leave
            ],
            "people.Payslip": [
                {
                    "period": s.run.period,
                    **row(s, ("gross", "overtime", "sso_employee", "pvd_employee", "tax", "net")),
                }
                for s in slips
            ],
            "people.OvertimeEntry": [
                row(o, ("id", "work_date", "kind", "hours", "reason")) for o in overtime
            ],
            "people.TimeClockEntry": [
                row(t, ("date", "time_in", "time_out"))
                for t in TimeClockEntry.objects.filter(employee__in=employees).order_by("date")
            ],
            "people.ProfileChange": [
                row(c, ("id", "kind", "proposed", "status", "decision_reason", "created_at"))
                for c in ProfileChange.objects.filter(employee__in=employees).order_by("pk")
            ],
        }

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        return [
            Outcome(
                "people.Employee",
                str(e.pk),
                KEEP,
                EMPLOYEE_FIELDS,
                rule=RULE_OFFICIAL_RECORD,
                reason="employment, tax-withholding and wage records kept under the Revenue Code and the "
                "Labour Protection Act",
            )
            for e in _employees(subject)
        ]
