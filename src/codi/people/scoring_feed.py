"""Read-only training figures for the community-strength index (codi.scoring).

System-level, no user scope: per community organization, the community leaders who completed a
leaders' course in a fiscal year (B.E., 1 October to 30 September). An organization none of whose
leaders attended a course is absent: "no record" is missing, not zero trained.
"""

from __future__ import annotations

from datetime import date

from codi.core.thaidate import ce_year
from codi.people.models import Attendance, CourseAudience


def leaders_trained_by_organization(*, fiscal_year: int) -> dict[int, list[int]]:
    """Organization id → the attendance ids of leaders who completed a leaders' course that year.

    A leader counted twice in a year (two courses) is one person: the first attendance stands.
    """
    start, end = date(ce_year(fiscal_year) - 1, 10, 1), date(ce_year(fiscal_year), 9, 30)
    rows = (
        Attendance.objects.filter(
            completed=True,
            organization_id__isnull=False,
            course__audience=CourseAudience.LEADERS,
            course__start_date__range=(start, end),
        )
        .order_by("pk")
        .values_list("pk", "organization_id", "leader_name")
    )
    out: dict[int, list[int]] = {}
    seen: set[tuple[int, str]] = set()
    for pk, org_id, name in rows:
        if org_id is None:
            continue
        person = (org_id, " ".join(name.split()).casefold())
        if person in seen:
            continue
        seen.add(person)
        out.setdefault(org_id, []).append(pk)
    return out
