"""The communities API: permission matrix per endpoint, masking, audit of unmasked views, filters."""

from __future__ import annotations

import pytest
from stdnum.th import pin

from codi.communities import services
from codi.communities.models import Organization
from codi.core.models import AuditEntry
from tests.factories import OrganizationFactory
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db
API = "/api/v1/communities"


def _ids(response) -> set[int]:
    return {item["id"] for item in response.json()["items"]} if response.status_code == 200 else set()


def _national_id(n: int = 1) -> str:
    body = f"31006004{n:04d}"
    return body + pin.calc_check_digit(body)


@pytest.fixture
def member(officer):
    """A person in Khon Kaen (400104), committee member of an organization there."""
    person = services.person_create(
        actor=officer,
        national_id=_national_id(),
        first_name_th="สมศรี",
        last_name_th="ใจดี",
        subdistrict_code="400104",
        phone="0812345678",
        address="12 หมู่ 3",
    )
    org = OrganizationFactory(subdistrict_id="400104", registration_no="KK-9")
    services.membership_add(actor=officer, person=person, organization=org, role="committee")
    return person


# --- organizations ----------------------------------------------------------------------------


def test_organization_patch_matrix(matrix: Matrix):
    org = OrganizationFactory(subdistrict_id="400104")
    matrix.check(
        lambda c: c.patch(
            f"{API}/organizations/{org.pk}", {"status": "inactive"}, content_type="application/json"
        ),
        allowed=matrix.user("regional_director", "region", "northeast"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
    )
    assert Organization.objects.get(pk=org.pk).status == "inactive"


def test_organization_history_matrix(matrix: Matrix, officer):
    org = services.organization_create(
        actor=officer, name_th="กลุ่มเดิม", org_type="other", subdistrict_code="400104"
    )
    services.organization_update(actor=officer, organization=org, changes={"name_th": "กลุ่มใหม่"})
    matrix.check(
        lambda c: c.get(f"{API}/organizations/{org.pk}/history"),
        allowed=matrix.user("community_leader", "subdistrict", "400104"),
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("community_leader", "subdistrict", "400101"),
        allowed_ok=lambda r: (
            [e["action"] for e in r.json()["items"]]
            == ["communities.organization_update", "communities.organization_create"]
        ),
    )


def test_organization_members_matrix(matrix: Matrix, member):
    org = Organization.objects.get(registration_no="KK-9")
    matrix.check(
        lambda c: c.get(f"{API}/organizations/{org.pk}/members"),
        allowed=matrix.user("regional_director", "region", "northeast"),
        wrong_role=matrix.user(
            "community_leader", "subdistrict", "400104"
        ),  # sees the organization, not its members
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: (
            [(m["person_id"], m["national_id_masked"], m["role"]) for m in r.json()["items"]]
            == [(member.pk, "3-1006-xxxxx-xx-" + _national_id()[-1], "committee")]
        ),
    )


def test_organization_unmask_matrix(matrix: Matrix, officer):
    org = services.organization_create(
        actor=officer, name_th="กลุ่ม", org_type="other", subdistrict_code="400104", phone="0812345678"
    )
    matrix.check(
        lambda c: c.get(f"{API}/organizations/{org.pk}?unmask=true"),
        allowed=matrix.user("data_protection_officer", "country"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: r.json()["phone"] == "0812345678",
    )
    assert AuditEntry.objects.filter(action="personal_data.view", object_id=str(org.pk)).count() == 1


def test_organization_phone_is_masked_by_default(officer):
    org = services.organization_create(
        actor=officer, name_th="กลุ่ม", org_type="other", subdistrict_code="400104", phone="0812345678"
    )
    body = signed_in_client(officer).get(f"{API}/organizations/{org.pk}").json()
    assert body["phone"] == "xxxxxx5678"


def test_organization_fields_and_filters(officer):
    network = services.organization_create(
        actor=officer, name_th="เครือข่ายขอนแก่น", org_type="network", subdistrict_code="400101"
    )
    client = signed_in_client(officer)
    response = client.post(
        f"{API}/organizations",
        {"name_th": "กลุ่มออมทรัพย์บ้านเป็ด", "org_type": "savings_group", "subdistrict_code": "400104",
         "latitude": "16.4321", "longitude": 102.8236, "email": "Group@Example.org", "line_id": "@baanped",
         "parent_network_id": network.pk, "registration_no": "KK-77"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["latitude"], body["longitude"]) == ("16.432100", "102.823600")
    assert (body["email"], body["parent_network_id"], body["registration_no"]) == (
        "group@example.org",
        network.pk,
        "KK-77",
    )
    assert _ids(client.get(f"{API}/organizations?network={network.pk}")) == {body["id"]}
    assert _ids(client.get(f"{API}/organizations?q=บ้านเป")) == {body["id"]}
    assert _ids(client.get(f"{API}/organizations?area=4001&org_type=network")) == {network.pk}
    assert _ids(client.get(f"{API}/organizations?region=northeast&status=active")) == {network.pk, body["id"]}
    assert client.get(f"{API}/organizations?area=401").status_code == 422


def test_patch_validates_and_keeps_required_fields(officer):
    org = services.organization_create(
        actor=officer, name_th="กลุ่ม", org_type="other", subdistrict_code="400104"
    )
    client = signed_in_client(officer)
    response = client.patch(
        f"{API}/organizations/{org.pk}",
        {"latitude": "48.8584", "longitude": "2.2945"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "พิกัดอยู่นอกประเทศไทย" in response.json()["errors"][0]["message"]
    response = client.patch(
        f"{API}/organizations/{org.pk}", {"name_th": None, "email": "a@b.co"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["name_th"] == "กลุ่ม"


def test_partner_is_refused_before_the_body_is_validated():
    partner = Matrix().user("partner_agency", "province", "40")
    response = signed_in_client(partner).post(
        f"{API}/organizations",
        {"name_th": "กลุ่ม", "org_type": "other", "subdistrict_code": "999999"},
        content_type="application/json",
    )
    assert response.status_code == 403


# --- members -----------------------------------------------------------------------------------


def test_member_list_matrix(matrix: Matrix, member):
    matrix.check(
        lambda c: c.get(f"{API}/members"),
        allowed=matrix.user("project_officer", "district", "4001"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=matrix.user("project_officer", "region", "south"),
        allowed_ok=lambda r: member.pk in _ids(r),
        refused=lambda r: r.status_code == 403 or member.pk not in _ids(r),
    )


def test_member_detail_matrix(matrix: Matrix, member):
    matrix.check(
        lambda c: c.get(f"{API}/members/{member.pk}"),
        allowed=matrix.user("regional_director", "region", "northeast"),
        wrong_role=matrix.user("partner_agency", "province", "40"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: r.json()["national_id"] == "" and r.json()["phone"] == "xxxxxx5678",
    )


def test_member_unmask_matrix_and_audit(matrix: Matrix, member):
    matrix.check(
        lambda c: c.get(f"{API}/members/{member.pk}?unmask=true"),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("regional_director", "region", "northeast"),  # masked only
        out_of_scope=matrix.user("data_protection_officer", "province", "10"),
        allowed_ok=lambda r: r.json()["unmasked"] and r.json()["national_id"] == pin.format(_national_id()),
    )
    views = AuditEntry.objects.filter(action="personal_data.view", object_id=str(member.pk))
    assert views.count() == 1  # only the allowed view; refusals show nothing and log nothing


def test_member_list_masks_and_filters(officer, member):
    client = signed_in_client(officer)
    body = client.get(f"{API}/members?area=400104&role=committee&q=สมศรี").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["national_id_masked"].endswith("xxxxx-xx-" + _national_id()[-1])
    assert "national_id" not in item and "phone" not in item
    assert client.get(f"{API}/members?area=10").json()["count"] == 0
    assert not AuditEntry.objects.filter(action="personal_data.view").exists()


def test_member_list_query_count_does_not_grow(officer, django_assert_max_num_queries):
    for n in range(30):
        services.person_create(
            actor=officer,
            national_id=_national_id(n + 10),
            first_name_th="ก",
            last_name_th="ข",
            subdistrict_code="400104",
        )
    client = signed_in_client(officer)
    client.get(f"{API}/members")
    with django_assert_max_num_queries(8):
        assert len(client.get(f"{API}/members?page_size=30").json()["items"]) == 30


@pytest.mark.parametrize(
    "path",
    [
        "/organizations?network=988666857158847649197257129984",
        "/organizations/988666857158847649197257129984",
        "/members?organization=99999999999999999999",
        "/members/99999999999999999999",
    ],
)
def test_ids_beyond_64_bits_are_422_not_500(officer, path):
    assert signed_in_client(officer).get(f"{API}{path}").status_code == 422
