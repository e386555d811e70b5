"""The projects API: permission matrix of every endpoint, problem+json refusals, the actions."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from codi.projects.models import Disbursement, Installment, Project
from tests.factories import OrganizationFactory
from tests.permissions import signed_in_client
from tests.projects.factories import Cast, leader_for, project_at, staff

pytestmark = pytest.mark.django_db
API = "/api/v1/projects"


@pytest.fixture
def cast() -> Cast:
    return Cast.create()


def _post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def _has(code):
    return lambda r: r.status_code == 200 and code in {p["code"] for p in r.json()["items"]}


def _lacks(code):
    return lambda r: (
        r.status_code in (403, 404)
        or (r.status_code == 200 and code not in {p["code"] for p in r.json()["items"]})
    )


def test_list_matrix_and_filters(matrix, cast):
    project = project_at("screening", cast=cast)
    matrix.check(
        lambda c: c.get(f"{API}/projects", {"province": "40", "status": "screening"}),
        allowed=cast.officer,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=_has(project.code),
        refused=_lacks(project.code),
    )
    body = signed_in_client(cast.officer).get(f"{API}/projects", {"status": "draft"}).json()
    assert body["count"] == 0


def test_list_query_count_is_constant(cast, django_assert_max_num_queries):
    for _ in range(3):
        project_at("draft", cast=cast)
    client = signed_in_client(cast.officer)
    with django_assert_max_num_queries(10):
        response = client.get(f"{API}/projects")
    assert response.json()["count"] == 3


def test_detail_matrix(matrix, cast):
    project = project_at("committee", cast=cast)
    matrix.check(
        lambda c: c.get(f"{API}/projects/{project.pk}"),
        allowed=cast.leader,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("executive", "region", "south"),
    )
    body = signed_in_client(cast.officer).get(f"{API}/projects/{project.pk}").json()
    assert body["diagram_current"] == ["committee"]
    assert body["status"] == "committee"


def test_out_of_scope_is_problem_json_404(cast):
    project = project_at("draft", cast=cast)
    response = signed_in_client(staff("project_officer", "province", "10")).get(
        f"{API}/projects/{project.pk}"
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_inbox_matrix(matrix, cast):
    project = project_at("approval", cast=cast)
    matrix.check(
        lambda c: c.get(f"{API}/inbox"),
        allowed=cast.director,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("regional_director", "region", "south"),
        allowed_ok=lambda r: (
            r.status_code == 200 and [s["project_id"] for s in r.json()["items"]] == [project.pk]
        ),
        refused=lambda r: r.status_code == 403 or (r.status_code == 200 and r.json()["items"] == []),
    )


def test_dashboard_matrix(matrix, cast):
    project_at("disburse", cast=cast)
    matrix.check(
        lambda c: c.get(f"{API}/dashboard"),
        allowed=cast.officer,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: r.status_code == 200 and r.json()["total"]["approved"] == "270000.00",
        refused=lambda r: (
            r.status_code == 403 or (r.status_code == 200 and r.json()["total"]["projects"] == 0)
        ),
    )
    assert signed_in_client(cast.leader).get(f"{API}/dashboard").status_code == 403


def test_screen_matrix(matrix, cast):
    outsider = matrix.user("project_officer", "province", "10")
    wrong = matrix.user("finance_officer", "country")
    for user, expected in ((outsider, 404), (wrong, 403)):
        project = project_at("screening", cast=cast)
        assert (
            _post(
                signed_in_client(user), f"{API}/projects/{project.pk}/screen", {"decision": "pass"}
            ).status_code
            == expected
        )
    response = _post(
        signed_in_client(cast.officer), f"{API}/projects/{project.pk}/screen", {"decision": "pass"}
    )
    assert response.status_code == 200
    assert response.json()["current_step"] == "committee"


def test_full_path_through_the_api(cast):
    project = project_at("draft", cast=cast)
    leader, officer = signed_in_client(cast.leader), signed_in_client(cast.officer)
    director, finance = signed_in_client(cast.director), signed_in_client(cast.finance)
    base = f"{API}/projects/{project.pk}"
    assert _post(leader, f"{base}/submit").json()["current_step"] == "screening"
    assert _post(officer, f"{base}/screen", {"decision": "pass"}).status_code == 200
    assert _post(director, f"{base}/committee", {"decision": "recommend"}).status_code == 200
    refused = _post(director, f"{base}/approve", {"decision": "approve", "approved_amount": "200000.00"})
    assert refused.status_code == 422
    assert refused["Content-Type"].startswith("application/problem+json")
    body = _post(
        director,
        f"{base}/approve",
        {
            "decision": "approve",
            "approved_amount": "200000.00",
            "reduction_reason": "ปรับลดตามวงเงิน",
            "installments": [{"amount": "120000.00"}, {"amount": "80000.00"}],
        },
    ).json()
    assert body["approved_amount"] == "200000.00"
    assert _post(officer, f"{base}/agreement").json()["current_step"] == "disburse"
    first = Installment.objects.get(project=project, number=1)
    url = f"{base}/installments/{first.pk}/disburse"
    paid = [_post(finance, url, {"idempotency_key": "retry-key-0001"}).json() for _ in range(2)]
    assert paid[0]["id"] == paid[1]["id"]
    assert Disbursement.objects.filter(installment__project=project).count() == 1
    assert _post(officer, url, {"idempotency_key": "someone-else-01"}).status_code == 403
    assert Project.objects.get(pk=project.pk).approved_amount == Decimal("200000.00")


def test_proposal_create_matrix(matrix, cast):
    from tests.projects.factories import ProgramFactory

    program = ProgramFactory()
    body = {
        "program_id": program.pk,
        "organization_id": cast.organization.pk,
        "subdistrict_code": "400104",
        "title": "ธนาคารข้าวชุมชน",
        "requested_amount": "150000.00",
        "fiscal_year": 2569,
    }
    matrix.check(
        lambda c: _post(c, f"{API}/projects", body),
        allowed=cast.leader,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
    )
    created = Project.objects.get(title="ธนาคารข้าวชุมชน")
    assert (created.status, created.lead_organization_id) == ("draft", cast.organization.pk)
    other_leader = signed_in_client(leader_for(OrganizationFactory()))
    assert _post(other_leader, f"{API}/projects", body).status_code == 404


def test_report_submit_through_the_api(cast):
    project = project_at("progress_report", cast=cast)
    installment = Installment.objects.get(project=project, number=1)
    body = {
        "narrative": "ก่อสร้างแผงตลาดแล้ว",
        "installment_id": installment.pk,
        "expenses": [
            {"spent_on": "2026-01-10", "description": "ไม้", "category": "construction", "amount": "1200.00"}
        ],
    }
    assert (
        _post(
            signed_in_client(staff("hr_officer", "country")), f"{API}/projects/{project.pk}/reports", body
        ).status_code
        == 403
    )
    response = _post(signed_in_client(cast.leader), f"{API}/projects/{project.pk}/reports", body)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"
    future = {**body, "expenses": [{**body["expenses"][0], "spent_on": "2099-01-01"}]}
    again = project_at("progress_report", cast=cast)
    refused = _post(
        signed_in_client(cast.leader),
        f"{API}/projects/{again.pk}/reports",
        {**future, "installment_id": None},
    )
    assert refused.status_code == 422
