"""The layers of the CODI GIS, one per module, registered into ``codi.gis.layers``.

Each reads through the owning app's selectors (``projects.gis_feed``, ``communities.selectors``,
``feedback.selectors``, ``lending.gis_feed``) with the acting user, so every layer is scoped.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse

from codi.communities import selectors as community_selectors
from codi.feedback import selectors as feedback_selectors
from codi.gis import layer_cache, selectors
from codi.gis.analysis import getis_ord_gi_star
from codi.gis.geometry import GeometryError
from codi.gis.layers import Layer, LayerPage, LayerQuery, RawGeometry, area_page, register
from codi.identity.roles import Perm
from codi.identity.selectors import scope_province_codes
from codi.lending import gis_feed as lending_feed
from codi.projects import gis_feed as project_feed

PROJECT_PARAMS = {
    "fiscal_year": "ปีงบประมาณ (พ.ศ.) / fiscal year (B.E.)",
    "program": "รหัสแผนงาน / program code",
    "status": "สถานะโครงการ / project status",
    "area": "รหัสพื้นที่ (ขึ้นต้นด้วย) / area code prefix",
}
AREA_PARAMS = {"area": "รหัสพื้นที่ (ขึ้นต้นด้วย) / area code prefix"}


def project_query(filters: dict[str, str]) -> project_feed.ProjectQuery:
    year = filters.get("fiscal_year", "")
    if year and not (year.isdigit() and 2500 <= int(year) <= 2700):
        raise GeometryError("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2569", "fiscal_year must be a B.E. year, e.g. 2569")
    status = filters.get("status", "")
    if status and status not in dict(project_feed.statuses()):
        raise GeometryError(f"ไม่รู้จักสถานะ {status}", f"Unknown status {status}")
    return project_feed.ProjectQuery(
        fiscal_year=int(year) if year else None,
        program=filters.get("program", "")[:20],
        status=status,
        year_from=int(filters["year_from"]) if filters.get("year_from") else None,
        year_to=int(filters["year_to"]) if filters.get("year_to") else None,
    )


def _area_filter(filters: dict[str, str]) -> None:
    area = filters.get("area", "")
    if area and not (area.isdigit() and len(area) <= 6):
        raise GeometryError("รหัสพื้นที่ต้องเป็นตัวเลขไม่เกิน 6 หลัก", "area must be up to 6 digits")


# --- projects ------------------------------------------------------------------------------------


# An area in scope without a project is a true 0 on the project layers; one out of scope is absent.
PROJECT_ZERO = {"projects": 0, "approved": 0.0, "households": 0}


def project_values(actor: Any | None, level: str, filters: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Projects, approved budget and households per area of ``level`` that ``actor`` sees (``None``:
    the public), zeros for the areas in scope without a project; kept between requests while the
    projects are unchanged (``layer_cache``), per scope, level and filters."""
    query = project_query(filters)
    key = ("projects", level, query, project_feed.scope_key(actor))

    def compute() -> dict[str, dict[str, Any]]:
        values = project_feed.totals_by_area(actor=actor, level=level, query=query)
        codes = selectors.areas_in_scope(actor=actor, perm=Perm.PROJECTS_VIEW, level=level)
        return selectors.with_zeros(values, codes, PROJECT_ZERO)

    return layer_cache.cached(key, project_feed.change_marker(), compute)


def _projects_by_province(user: Any, query: LayerQuery) -> LayerPage:
    _area_filter(query.filters)
    values = project_values(None, "province", query.filters)
    return area_page(level="province", values=values, query=query, names=selectors.area_names("province"))


def _projects_by_subdistrict(user: Any, query: LayerQuery) -> LayerPage:
    _area_filter(query.filters)
    values = project_values(user, "subdistrict", query.filters)
    return area_page(
        level="subdistrict", values=values, query=query, names=selectors.area_names("subdistrict")
    )


