"""The real ckanapi client (PyPI) against the running server: list, show, page through the datastore."""

from __future__ import annotations

import ckanapi
import pytest

from codi.opendata import services
from tests.opendata.conftest import record_builder


@pytest.mark.django_db
def test_ckanapi_lists_shows_and_pages_through_datastore_search(live_url, register_builder):
    # given a published record-level dataset of 60 rows and an aggregate
    register_builder(record_builder("records-live", n=60))
    outcome = services.dataset_publish(actor=None, name="records-live")
    resource_id = str(outcome.resource.ckan_id)
    with ckanapi.RemoteCKAN(f"{live_url}/opendata") as ckan:
        # when / then: list and show
        assert ckan.action.package_list() == ["records-live"]
        package = ckan.action.package_show(id="records-live")
        assert package["id"] == str(outcome.dataset.ckan_id)
        assert package["resources"][0]["id"] == resource_id
        assert ckan.action.organization_list() == ["codi"]
        # page through the datastore, 25 rows at a time, following offset like a harvester
        seen: list[int] = []
        offset = 0
        while True:
            page = ckan.action.datastore_search(
                resource_id=resource_id, filters={"gender": "หญิง"}, limit=25, offset=offset
            )
            if not page["records"]:
                break
            seen.extend(r["_id"] for r in page["records"])
            offset += 25
        assert page["total"] == 30
        assert seen == list(range(2, 61, 2))
        # bad input comes back as ckanapi's own exceptions, not a crash
        with pytest.raises(ckanapi.ValidationError) as bad:
            ckan.action.datastore_search(resource_id=resource_id, filters={"national_id": "x"})
        assert bad.value.error_dict["filters"] == ['field "national_id" not in resource']
        with pytest.raises(ckanapi.ValidationError):
            ckan.action.datastore_search(resource_id=resource_id, limit=10_000_000)
        with pytest.raises(ckanapi.NotFound):
            ckan.action.package_show(id="no-such-dataset")


@pytest.mark.django_db
def test_ckanapi_over_get_with_the_api_3_path(live_url, register_builder):
    register_builder(record_builder("records-get", n=60))
    outcome = services.dataset_publish(actor=None, name="records-get")

    class Api3(ckanapi.RemoteCKAN):
        base_url = "api/3/action/"

    with Api3(f"{live_url}/opendata", get_only=True) as ckan:
        result = ckan.action.datastore_search(resource_id=str(outcome.resource.ckan_id), q="ขอนแก่น", limit=5)
        assert result["total"] == 20
        assert len(result["records"]) == 5
        assert ckan.action.package_search(q="records")["count"] == 1
