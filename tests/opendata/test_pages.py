"""Public pages (no login), the staff publishing page (permission matrix), and what the public never sees."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from codi.opendata import services
from codi.opendata.models import Dataset, DatasetStatus
from tests.factories import OrganizationFactory
from tests.opendata.conftest import record_builder
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    OrganizationFactory.create_batch(3, subdistrict_id="400104", org_type="council")
    return services.dataset_publish(actor=None, name="organizations-by-subdistrict-type")


def test_the_public_list_and_dataset_page_need_no_login(published, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = Client().get("/opendata/")
    assert response.status_code == 200
    assert "จำนวนองค์กรชุมชนจำแนกตามตำบลและประเภท" in response.content.decode()
    with django_assert_max_num_queries(8):
        response = Client().get("/opendata/dataset/organizations-by-subdistrict-type/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<td>ท่าพระ</td>" in page
    assert "<td>3</td>" in page
    assert f"/resource/{published.resource.ckan_id}/download.parquet" in page
    assert "ข้อมูลสถิติ" in page  # DGA data type


def test_the_list_searches_titles(published):
    assert "จำนวนองค์กรชุมชน" in Client().get("/opendata/", {"q": "องค์กร"}).content.decode()
    assert "จำนวนองค์กรชุมชน" not in Client().get("/opendata/", {"q": "ไม่มีคำนี้"}).content.decode()


def test_the_preview_pages_through_the_rows(register_builder):
    register_builder(record_builder("records-ok", n=60))
    services.dataset_publish(actor=None, name="records-ok")
    page = Client().get("/opendata/dataset/records-ok/", {"page": 3}).content.decode()
    assert "<td>ข้อความ 40</td>" in page
    assert "<td>ข้อความ 39</td>" not in page


def _everywhere(dataset: Dataset) -> dict[str, int | bool]:
    """Where the public could see the dataset: each answer says whether it appears."""
    client = Client()
    resource_id = str(dataset.ckan_id)
    pages = {
        "list page": dataset.name in client.get("/opendata/").content.decode(),
        "dataset page": client.get(f"/opendata/dataset/{dataset.name}/").status_code != 404,
        "package_list": dataset.name in client.get("/opendata/api/action/package_list").json()["result"],
        "package_show": client.get("/opendata/api/action/package_show", {"id": dataset.name}).status_code
        != 404,
        "package_search": client.get("/opendata/api/action/package_search", {"q": dataset.name}).json()[
            "result"
        ]["count"]
        > 0,
        "dcat jsonld": dataset.name in client.get("/opendata/catalog.jsonld").content.decode(),
        "dcat turtle": dataset.name in client.get("/opendata/catalog.ttl").content.decode(),
    }
    for resource in dataset.resources.all():
        rid = str(resource.ckan_id)
        pages["resource_show"] = (
            client.get("/opendata/api/action/resource_show", {"id": rid}).status_code != 404
        )
        pages["datastore_search"] = (
            client.get("/opendata/api/action/datastore_search", {"resource_id": rid}).status_code != 404
        )
        for fmt in ("csv", "json", "xlsx", "parquet"):
            url = f"/opendata/dataset/{dataset.name}/resource/{rid}/download.{fmt}"
            pages[f"download {fmt}"] = client.get(url).status_code != 404
    assert resource_id
    return pages


def test_a_published_dataset_is_visible_everywhere(published):
    seen = _everywhere(published.dataset)
    assert seen == dict.fromkeys(seen, True)
    assert len(seen) == 13


def test_an_unpublished_dataset_is_invisible_everywhere(published):
    services.dataset_unpublish(actor=None, name="organizations-by-subdistrict-type")
    seen = _everywhere(Dataset.objects.get(name="organizations-by-subdistrict-type"))
    assert seen == dict.fromkeys(seen, False)
    assert len(seen) == 13


def test_a_refused_dataset_is_invisible_everywhere(register_builder):
    register_builder(record_builder("records-later", n=60))
    services.dataset_publish(actor=None, name="records-later")
    register_builder(record_builder("records-later", n=60, lonely=True))
    with pytest.raises(services.PublishRefusedError):
        services.dataset_publish(actor=None, name="records-later")
    dataset = Dataset.objects.get(name="records-later")
    assert dataset.status == DatasetStatus.REFUSED
    seen = _everywhere(dataset)
    assert seen == dict.fromkeys(seen, False)
    assert len(seen) == 13


def test_manage_page_permission_matrix(matrix):
    matrix.check(
        lambda client: client.get("/opendata/manage/"),
        allowed=matrix.user("data_protection_officer", "country"),
        wrong_role=matrix.user("project_officer", "country"),
        out_of_scope=None,  # publishing is national: the permission has no area
    )
    response = signed_in_client(matrix.user("system_admin", "country")).get("/opendata/manage/")
    assert response.status_code == 200
    assert "organizations-by-subdistrict-type" in response.content.decode()


def test_publish_and_unpublish_actions_permission_matrix(matrix):
    url = "/opendata/manage/organizations-by-subdistrict-type/publish/"
    matrix.check(
        lambda client: client.post(url),
        allowed=matrix.user("data_protection_officer", "country"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=None,
        allowed_ok=lambda r: r.status_code == 302,
    )
    assert Dataset.objects.get().status == DatasetStatus.PUBLISHED
    matrix.check(
        lambda client: client.post("/opendata/manage/organizations-by-subdistrict-type/unpublish/"),
        allowed=matrix.user("system_admin", "country"),
        wrong_role=matrix.user("finance_officer", "country"),
        out_of_scope=None,
        allowed_ok=lambda r: r.status_code == 302,
    )
    assert Dataset.objects.get().status == DatasetStatus.UNPUBLISHED


def test_a_refused_publish_shows_the_reason_to_staff(register_builder):
    register_builder(record_builder("records-lonely", n=60, lonely=True))
    client = signed_in_client(_dpo())
    response = client.post("/opendata/manage/records-lonely/publish/", follow=True)
    page = response.content.decode()
    assert "k-anonymity fails" in page
    assert json.dumps({"smallest_class_size": 1})[1:-1] in page.replace("&quot;", '"')


def test_manage_actions_refuse_get_and_unknown_names():
    client = signed_in_client(_dpo())
    assert client.get("/opendata/manage/organizations-by-subdistrict-type/publish/").status_code == 405
    assert client.post("/opendata/manage/no-such-thing/publish/").status_code == 404
    assert client.post("/opendata/manage/organizations-by-subdistrict-type/delete/").status_code == 404


def _dpo():
    from tests.permissions import Matrix

    return Matrix().user("data_protection_officer", "country")


def test_publish_open_data_command_publishes_the_default_aggregates():
    from io import StringIO

    from django.core.management import call_command

    OrganizationFactory()
    out = StringIO()
    call_command("publish_open_data", stdout=out, stderr=StringIO())
    assert "organizations-by-subdistrict-type: published version 1, 1 rows" in out.getvalue()
    assert set(Dataset.objects.values_list("name", flat=True)) == {
        "organizations-by-subdistrict-type",
        "feedback-by-category-province-month",
        "projects-by-program-province-year",
    }


def test_publish_open_data_if_missing_changes_nothing_the_second_time():
    from io import StringIO

    from django.core.management import call_command

    call_command("publish_open_data", "organizations-by-subdistrict-type", "--if-missing", stdout=StringIO())
    out = StringIO()
    call_command("publish_open_data", "organizations-by-subdistrict-type", "--if-missing", stdout=out)
    assert out.getvalue() == "organizations-by-subdistrict-type: already published\n"
    assert Dataset.objects.get().version == 1
