"""Server-side grid clustering of point layers: cells per zoom, the endpoint, scope and refusals."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from codi.gis.clusters import UNCLUSTERED_FROM, cell_degrees, grid_clusters
from codi.projects.models import Project, ProjectStatus
from tests.factories import OrganizationFactory
from tests.gis.conftest import KK
from tests.permissions import signed_in_client


def point(pk: int, lon: float, lat: float) -> dict:
    return {
        "type": "Feature",
        "id": pk,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {},
    }


def test_grid_clusters_group_by_cell_and_split_as_the_zoom_grows():
    features = [point(1, 102.80, 16.40), point(2, 102.81, 16.41), point(3, 100.50, 13.75)]
    at5 = grid_clusters(features, 5)
    clusters = [f for f in at5 if f["properties"].get("cluster")]
    assert len(clusters) == 1 and clusters[0]["properties"]["count"] == 2
    assert clusters[0]["geometry"]["coordinates"] == [102.805, 16.405]  # the mean position
    west, south, east, north = clusters[0]["properties"]["bounds"]
    assert west <= 102.80 <= east and south <= 16.40 <= north
    assert east - west == cell_degrees(5)
    assert [f["id"] for f in at5 if not f["properties"].get("cluster")] == [3]  # alone in its cell
    # 0.01° apart: still one cell at zoom 8 (0.35° cells); every point alone at street level
    assert len(grid_clusters(features, 8)) == 2
    assert {f["id"] for f in grid_clusters(features, UNCLUSTERED_FROM)} == {1, 2, 3}


def test_cluster_endpoint_is_scoped_and_counts_visible_points(world):
    # Two more Khon Kaen projects at an organization 0.01° away: three points near each other.
    near = OrganizationFactory(
        subdistrict_id="400101", latitude=Decimal(f"{KK[1]:.6f}"), longitude=Decimal(f"{KK[0] + 0.01:.6f}")
    )
    for n in (1, 2):
        Project.objects.create(
            code=f"P-KK-N{n}", program=world["program"], fiscal_year=2569, subdistrict_id="400101",
            lead_organization=near, title="ใกล้เคียง", requested_amount=Decimal("1000"), status=ProjectStatus.APPROVED,
        )  # fmt: skip
    national = signed_in_client(world["national"])
    body = national.get("/gis/layers/projects/clusters", {"zoom": "5"}).json()
    counts = sorted(f["properties"].get("count", 1) for f in body["features"])
    assert sum(counts) == body["numberMatched"] == 6  # drafts included for staff: 3 KK + 1 BKK + 2 near
    assert counts[-1] == 5  # the Khon Kaen cluster
    officer = signed_in_client(world["bkk_officer"])
    only = officer.get("/gis/layers/projects/clusters", {"zoom": "5"}).json()
    assert only["numberMatched"] == 1 and "cluster" not in only["features"][0]["properties"]
    street = national.get(
        "/gis/layers/projects/clusters", {"zoom": "16", "bbox": "102.0,16.0,103.5,17.0"}
    ).json()
    assert len(street["features"]) == 5 and all(f["properties"].get("url") for f in street["features"])
    filtered = national.get("/gis/layers/projects/clusters", {"zoom": "5", "status": "draft"}).json()
    assert filtered["numberMatched"] == 1


def test_cluster_endpoint_refusals(world):
    national = signed_in_client(world["national"])
    for zoom in ("", "x", "23", "-1"):
        response = national.get("/gis/layers/projects/clusters", {"zoom": zoom})
        assert response.status_code == 400 and response.json()["code"] == "InvalidParameterValue"
    assert national.get("/gis/layers/projects/clusters", {"zoom": "5", "bbox": "5,4,3"}).status_code == 400
    assert national.get("/gis/layers/projects/clusters", {"zoom": "5", "nope": "1"}).status_code == 400
    # A polygon layer has no clusters; a layer the user may not see does not exist.
    assert national.get("/gis/layers/projects-by-province/clusters", {"zoom": "5"}).status_code == 404
    hr = signed_in_client(world["hr"])
    assert hr.get("/gis/layers/projects/clusters", {"zoom": "5"}).status_code == 404
    assert (
        Client(HTTP_HOST="127.0.0.1").get("/gis/layers/projects/clusters", {"zoom": "5"}).status_code == 404
    )
