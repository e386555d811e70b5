"""Service levels in working days of CODI's calendar (``codi.calendar``): weekends and holidays do not count.

Deadlines fall at the same local (Asia/Bangkok) time of day as the report,
``days`` working days later. A report that arrives on a weekend or holiday
starts counting from the next working day.
"""

from __future__ import annotations

from codi.calendar.workdays import add_working_days, is_working_day, working_days_between

# (acknowledge, resolve) in working days; a SlaPolicy row overrides a category.
DEFAULT_SLA: dict[str, tuple[int, int]] = {
    "disaster": (1, 5),
    "transparency_corruption": (3, 30),
    "project_finance": (3, 10),
    "housing_land": (3, 20),
    "welfare": (3, 10),
    "livelihood_economy": (3, 20),
    "environment": (3, 20),
    "infrastructure": (3, 20),
    "other": (3, 15),
}


__all__ = ["DEFAULT_SLA", "add_working_days", "is_working_day", "working_days_between"]
