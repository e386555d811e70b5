"""The plan's training KPIs read from the analytics store, as the people app counts them
(``codi.people.kpi``) for the same fiscal year (B.E.):

* staff applying digital skills at work: staff employed in the year (``staff``) who completed a
  staff course in the year that they apply at work (``training``), with the supervisor's confirmed
  levels put in their place where a unit head assessed them (``supervisor_levels``), per CODI
  region of the staff member (head office: ``""``). A staff member has a region and no province or
  subdistrict, so this KPI goes no further down than the region;
* community leaders trained and organizations using digital tools: completed leaders' courses in the
  year, each leader (a keyed pseudonym of the name) or organization counted once per CODI region as
  recorded on the attendance, placed in the subdistrict of their community organization
  (``community_organizations``) when that lies in the same region (a leader of several
  organizations: the lowest subdistrict code), else kept at the region — so the subdistricts of a
  region add up to the people app's count for that region.

Rows are filtered to the viewer's provinces before they are grouped: a row placed in a subdistrict
by its province, one kept at a region only for a viewer whose provinces cover the whole region.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from codi.insights.eis.mart_sources import _run
from codi.insights.eis.registry import Fact, NoDataError, Record
from codi.insights.eis.scope import province_regions
from codi.people.kpi import has_target

# The people app's values of Course.audience (codi.people.models.CourseAudience).
STAFF, LEADERS = "staff", "leaders"


def _bounds(fiscal_year: int) -> tuple[date, date]:
    ce = fiscal_year - 543
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def _params(provinces: frozenset[str] | None, fiscal_year: int, **extra: Any) -> dict[str, Any]:
    """The year's bounds and the scope: provinces, and the regions wholly inside them."""
    start, end = _bounds(fiscal_year)
    in_region: dict[str, set[str]] = defaultdict(set)
    for province, region in province_regions().items():
        in_region[region].add(province)
    full = sorted(r for r, ps in in_region.items() if r and provinces is not None and ps <= provinces)
    return {
        "year": fiscal_year, "start": start, "end": end, "all": provinces is None,
        "provinces": sorted(provinces or ()) or [""], "regions": full or [""], **extra,
    }  # fmt: skip


def _targeted(fiscal_year: int, indicator: str) -> None:
    """The same "no data" as the operational source when the year has no target for the indicator."""
    if not has_target(fiscal_year, indicator):
        raise NoDataError(_("The training records have no target for this fiscal year."))


def staff_digital(provinces: frozenset[str] | None, fiscal_year: int) -> dict[str, Fact]:
    _targeted(fiscal_year, "digital_at_work")
    rows = _run(
        ("staff", "training", "supervisor_levels"),
        "WITH base AS (SELECT id, region FROM staff"
        "  WHERE start_date <= $end AND (end_date IS NULL OR end_date >= $start)),"
        " attended AS (SELECT DISTINCT employee FROM training WHERE completed AND applies_at_work"
        "  AND audience = $staff AND employee IS NOT NULL AND course_date BETWEEN $start AND $end),"
        " assessed AS (SELECT employee, bool_or(at_work) AS high FROM supervisor_levels"
        "  WHERE fiscal_year = $year GROUP BY employee),"
        " counted AS (SELECT employee FROM attended WHERE employee NOT IN (SELECT employee FROM assessed)"
        "  UNION SELECT employee FROM assessed WHERE high)"
        " SELECT b.region, count(c.employee), count(*) FROM base b LEFT JOIN counted c ON c.employee = b.id"
        " WHERE $all OR b.region IN (SELECT unnest($regions)) GROUP BY b.region",
        _params(provinces, fiscal_year, staff=STAFF),
    )
    facts = {region or "": Fact(Decimal(n), Decimal(base)) for region, n, base in rows}
    if not facts:
        raise NoDataError(_("No staff employed in this fiscal year."))
    return facts


_PLACED = (
    "WITH done AS (SELECT t.region, t.participant, t.organization, o.subdistrict AS sub,"
    "  o.region AS org_region FROM training t LEFT JOIN community_organizations o ON o.id = t.organization"
    "  WHERE t.completed AND t.audience = $leaders AND t.course_date BETWEEN $start AND $end)"
    " SELECT region, WHO, min(sub) FILTER (WHERE org_region = region) AS sub FROM done"
    " WHERE WHO IS NOT NULL GROUP BY region, WHO"
)


def _placed(who: str) -> str:
    """Each leader (``participant``) or organization of the year once per recorded region, with its
    subdistrict."""
    assert who in ("participant", "organization")
    return _PLACED.replace("WHO", who)


def _counted(provinces: frozenset[str] | None, fiscal_year: int, who: str) -> dict[str, Fact]:
    _targeted(fiscal_year, "leaders_trained" if who == "participant" else "orgs_digital")
    rows = _run(
        ("training", "community_organizations"),
        f"SELECT coalesce(sub, region), count(*) FROM ({_placed(who)}) WHERE $all"  # noqa: S608 - our own SQL text
        " OR (sub IS NOT NULL AND substr(sub, 1, 2) IN (SELECT unnest($provinces)))"
        " OR (sub IS NULL AND region IN (SELECT unnest($regions))) GROUP BY 1",
        _params(provinces, fiscal_year, leaders=LEADERS),
    )
    facts = {key or "": Fact(Decimal(n)) for key, n in rows}
    if not facts:
        raise NoDataError(_("No training recorded in this fiscal year."))
    return facts


def leaders_trained(provinces: frozenset[str] | None, fiscal_year: int) -> dict[str, Fact]:
    return _counted(provinces, fiscal_year, "participant")


def organizations_digital(provinces: frozenset[str] | None, fiscal_year: int) -> dict[str, Fact]:
    return _counted(provinces, fiscal_year, "organization")


def organization_records(
    provinces: frozenset[str] | None, fiscal_year: int, subdistrict: str
) -> list[Record]:
    """The subdistrict's organizations counted in the year, each linking to its registry page."""
    rows = _run(
        ("training", "community_organizations"),
        f"SELECT p.organization, o.name_th FROM ({_placed('organization')}) p"  # noqa: S608 - our own SQL text
        " JOIN community_organizations o ON o.id = p.organization WHERE p.sub = $sub"
        " AND ($all OR substr(p.sub, 1, 2) IN (SELECT unnest($provinces))) ORDER BY o.name_th, p.organization",
        _params(provinces, fiscal_year, sub=subdistrict, leaders=LEADERS),
    )
    return [
        Record(name, reverse("communities:organization_detail", args=[pk]), Decimal(1)) for pk, name in rows
    ]