def _project_points(user: Any, query: LayerQuery) -> LayerPage:
    _area_filter(query.filters)
    rows = project_feed.points(actor=user, query=project_query(query.filters), bbox=query.bbox)
    if query.filters.get("id"):
        rows = rows.filter(pk=int(query.filters["id"]))
    if query.filters.get("area"):
        rows = rows.filter(subdistrict_id__startswith=query.filters["area"])
    matched = rows.count()
    page = rows.values(*project_feed.POINT_FIELDS)[query.offset : query.offset + query.limit]
    url = reverse("projects:project_detail", args=[0]).replace("/0/", "/{}/")
    features = [
        {
            "type": "Feature",
            "id": r["id"],
            "geometry": {
                "type": "Point",
                "coordinates": [
                    float(r["lead_organization__longitude"]),
                    float(r["lead_organization__latitude"]),
                ],
            },
            "properties": {
                "code": r["code"],
                "title": r["title"],
                "status": r["status"],
                "program": r["program__code"],
                "program_name": r["program__name_th"],
                "fiscal_year": r["fiscal_year"],
                "approved_amount": float(r["approved_amount"]) if r["approved_amount"] is not None else None,
                "households": r["households"],
                "subdistrict": r["subdistrict_id"],
                "url": url.format(r["id"]),
            },
        }
        for r in page
    ]
    return LayerPage(features=features, matched=matched)


# --- organizations -------------------------------------------------------------------------------


def _organizations(user: Any, query: LayerQuery) -> LayerPage:
    _area_filter(query.filters)
    orgs = community_selectors.organization_list(actor=user, area_code=query.filters.get("area", "")).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    if query.filters.get("id"):
        orgs = orgs.filter(pk=int(query.filters["id"]))
    if query.filters.get("org_type"):
        orgs = orgs.filter(org_type=query.filters["org_type"])
    if query.bbox is not None:
        west, south, east, north = query.bbox
        orgs = orgs.filter(longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north)
    orgs = orgs.order_by("id")
    rows = orgs.values("id", "name_th", "org_type", "subdistrict_id", "longitude", "latitude")
    features = [
        {
            "type": "Feature",
            "id": r["id"],
            "geometry": {
                "type": "Point",
                "coordinates": [float(r["longitude"] or 0), float(r["latitude"] or 0)],
            },
            "properties": {
                "name_th": r["name_th"],
                "org_type": r["org_type"],
                "subdistrict": r["subdistrict_id"],
                "url": reverse("communities:organization_detail", args=[r["id"]]),
            },
        }
        for r in rows[query.offset : query.offset + query.limit]
    ]
    return LayerPage(features=features, matched=orgs.count())


# --- hot spots -----------------------------------------------------------------------------------


def _hotspot_page(user: Any, query: LayerQuery, perm: str, values: dict[str, float], label: str) -> LayerPage:
    _area_filter(query.filters)
    band = query.filters.get("band_km", "")
    if band and not (band.replace(".", "", 1).isdigit() and 1 <= float(band) <= 100):
        raise GeometryError("band_km ต้องอยู่ระหว่าง 1 ถึง 100", "band_km must be between 1 and 100")
    results = getis_ord_gi_star(
        values, provinces=scope_province_codes(user, perm), band_km=float(band) if band else 10.0
    )
    hot = {
        r.code: {label: r.value, "gi_z": r.z, "hotspot": r.hotspot, "neighbours": r.neighbours}
        for r in results
        if r.value > 0 or r.hotspot != "not_significant"
    }
    wanted = query.filters.get("hotspot", "")
    if wanted:
        hot = {c: v for c, v in hot.items() if v["hotspot"] == wanted}
    return area_page(level="subdistrict", values=hot, query=query, names=selectors.area_names("subdistrict"))


def _feedback_hotspots(user: Any, query: LayerQuery) -> LayerPage:
    counts = feedback_selectors.area_counts(user=user, level="subdistrict")
    return _hotspot_page(user, query, Perm.FEEDBACK_VIEW, counts, "reports")


def _arrears(user: Any, query: LayerQuery) -> LayerPage:
    rows = lending_feed.arrears_by_area(actor=user, level="subdistrict", as_of=date.today())
    page = _hotspot_page(
        user, query, Perm.LENDING_VIEW, {c: float(v["loans"]) for c, v in rows.items()}, "loans_in_arrears"
    )
    for feature in page.features:
        feature["properties"]["overdue_amount"] = rows.get(feature["id"], {}).get("overdue", 0.0)
    return page


# --- informal settlements ------------------------------------------------------------------------

SETTLEMENT_FILTERS = ("land_owner", "tenure", "eviction_risk", "year_surveyed")
BOX_INDEX_BELOW = 10  # pages' worth of settlements in a bbox under which the box index is used


