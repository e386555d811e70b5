"""The organization list writes its page from ``.values()`` rows (issue 14, item 5: API overhead).

The fast path must give exactly what the declared schema (``OrganizationOut``) gives for the same
rows — every field, Thai text, decimals as text, dates, the masked phone — and keep the paging
rules (no count query on the last page) and the caller's area scope.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from codi.communities.api import OrganizationOut
from codi.communities.models import Organization
from codi.identity import services
from tests.factories import OrganizationFactory
from tests.permissions import Matrix

pytestmark = pytest.mark.django_db
URL = "/api/v1/communities/organizations"


def _client(role: str, level: str, code: str) -> Client:
    user = Matrix().user(role, level, code)
    _key, raw = services.api_key_create(actor=None, user=user, name="ทดสอบ")
    return Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY=raw)


@pytest.fixture
def orgs() -> list[Organization]:
    network = OrganizationFactory(subdistrict_id="400104", name_th="เครือข่ายชุมชนท่าพระ", org_type="network")
    made = [
        OrganizationFactory(
            subdistrict_id="400104",
            name_th=f"กลุ่มออมทรัพย์บ้านโนนทัน {i}",
            name_en="" if i % 2 else f"Non Than savings {i}",
            latitude=Decimal("16.432100") if i % 2 else None,
            longitude=Decimal("102.823600") if i % 2 else None,
            founded_on=date(2019, 1, i + 1) if i % 3 else None,
            phone="0812345678" if i % 2 else "",
            email=f"group{i}@example.org",
            parent_network=network if i % 2 else None,
        )
        for i in range(6)
    ]
    OrganizationFactory(subdistrict_id="100101", name_th="กลุ่มนอกพื้นที่")  # Bangkok: out of scope
    return [network, *made]


def test_the_page_is_what_the_schema_gives(orgs):
    response = _client("project_officer", "province", "40").get(URL, {"page_size": 50})
    assert response.status_code == 200
    body = response.json()
    expected = [
        OrganizationOut.from_orm(org).model_dump(mode="json")
        for org in Organization.objects.filter(pk__in=[o.pk for o in orgs]).order_by("id")
    ]
    assert body["items"] == expected
    assert (body["count"], body["page"], body["page_size"]) == (len(orgs), 1, 50)
    assert body["items"][1]["phone"] == "xxxxxx5678" or body["items"][2]["phone"] == "xxxxxx5678"
    assert "0812345678" not in response.content.decode()


def test_paging_counts_only_when_the_page_is_full(orgs):
    client = _client("project_officer", "province", "40")
    with CaptureQueriesContext(connection) as full:
        first = client.get(URL, {"page_size": 3, "page": 1}).json()
    with CaptureQueriesContext(connection) as last:
        final = client.get(URL, {"page_size": 3, "page": 3}).json()
    assert [len(first["items"]), first["count"]] == [3, 7]
    assert [len(final["items"]), final["count"]] == [1, 7]
    counts = [sum("COUNT(" in q["sql"].upper() for q in c.captured_queries) for c in (full, last)]
    assert counts[0] == counts[1] + 1
    assert client.get(URL, {"page_size": 3, "page": 9}).json() == {
        "items": [], "count": 7, "page": 9, "page_size": 3,
    }  # fmt: skip
    assert client.get(URL, {"page_size": 500}).status_code == 422


def test_a_caller_out_of_scope_sees_only_their_area_and_a_wrong_role_nothing(orgs):
    elsewhere = _client("project_officer", "province", "10").get(URL).json()
    assert [o["name_th"] for o in elsewhere["items"]] == ["กลุ่มนอกพื้นที่"]
    wrong_role = _client("hr_officer", "country", "").get(URL)
    assert wrong_role.status_code == 200 and wrong_role.json()["count"] == 0  # no organization permission
    assert Client(HTTP_HOST="127.0.0.1").get(URL).status_code == 401
