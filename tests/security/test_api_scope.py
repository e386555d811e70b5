"""API writes that name another object resolve it within the caller's scope (issue 12, item 2).

For each write with a foreign reference: an object outside the caller's areas
is refused with exactly the answer given for an id that does not exist, so
names and existence cannot be discovered by trying ids.
"""

from __future__ import annotations

import json

import pytest

from codi.communities.models import Organization
from codi.projects.models import Installment, Project
from tests.correspondence.helpers import registrar, unit
from tests.factories import OrganizationFactory
from tests.permissions import signed_in_client
from tests.projects.factories import Cast, ProgramFactory, project_at, staff

pytestmark = pytest.mark.django_db
MISSING_ID = 2_000_000_000


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _same_refusal(out_of_scope, missing) -> None:
    assert out_of_scope.status_code == missing.status_code
    assert out_of_scope.status_code in (403, 404, 422)
    body_a, body_b = out_of_scope.json(), missing.json()
    for key in ("instance", "request_id"):
        body_a.pop(key, None)
        body_b.pop(key, None)
    assert json.dumps(body_a, sort_keys=True).replace(str(MISSING_ID), "ID") == json.dumps(
        body_b, sort_keys=True
    ).replace(str(MISSING_ID), "ID")


def _proposal(program_id: int, organization_id: int, subdistrict: str) -> dict:
    return {
        "program_id": program_id,
        "organization_id": organization_id,
        "subdistrict_code": subdistrict,
        "title": "ธนาคารข้าวชุมชน",
        "requested_amount": "150000.00",
        "fiscal_year": 2569,
    }


def test_proposal_for_an_organization_in_another_province_reads_as_missing():
    # given an officer of Chiang Mai (50) and an organization in Khon Kaen (40)
    program = ProgramFactory()
    khon_kaen_org = OrganizationFactory(subdistrict_id="400101")
    officer = signed_in_client(staff("project_officer", "province", "50"))
    # when the officer proposes a project for it, and for an id that does not exist
    foreign = _post(officer, "/api/v1/projects/projects", _proposal(program.pk, khon_kaen_org.pk, "500101"))
    missing = _post(officer, "/api/v1/projects/projects", _proposal(program.pk, MISSING_ID, "500101"))
    # then both get the same 404, and nothing is created
    _same_refusal(foreign, missing)
    assert foreign.status_code == 404
    assert not Project.objects.filter(lead_organization=khon_kaen_org).exists()


def test_proposal_in_a_subdistrict_outside_the_officers_area_reads_as_unknown():
    program = ProgramFactory()
    own_org = OrganizationFactory(subdistrict_id="500101")
    officer = signed_in_client(staff("project_officer", "province", "50"))
    foreign = _post(officer, "/api/v1/projects/projects", _proposal(program.pk, own_org.pk, "400101"))
    missing = _post(officer, "/api/v1/projects/projects", _proposal(program.pk, own_org.pk, "999999"))
    _same_refusal(foreign, missing)
    assert foreign.status_code == 422 and "ไม่พบรหัสตำบล" in foreign.content.decode()
    assert not Project.objects.filter(lead_organization=own_org).exists()
    allowed = _post(officer, "/api/v1/projects/projects", _proposal(program.pk, own_org.pk, "500101"))
    assert allowed.status_code == 201


def test_a_viewer_cannot_propose_for_an_organization_in_their_own_area():
    program = ProgramFactory()
    org = OrganizationFactory(subdistrict_id="400101")
    viewer = signed_in_client(staff("executive", "country"))
    response = _post(viewer, "/api/v1/projects/projects", _proposal(program.pk, org.pk, "400101"))
    assert response.status_code in (403, 404)


def _network(subdistrict: str) -> Organization:
    return OrganizationFactory(subdistrict_id=subdistrict, org_type="network")


def _org_body(parent_id: int) -> dict:
    return {
        "name_th": "สภาองค์กรชุมชนตำบลทดสอบ",
        "org_type": "council",
        "subdistrict_code": "500101",
        "parent_network_id": parent_id,
    }


def test_organization_cannot_join_a_network_outside_the_officers_area():
    officer = signed_in_client(staff("project_officer", "province", "50"))
    foreign_network = _network("400101")
    foreign = _post(officer, "/api/v1/communities/organizations", _org_body(foreign_network.pk))
    missing = _post(officer, "/api/v1/communities/organizations", _org_body(MISSING_ID))
    _same_refusal(foreign, missing)
    assert "parent_network_id" in foreign.content.decode()
    assert not Organization.objects.filter(parent_network=foreign_network).exists()
    own_network = _network("500101")
    ok = _post(officer, "/api/v1/communities/organizations", _org_body(own_network.pk))
    assert ok.status_code == 201, ok.content.decode()


def test_organization_change_cannot_point_at_a_network_outside_the_area():
    officer = signed_in_client(staff("project_officer", "province", "50"))
    org = OrganizationFactory(subdistrict_id="500101")
    url = f"/api/v1/communities/organizations/{org.pk}"
    foreign = _post(officer, url, {"parent_network_id": _network("400101").pk}, method="patch")
    missing = _post(officer, url, {"parent_network_id": MISSING_ID}, method="patch")
    _same_refusal(foreign, missing)
    assert "parent_network_id" in foreign.content.decode()
    org.refresh_from_db()
    assert org.parent_network_id is None


def test_report_cannot_name_an_installment_of_another_project():
    cast = Cast.create()
    project = project_at("progress_report", cast=cast)
    other = project_at("progress_report", cast=Cast.create())
    foreign_installment = Installment.objects.get(project=other, number=1)
    url = f"/api/v1/projects/projects/{project.pk}/reports"
    client = signed_in_client(cast.leader)
    body = {"narrative": "รายงาน", "expenses": []}
    foreign = _post(client, url, {**body, "installment_id": foreign_installment.pk})
    missing = _post(client, url, {**body, "installment_id": MISSING_ID})
    _same_refusal(foreign, missing)


def test_letter_cannot_be_registered_in_another_units_book():
    own, other = unit(), unit("สำนักงานภาคเหนือ", letter_code="พอช 12.4")
    clerk = signed_in_client(registrar(own))
    body = {"kind": "outgoing", "subject": "ขอเชิญประชุม", "letter_date": "2026-11-29"}
    foreign = _post(clerk, "/api/v1/correspondence/letters", {**body, "org_unit_id": other.pk})
    missing = _post(clerk, "/api/v1/correspondence/letters", {**body, "org_unit_id": MISSING_ID})
    _same_refusal(foreign, missing)
    assert _post(clerk, "/api/v1/correspondence/letters", {**body, "org_unit_id": own.pk}).status_code == 201
