"""Every e-Audit page and endpoint: anonymous, wrong role, out of scope refused; allowed works."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from codi.audit import services
from codi.audit.models import AuditException, Finding, FindingStatus, Risk
from codi.core.models import AuditEntry
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def ran(people, planted):
    services.analytics_run(actor=people["auditor"])
    return AuditException.objects.filter(rule="duplicate_payment").order_by("record_id")


@pytest.fixture
def finding(people, ran, engagement):
    return services.finding_raise(
        actor=people["auditor"], engagement=engagement, title="จ่ายซ้ำ", condition="c", criteria="c", cause="c",
        effect="e", recommendation="r", owner=people["executive"], exception_ids=[e.pk for e in ran],
    )  # fmt: skip


def _check(matrix, people, call, *, allowed="auditor", wrong="maker", out="director", **kw):
    matrix.check(call, allowed=people[allowed], wrong_role=people[wrong], out_of_scope=people[out], **kw)


@pytest.mark.parametrize(
    "url",
    ["/e-audit/exceptions/", "/e-audit/exceptions/?format=xlsx", "/e-audit/rules/", "/e-audit/engagements/",
     "/e-audit/exceptions/{id}/", "/api/v1/audit/rules", "/api/v1/audit/exceptions"],
)  # fmt: skip
def test_auditor_pages_refuse_others(matrix, people, ran, url):
    # a regional director (region-scoped) is out of scope for organization-wide audit work
    _check(matrix, people, lambda c: c.get(url.format(id=ran[0].pk)))


def test_evidence_page_shows_group_source_and_trail_and_is_audited(people, ran):
    response = signed_in_client(people["auditor"]).get(f"/e-audit/exceptions/{ran[0].pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f"/finance/vouchers/{ran[0].source_id}/" in html and f"/finance/vouchers/{ran[1].source_id}/" in html
    )
    assert "finance.voucher_check" in html and 'id="raise-finding"' in html
    assert (
        AuditEntry.objects.filter(action="eaudit.evidence_view", actor_id=people["auditor"].pk).count() == 1
    )
    # an executive reads the evidence but gets no auditor forms
    html = signed_in_client(people["executive"]).get(f"/e-audit/exceptions/{ran[0].pk}/").content.decode()
    assert 'id="raise-finding"' not in html and "finance.voucher_check" in html


def test_run_and_decide_endpoints(matrix, people, ran):
    _check(matrix, people, lambda c: c.post("/api/v1/audit/runs"), wrong="executive",
           allowed_ok=lambda r: r.status_code == 201)  # fmt: skip

    def decide(c):
        body = {"status": "explained", "note": "คืนเงินแล้ว"}
        return c.post(
            f"/api/v1/audit/exceptions/{ran[0].pk}/decision",
            json.dumps(body),
            content_type="application/json",
        )

    _check(matrix, people, decide, wrong="executive")
    client = signed_in_client(people["auditor"])
    missing_note = client.post(
        f"/api/v1/audit/exceptions/{ran[1].pk}/decision", json.dumps({"status": "false_positive"}),
        content_type="application/json",
    )  # fmt: skip
    assert missing_note.status_code == 422 and "note" in missing_note.json()["detail_en"].lower()


def test_finding_endpoints_and_pages(matrix, people, finding):
    for url in (f"/e-audit/findings/{finding.pk}/", f"/api/v1/audit/findings/{finding.pk}"):
        _check(matrix, people, lambda c, u=url: c.get(u), allowed="executive", wrong="hr", out="director")
    due = (timezone.localdate() + timedelta(days=30)).isoformat()

    def respond(c):
        body = {"action_plan": "เรียกเงินคืน", "action_owner_id": people["maker"].pk, "due_date": due}
        return c.post(
            f"/api/v1/audit/findings/{finding.pk}/response", json.dumps(body), content_type="application/json"
        )

    # the auditor sees the finding but may not respond for management: 403
    assert respond(signed_in_client(people["auditor"])).status_code == 403
    _check(matrix, people, respond, allowed="executive", wrong="hr", out="director")
    finding.refresh_from_db()
    assert finding.current_step == "follow_up"

    def close(c, evidence="ใบเสร็จ RC2570-00012"):
        body = {"outcome": "close", "note": "ตรวจแล้ว", "evidence": evidence}
        return c.post(
            f"/api/v1/audit/findings/{finding.pk}/follow-ups",
            json.dumps(body),
            content_type="application/json",
        )

    refused = close(signed_in_client(people["auditor"]), evidence="")
    assert refused.status_code == 422 and "evidence" in refused.json()["detail_en"]
    assert close(signed_in_client(people["executive"])).status_code == 403
    _check(matrix, people, close, wrong="executive", out="director")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED


def test_finding_page_forms_and_diagram(people, finding):
    owner = signed_in_client(people["executive"])
    html = owner.get(f"/e-audit/findings/{finding.pk}/").content.decode()
    assert 'id="respond"' in html and 'data-task="respond"' in html and "/e-audit/process/tobe.bpmn" in html
    response = owner.post(
        f"/e-audit/findings/{finding.pk}/action/",
        {"action": "respond", "agreed": "1", "action_plan": "แผน", "action_owner": people["maker"].pk, "due_date": "2020-01-01"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Finding.objects.get(pk=finding.pk).current_step == "respond"  # past due date refused on the page
    assert owner.get("/e-audit/process/tobe.bpmn").status_code == 200
    assert owner.get("/e-audit/process/as-is/").status_code == 200
    inbox = owner.get("/e-audit/").content.decode()
    assert finding.number in inbox


def test_raise_finding_from_the_evidence_page(people, ran, engagement):
    client = signed_in_client(people["auditor"])
    data = {
        "action": "finding", "engagement": engagement.pk, "title": "จ่ายซ้ำ", "condition": "c", "criteria": "c",
        "cause": "c", "effect": "e", "recommendation": "r", "owner": people["executive"].pk, "rating": "high",
        "group": [e.pk for e in ran],
    }  # fmt: skip
    response = client.post(f"/e-audit/exceptions/{ran[0].pk}/action/", data)
    finding = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/e-audit/findings/{finding.pk}/"
    assert set(finding.exceptions.values_list("pk", flat=True)) == {e.pk for e in ran}
    assert (
        signed_in_client(people["executive"])
        .post(f"/e-audit/exceptions/{ran[0].pk}/action/", data)
        .status_code
        == 403
    )


def test_risk_pages_and_endpoints(matrix, people):
    services.risk_save(
        actor=people["executive"], code="R-1", objective="o", event="e", cause="c", likelihood=5, impact=4,
        residual_likelihood=2, residual_impact=2, owner=people["executive"], treatment="reduce",
    )  # fmt: skip
    for url in ("/e-audit/risks/", "/e-audit/risks/?format=xlsx", "/api/v1/audit/risks/heatmap"):
        _check(matrix, people, lambda c, u=url: c.get(u), wrong="maker", out="leader")
    html = signed_in_client(people["auditor"]).get("/e-audit/risks/").content.decode()
    assert 'id="heatmap-inherent"' in html and 'data-score="20" data-count="1"' in html
    heat = signed_in_client(people["auditor"]).get("/api/v1/audit/risks/heatmap").json()
    assert heat["inherent"][1][4] == 1 and heat["residual"][3][1] == 1  # impact 4 / likelihood 5; 2 / 2
    # the auditor reads the register but may not add to it
    post = {"code": "R-2", "objective": "o", "event": "e", "cause": "c", "likelihood": "3", "impact": "3",
            "residual_likelihood": "2", "residual_impact": "2", "owner": people["auditor"].pk, "treatment": "accept"}  # fmt: skip
    assert signed_in_client(people["auditor"]).post("/e-audit/risks/", post).status_code == 403
    assert (
        signed_in_client(people["executive"]).post("/e-audit/risks/", {**post, "likelihood": "9"}).status_code
        == 302
    )
    assert not Risk.objects.filter(code="R-2").exists()
    signed_in_client(people["executive"]).post("/e-audit/risks/", post)
    assert Risk.objects.filter(code="R-2").exists()