SETTLEMENT_COLUMNS = (
    "id", "geometry_text", "name", "subdistrict_id", "households", "population", "land_owner", "tenure",
    "eviction_risk", "infrastructure", "year_surveyed", "organization_id", "project_id", "version",
)  # fmt: skip


def settlement_features(rows: Any) -> list[dict[str, Any]]:
    """Features from value rows of ``SETTLEMENT_COLUMNS`` (no model instances: a page is 1,000 rows)."""
    url = reverse("gis:settlement_detail", args=[0]).replace("/0/", "/{}/")
    features = []
    for row in rows:
        (
            pk,
            geometry,
            name,
            subdistrict,
            households,
            population,
            owner,
            tenure,
            risk,
            infra,
            year,
            org,
            project,
            version,
        ) = row
        features.append(
            {
                "type": "Feature",
                "id": pk,
                "geometry": RawGeometry(geometry),
                "properties": {
                    "name": name, "subdistrict": subdistrict, "households": households, "population": population,
                    "land_owner": owner, "tenure": tenure, "eviction_risk": risk, "infrastructure": ",".join(infra),
                    "year_surveyed": year, "organization_id": org, "project_id": project, "version": version,
                    "url": url.format(pk),
                },
            }
        )  # fmt: skip
    return features


def _settlements(user: Any, query: LayerQuery) -> LayerPage:
    _area_filter(query.filters)
    rows = selectors.settlement_list(actor=user)
    if query.filters.get("id"):
        rows = rows.filter(pk=int(query.filters["id"]))
    elif query.filters.get("area"):
        rows = rows.filter(subdistrict_id__startswith=query.filters["area"])
    if query.filters.get("year_from"):
        rows = rows.filter(year_surveyed__gte=int(query.filters["year_from"]))
    if query.filters.get("year_to"):
        rows = rows.filter(year_surveyed__lte=int(query.filters["year_to"]))
    for key in SETTLEMENT_FILTERS:
        value = query.filters.get(key, "")
        if value:
            if key == "year_surveyed" and not value.isdigit():
                raise GeometryError("year_surveyed ต้องเป็นตัวเลข", "year_surveyed must be a number")
            rows = rows.filter(**{key: value})
    matched: int | None = None
    if query.bbox is not None:
        boxed = selectors.settlements_in_bbox(rows, query.bbox)
        # Few settlements in the box: read them through the box index and sort them. Many: walk the
        # ids and keep those in the box (a page is found after ~limit / share rows). The count says which.
        # The count in a box is most of a page's time (it reads every settlement in the box); the
        # pages of one box (QGIS, the map) share it while the settlements are unchanged.
        box_key = (
            "settlements-in-box",
            selectors.settlement_scope_key(user),
            tuple(sorted(query.filters.items())),
            query.bbox,
        )
        matched = layer_cache.cached(box_key, selectors.settlement_change_marker(), boxed.count)
        rows = (
            boxed
            if matched <= BOX_INDEX_BELOW * query.limit
            else selectors.settlements_in_bbox(rows, query.bbox, gist=False)
        )
    rows = rows.order_by("id")
    rows = rows.annotate(geometry_text=Cast("geometry", output_field=TextField()))
    page = rows.values_list(*SETTLEMENT_COLUMNS)[query.offset : query.offset + query.limit]
    features = settlement_features(page)
    if matched is None:
        # A short page is the last one: its rows and the offset are the count, with no second query.
        short = len(features) < query.limit and (features or query.offset == 0)
        matched = query.offset + len(features) if short else rows.count()
    return LayerPage(features=features, matched=matched)


def _settlements_by_province(user: Any, query: LayerQuery) -> LayerPage:
    _area_filter(query.filters)
    values = selectors.settlements_by_area(actor=None, level="province")
    return area_page(level="province", values=values, query=query, names=selectors.area_names("province"))


