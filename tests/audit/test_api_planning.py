"""The audit plan, engagements, working papers and the signed report through /api/v1/audit:
read-only, scoped like the pages (a finance officer and a regional director are refused)."""

from __future__ import annotations

import pytest

from codi.audit import planning, services
from codi.audit.models import EngagementReport
from codi.core.models import AuditEntry
from codi.identity.models import OrgUnit
from tests.permissions import signed_in_client
from tests.projects.factories import tiny_png

pytestmark = pytest.mark.django_db
YEAR = 2570


@pytest.fixture
def plan(people):
    fin = OrgUnit.objects.get_or_create(code="HQ-FIN", defaults={"name_th": "ฝ่ายการเงินและบัญชี"})[0]
    for code, unit, residual in (("R-FIN-1", fin, (4, 4)), ("R-ORG-1", None, (2, 2))):
        services.risk_save(
            actor=people["executive"], code=code, unit=unit, objective="o", event=f"เหตุการณ์ {code}", cause="c",
            likelihood=5, impact=5, residual_likelihood=residual[0], residual_impact=residual[1],
            owner=people["executive"], treatment="reduce", treatment_plan="", kri="", kri_limit=None,
            fiscal_year_be=YEAR,
        )  # fmt: skip
    plan = planning.plan_draft(actor=people["auditor"], fiscal_year_be=YEAR)
    return planning.plan_approve(actor=people["executive"], plan=plan)


def test_plan_engagements_and_papers_read_in_scope_only(people, plan, settings, tmp_path, matrix):
    settings.MEDIA_ROOT = tmp_path
    rows = planning.planned_rows(plan)
    engagement = planning.planned_start(actor=people["auditor"], planned=rows[0], scope="การเบิกจ่าย")
    paper = planning.working_paper_add(
        actor=people["auditor"],
        engagement=engagement,
        title="ทดสอบการอนุมัติ",
        data=tiny_png(),
        filename="a.png",
    )
    body = signed_in_client(people["executive"]).get(f"/api/v1/audit/plans/{YEAR}").json()
    assert body["status"] == "approved" and body["approved_by_id"] == people["executive"].pk
    assert [(p["rank"], p["unit_code"], p["risk_score"]) for p in body["planned"]] == [
        (1, "HQ-FIN", 16),
        (2, None, 4),
    ]
    assert body["planned"][0]["engagement_id"] == engagement.pk
    auditor = signed_in_client(people["auditor"])
    assert auditor.get(f"/api/v1/audit/plans/{YEAR + 1}").status_code == 404
    items = auditor.get(f"/api/v1/audit/engagements?fiscal_year_be={YEAR}").json()["items"]
    assert [(e["number"], e["unit_code"], e["working_papers"], e["report_signed"]) for e in items] == [
        (engagement.number, "HQ-FIN", 1, False)
    ]
    papers = auditor.get(f"/api/v1/audit/engagements/{engagement.pk}/working-papers").json()
    assert [(p["reference"], p["document_id"], p["reviewed_at"]) for p in papers] == [
        (paper.reference, paper.document_id, None)
    ]
    # not signed yet: no report, and the API never prints an unsigned one
    assert auditor.get(f"/api/v1/audit/engagements/{engagement.pk}/report").status_code == 404
    assert auditor.get(f"/api/v1/audit/engagements/{engagement.pk}/report.pdf").status_code == 404
    assert not EngagementReport.objects.exists()
    for url in (
        f"/api/v1/audit/plans/{YEAR}",
        "/api/v1/audit/engagements",
        f"/api/v1/audit/engagements/{engagement.pk}",
        f"/api/v1/audit/engagements/{engagement.pk}/working-papers",
    ):
        matrix.check(
            lambda c, url=url: c.get(url), allowed=people["auditor2"], wrong_role=people["maker"],
            out_of_scope=people["director"],
        )  # fmt: skip


def test_engagement_team_set_through_the_api_same_rules_as_the_page(people, engagement, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"/api/v1/audit/engagements/{engagement.pk}/team"
    paper = planning.working_paper_add(
        actor=people["auditor"], engagement=engagement, title="หลักฐาน", data=tiny_png(), filename="p.png"
    )
    file_url = f"/api/v1/documents/documents/{paper.document_id}/versions/1/file"
    second = signed_in_client(people["auditor2"])
    assert second.get(file_url).status_code in {403, 404}
    body = {"member_ids": [people["auditor2"].pk]}
    # Refused: an auditor who is not the lead, a finance officer, a regional director; nothing changes.
    assert second.put(url, body, content_type="application/json").status_code == 403
    for outsider in ("maker", "director"):
        client = signed_in_client(people[outsider])
        assert client.put(url, body, content_type="application/json").status_code == 403
    # Refused with the reason: a member who is not an internal auditor, a user who does not exist.
    lead = signed_in_client(people["auditor"])
    bad = lead.put(url, {"member_ids": [people["maker"].pk]}, content_type="application/json")
    assert bad.status_code == 422 and "internal auditors" in bad.json()["detail_en"]
    assert lead.put(url, {"member_ids": [999999]}, content_type="application/json").status_code == 422
    assert list(engagement.team.all()) == [people["auditor"]]
    assert AuditEntry.objects.filter(action="eaudit.engagement_team").count() == 0
    # The lead sets it: the lead stays on the team, the working paper opens to the new member, audited.
    ok = lead.put(url, body, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["team_ids"] == sorted([people["auditor"].pk, people["auditor2"].pk])
    assert second.get(file_url).status_code == 200
    entry = AuditEntry.objects.get(action="eaudit.engagement_team")
    assert entry.actor_id == people["auditor"].pk and entry.object_id == str(engagement.pk)
    # Taken off again: the file closes to them.
    assert lead.put(url, {"member_ids": []}, content_type="application/json").json()["team_ids"] == [
        people["auditor"].pk
    ]
    assert second.get(file_url).status_code in {403, 404}
