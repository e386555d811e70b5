"""Area layers as figures only (``/gis/layers/<key>/values.json``), joined in the browser to the
cached boundaries; the per-area aggregation kept between requests while the projects are unchanged."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from codi.gis import layer_cache
from codi.gis.layers import area_boxes
from codi.projects.models import Project
from tests.permissions import signed_in_client

VALUES = "/gis/layers/projects-by-subdistrict/values.json"


def test_values_follow_the_scope_with_zeros_and_no_geometry(world):
    response = signed_in_client(world["kk_officer"]).get(VALUES)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-cache"
    body = response.json()
    assert body["level"] == "subdistrict" and body["fields"] == ["projects", "approved", "households"]
    assert set(body["values"]) == {c for c in area_boxes("subdistrict") if c.startswith("40")}
    assert body["values"]["400101"] == [3, 270000.0, 60]  # the draft counts for staff
    assert b"coordinates" not in response.content
    again = signed_in_client(world["kk_officer"]).get(VALUES, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    filtered = signed_in_client(world["kk_officer"]).get(VALUES, {"fiscal_year": "2568"}).json()
    assert filtered["values"]["400101"][0] == 1
    # Out of scope: Bangkok's officer gets nothing of Khon Kaen; no project right, no layer.
    bangkok = signed_in_client(world["bkk_officer"]).get(VALUES).json()
    assert "400101" not in bangkok["values"] and bangkok["values"]["100101"][0] == 1
    assert signed_in_client(world["hr"]).get(VALUES).status_code == 404
    assert signed_in_client(world["kk_officer"]).get("/gis/layers/projects/values.json").status_code == 404


def test_public_values_readable_without_signing_in(world, client):
    body = client.get("/gis/layers/projects-by-province/values.json").json()
    assert body["level"] == "province" and body["values"]["40"][0] == 2  # no draft in public
    assert client.get(VALUES).status_code == 404


def test_aggregation_is_kept_until_a_project_changes(world):
    layer_cache.clear()
    officer = signed_in_client(world["kk_officer"])
    assert officer.get(VALUES).json()["values"]["400101"][0] == 3
    with CaptureQueriesContext(connection) as queries:
        assert officer.get(VALUES).json()["values"]["400101"][0] == 3
    assert not any("GROUP BY" in q["sql"] for q in queries.captured_queries)  # served from the cache
    project = world["kk_welfare"]
    project.subdistrict_id = "100101"
    project.save()
    assert officer.get(VALUES).json()["values"]["400101"][0] == 2  # the change marker moved
    Project.objects.filter(pk=world["kk_draft"].pk).delete()
    assert officer.get(VALUES).json()["values"]["400101"][0] == 1
    # Another officer of the same scope shares the entry; another scope has its own.
    assert signed_in_client(world["bkk_officer"]).get(VALUES).json()["values"]["100101"][0] == 2


def test_renaming_a_program_code_is_seen_through_the_cache(world):
    """A program's code is a filter on the cached totals; renaming it saves no project."""
    layer_cache.clear()
    officer = signed_in_client(world["kk_officer"])
    assert officer.get(VALUES, {"program": "BMK"}).json()["values"]["400101"][0] == 2
    program = world["program"]
    program.code = "BMN"
    program.save()
    assert officer.get(VALUES, {"program": "BMK"}).json()["values"]["400101"][0] == 0
    assert officer.get(VALUES, {"program": "BMN"}).json()["values"]["400101"][0] == 2