def register_layers() -> None:
    register(
        Layer(
            key="projects-by-province",
            temporal="fiscal_year",
            title_th="โครงการรายจังหวัด (สาธารณะ)",
            title_en="Projects by province (public)",
            description_th="จำนวนโครงการ งบอนุมัติ และครัวเรือนผู้ได้รับประโยชน์ รายจังหวัด",
            description_en="Projects, approved budget and beneficiary households per province",
            fetch=_projects_by_province,
            aggregate=True,
            level="province",
            public=True,
            params=PROJECT_PARAMS,
            group="projects",
            order=10,
            color="#31a354",
        )
    )
    register(
        Layer(
            key="projects-by-subdistrict",
            temporal="fiscal_year",
            title_th="โครงการรายตำบล",
            title_en="Projects by subdistrict",
            description_th="โครงการในพื้นที่ของคุณ รายตำบล",
            description_en="Projects in your areas per subdistrict",
            fetch=_projects_by_subdistrict,
            aggregate=True,
            level="subdistrict",
            perm=Perm.PROJECTS_VIEW,
            params=PROJECT_PARAMS,
            group="projects",
            order=11,
            color="#31a354",
        )
    )
    register(
        Layer(
            key="projects",
            temporal="fiscal_year",
            title_th="ตำแหน่งโครงการ",
            title_en="Project locations",
            description_th="โครงการ ณ ที่ตั้งองค์กรนำ (เฉพาะที่มีพิกัด)",
            description_en="Projects at their lead organization's location (where it has coordinates)",
            fetch=_project_points,
            perm=Perm.PROJECTS_VIEW,
            geometry="point",
            params=PROJECT_PARAMS,
            group="projects",
            order=12,
            color="#006d2c",
        )
    )
    register(
        Layer(
            key="organizations",
            title_th="องค์กรชุมชน",
            title_en="Community organizations",
            description_th="องค์กรชุมชนที่มีพิกัด",
            description_en="Community organizations with coordinates",
            fetch=_organizations,
            perm=Perm.ORGS_VIEW,
            geometry="point",
            params={**AREA_PARAMS, "org_type": "ประเภทองค์กร / organization type"},
            group="communities",
            order=20,
            color="#756bb1",
        )
    )
    register(
        Layer(
            key="settlements",
            temporal="year",
            title_th="ชุมชนแออัด/ชุมชนบุกรุก (GIS Slum)",
            title_en="Informal settlements (GIS Slum)",
            description_th="ขอบเขตหรือตำแหน่งชุมชน พร้อมสิทธิในที่ดินและความเสี่ยงถูกไล่รื้อ",
            description_en="Settlement polygons or points with land tenure and eviction risk",
            fetch=_settlements,
            perm=selectors.VIEW_PERM,
            params={**AREA_PARAMS, **{k: k for k in SETTLEMENT_FILTERS}},
            group="settlements",
            order=30,
            color="#e6550d",
        )
    )
    register(
        Layer(
            key="settlements-by-province",
            title_th="ชุมชนแออัดรายจังหวัด (สาธารณะ)",
            title_en="Informal settlements by province (public)",
            description_th="จำนวนชุมชน ครัวเรือน ประชากร และชุมชนเสี่ยงสูงรายจังหวัด",
            description_en="Settlements, households, population and high-risk settlements per province",
            fetch=_settlements_by_province,
            aggregate=True,
            level="province",
            public=True,
            params=AREA_PARAMS,
            group="settlements",
            order=31,
            color="#e6550d",
        )
    )
    register(
        Layer(
            key="feedback-hotspots",
            title_th="จุดร้อนเรื่องร้องเรียน (Gi*)",
            title_en="Feedback hot spots (Gi*)",
            description_th="จำนวนเรื่องร้องเรียนรายตำบลและค่า Getis-Ord Gi*",
            description_en="Reports per subdistrict with the Getis-Ord Gi* z-score",
            fetch=_feedback_hotspots,
            aggregate=True,
            level="subdistrict",
            perm=Perm.FEEDBACK_VIEW,
            params={**AREA_PARAMS, "hotspot": "hot_99|hot_95|hot_90|...", "band_km": "km"},
            group="feedback",
            order=40,
            color="#de2d26",
        )
    )
    register(Layer(
        key="loans-arrears", title_th="สินเชื่อค้างชำระ (Gi*)", title_en="Loans in arrears (Gi*)",
        description_th="สินเชื่อที่ค้างชำระรายตำบลและค่า Gi*",
        description_en="Loans in arrears per subdistrict with the Gi* z-score",
        fetch=_arrears, aggregate=True, level="subdistrict", perm=Perm.LENDING_VIEW,
        params={**AREA_PARAMS, "hotspot": "hot_99|hot_95|hot_90|...", "band_km": "km"}, group="lending",
        order=50, color="#a63603",
    ))  # fmt: skip
