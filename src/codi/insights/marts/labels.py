"""Thai-first names of the marts and of the freshness states (the msgids are marked here so the
catalogue picks them up; the apps' ``marts.py`` keep plain English titles)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TITLES: dict[str, Promise] = {
    "org_units": _("Org units"),
    "area_hierarchy": _("Area hierarchy (subdistrict, district, province, region)"),
    "tickets": _("Feedback tickets"),
    "disbursements": _("Project disbursements"),
    "project_budget": _("Program budget per region"),
    "projects": _("Community projects"),
    "programs": _("Programs"),
    "ledger_lines": _("General ledger lines"),
    "budget_lines": _("Annual budget lines"),
    "payroll_cost": _("Payroll cost"),
    "training": _("Training attendance"),
    "loans": _("Loans"),
    "instalments": _("Loan instalments (current schedules)"),
    "satisfaction": _("Satisfaction survey answers"),
    "staff": _("Staff employment (region and dates)"),
    "supervisor_levels": _("Digital skill levels confirmed by supervisors"),
    "community_organizations": _("Community organizations (registry id, area)"),
}
KINDS: dict[str, Promise] = {"fact": _("Facts"), "dimension": _("Dimension")}
MODES: dict[str, Promise] = {
    "full": _("Rebuilt in full"),
    "incremental": _("New rows appended"),
    "unchanged": _("No change since the last refresh"),
}


def title(name: str, fallback: str) -> str:
    label = TITLES.get(name)
    return str(label) if label is not None else fallback
