"""Layers of the community-finance and training modules: Baan Mankong sites, welfare funds and
training reach, each read through the owning app's selectors with the acting user (so scoped).

* **Baan Mankong sites** and **welfare funds** (``lending.gis_feed``, ``Perm.LENDING_VIEW`` over the
  subdistrict): a point at the organization's coordinates, or at the subdistrict's inner point
  when the organization has none (``located`` says which).
* **Training reach** (``people.selectors``, ``Perm.PEOPLE_VIEW`` over HR units): staff who completed
  a course, per province. A staff member is placed in the provinces of their role grants (a
  regional grant: every province of the region); staff with a country-wide or no area grant (head
  office) are not placed. Aggregates only: no names.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from codi.areas.selectors import region_province_codes
from codi.gis import selectors
from codi.gis.geometry import GeometryError
from codi.gis.layers import Layer, LayerPage, LayerQuery, area_page, area_points, intersects, register
from codi.identity.roles import Perm, ScopeLevel
from codi.identity.selectors import user_grants
from codi.lending import gis_feed as lending_feed
from codi.people import selectors as people_selectors

AREA_PARAMS = {"area": "รหัสพื้นที่ (ขึ้นต้นด้วย) / area code prefix"}


def _check_area(filters: dict[str, str]) -> str:
    area = filters.get("area", "")
    if area and not (area.isdigit() and len(area) <= 6):
        raise GeometryError("รหัสพื้นที่ต้องเป็นตัวเลขไม่เกิน 6 หลัก", "area must be up to 6 digits")
    return area


def _point_page(rows: list[dict[str, Any]], query: LayerQuery, props: Any) -> LayerPage:
    """Point features for rows with ``lon``/``lat`` (or the subdistrict's inner point), filtered by
    ``id``, ``area`` and ``bbox``, then paged."""
    area = _check_area(query.filters)
    wanted_id = query.filters.get("id", "")
    inner = area_points("subdistrict")
    features = []
    for row in rows:
        if wanted_id and str(row["id"]) != wanted_id:
            continue
        if area and not row["subdistrict_id"].startswith(area):
            continue
        located = row["lon"] is not None and row["lat"] is not None
        lon, lat = (row["lon"], row["lat"]) if located else inner.get(row["subdistrict_id"], (None, None))
        if lon is None or lat is None:
            continue
        if query.bbox is not None and not intersects((lon, lat, lon, lat), query.bbox):
            continue
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": props(row) | {"subdistrict": row["subdistrict_id"], "located": located},
            }
        )
    return LayerPage(features=features[query.offset : query.offset + query.limit], matched=len(features))


def _housing_sites(user: Any, query: LayerQuery) -> LayerPage:
    def props(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "code": row["code"], "name": row["name_th"], "tenure": row["tenure"],
            "households_planned": row["households_planned"], "households": row["n"],
            "organization_id": row["organization_id"],
        }  # fmt: skip

    return _point_page(lending_feed.housing_sites(actor=user), query, props)


def _welfare_funds(user: Any, query: LayerQuery) -> LayerPage:
    def props(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": row["name_th"], "members": row["n"], "founded_on": row["founded_on"].isoformat(),
            "monthly_contribution": float(row["monthly_contribution"]), "organization_id": row["organization_id"],
        }  # fmt: skip

    return _point_page(lending_feed.welfare_fund_sites(actor=user), query, props)


def _provinces_of(user: Any) -> set[str]:
    """The provinces a staff member's role grants cover (none for country-wide grants)."""
    codes: set[str] = set()
    for grant in user_grants(user):
        if grant.scope_level == ScopeLevel.REGION:
            codes.update(region_province_codes(region_code=grant.scope_code))
        elif grant.scope_level != ScopeLevel.COUNTRY and grant.scope_code:
            codes.add(grant.scope_code[:2])
    return codes


def training_by_province(*, actor: Any, fiscal_year: int | None) -> dict[str, dict[str, int]]:
    reach = people_selectors.training_reach_by_user(actor=actor, fiscal_year=fiscal_year)
    values: dict[str, dict[str, int]] = {}
    for user in get_user_model().objects.filter(pk__in=list(reach)):
        figures = reach[user.pk]
        for code in _provinces_of(user):
            entry = values.setdefault(code, {"staff_trained": 0, "completions": 0, "applies_at_work": 0})
            entry["staff_trained"] += 1
            entry["completions"] += figures["completions"]
            entry["applies_at_work"] += figures["applies"]
    return values


def _training_reach(user: Any, query: LayerQuery) -> LayerPage:
    _check_area(query.filters)
    year = query.filters.get("fiscal_year", "")
    if year and not (year.isdigit() and 2500 <= int(year) <= 2700):
        raise GeometryError("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2569", "fiscal_year must be a B.E. year, e.g. 2569")
    values = training_by_province(actor=user, fiscal_year=int(year) if year else None)
    return area_page(level="province", values=values, query=query, names=selectors.area_names("province"))


def register_site_layers() -> None:
    register(Layer(
        key="housing-sites", title_th="พื้นที่โครงการบ้านมั่นคง", title_en="Baan Mankong housing sites",
        description_th="โครงการบ้านมั่นคง ณ ที่ตั้งองค์กรผู้ดำเนินการ พร้อมจำนวนครัวเรือน",
        description_en="Baan Mankong housing projects at their organization's location, with households",
        fetch=_housing_sites, perm=Perm.LENDING_VIEW, geometry="point", params=AREA_PARAMS,
        group="lending", order=51, color="#3182bd",
    ))  # fmt: skip
    register(Layer(
        key="welfare-funds", title_th="กองทุนสวัสดิการชุมชน", title_en="Community welfare funds",
        description_th="กองทุนสวัสดิการชุมชน ณ ที่ตั้งองค์กร พร้อมจำนวนสมาชิก",
        description_en="Community welfare funds at their organization's location, with members",
        fetch=_welfare_funds, perm=Perm.LENDING_VIEW, geometry="point", params=AREA_PARAMS,
        group="lending", order=52, color="#8c6bb1",
    ))  # fmt: skip
    register(Layer(
        key="training-reach", title_th="การอบรมบุคลากรรายจังหวัด", title_en="Training reach by province",
        description_th="บุคลากรที่ผ่านการอบรมตามจังหวัดที่รับผิดชอบ (ไม่รวมส่วนกลาง)",
        description_en="Staff who completed a course, by the provinces they work in (head office not placed)",
        fetch=_training_reach, perm=Perm.PEOPLE_VIEW, aggregate=True, level="province",
        params={**AREA_PARAMS, "fiscal_year": "ปีงบประมาณ (พ.ศ.) / fiscal year (B.E.)"},
        group="people", order=60, color="#d95f0e",
    ))  # fmt: skip
