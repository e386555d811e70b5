"""Settlements by bbox: the box index (a sparse box) and the id walk (a dense one) give the same pages."""

from __future__ import annotations

from codi.gis.layer_defs import BOX_INDEX_BELOW
from codi.gis.models import Settlement
from tests.gis.conftest import BKK, KK, square
from tests.permissions import signed_in_client

ITEMS = "/gis/ogc/collections/settlements/items"


def settlements(center: tuple[float, float], subdistrict: str, n: int, start: int) -> list[int]:
    rows = []
    for i in range(n):
        lon, lat = center[0] + 0.0001 * i, center[1]
        h = 0.00004
        rows.append(
            Settlement(
                name=f"ชุมชนกล่อง {start + i}", subdistrict_id=subdistrict, households=10, population=30,
                land_owner="state", tenure="permit", eviction_risk="low", infrastructure=["water"],
                year_surveyed=2568, geometry=square(lon, lat, h), geometry_type="Polygon",
                min_lon=lon - h, min_lat=lat - h, max_lon=lon + h, max_lat=lat + h, lon=lon, lat=lat,
            )
        )  # fmt: skip
    return [s.pk for s in Settlement.objects.bulk_create(rows)]


def test_sparse_and_dense_boxes_page_the_same_settlements(world):
    kk = settlements(KK, "400101", 12, 0)
    settlements(BKK, "100101", 5, 100)
    client = signed_in_client(world["national"])
    box = f"{KK[0] - 0.01},{KK[1] - 0.01},{KK[0] + 0.01},{KK[1] + 0.01}"

    def page(limit: int, offset: int = 0) -> dict:
        response = client.get(ITEMS, {"bbox": box, "limit": limit, "offset": offset})
        assert response.status_code == 200, response.content
        return response.json()

    sparse = page(5)  # 12 ≤ 10 pages of 5: through the box index (on PostgreSQL)
    assert sparse["numberMatched"] == 12 and [f["id"] for f in sparse["features"]] == sorted(kk)[:5]
    assert BOX_INDEX_BELOW * 1 < 12  # so pages of one take the id walk
    dense = [page(1, offset)["features"][0]["id"] for offset in range(12)]  # 12 > 10 pages of 1: id walk
    assert dense == sorted(kk)
    assert page(1)["numberMatched"] == 12
    assert page(1, 12)["features"] == []
    # A province officer elsewhere sees none of them.
    officer = signed_in_client(world["bkk_officer"])
    assert officer.get(ITEMS, {"bbox": box}).json()["numberMatched"] == 0
