"""The situation room, the annual plan and an engagement with its working papers read in Thai only
(the crawler's check, on pages with data), for a browser that asks for English."""

from __future__ import annotations

import pytest

from codi.audit import planning, services
from codi.identity.models import OrgUnit
from tests.crawl.crawler import crawl
from tests.permissions import signed_in_client
from tests.projects.factories import Cast, project_at, tiny_png

pytestmark = pytest.mark.django_db


def test_new_audit_pages_are_thai(people, engagement, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project_at("report_review", cast=Cast.create())
    unit = OrgUnit.objects.get_or_create(code="HQ-FIN", defaults={"name_th": "ฝ่ายการเงินและบัญชี"})[0]
    services.risk_save(
        actor=people["executive"], code="R-1", unit=unit, objective="การเบิกจ่ายถูกต้อง", event="จ่ายซ้ำ",
        cause="ไม่ตรวจเลขใบแจ้งหนี้", likelihood=4, impact=4, residual_likelihood=3, residual_impact=3,
        owner=people["executive"], treatment="reduce", treatment_plan="", kri="", kri_limit=None, fiscal_year_be=2570,
    )  # fmt: skip
    planning.plan_draft(actor=people["auditor"], fiscal_year_be=2570)
    planning.working_paper_add(
        actor=people["auditor"],
        engagement=engagement,
        title="ทดสอบการอนุมัติ",
        data=tiny_png(),
        filename="a.png",
    )
    pages = [
        "/e-audit/situation/", "/e-audit/situation/?region=northeast", "/e-audit/situation/?province=40",
        "/e-audit/plan/?year=2570", f"/e-audit/engagements/{engagement.pk}/",
    ]  # fmt: skip
    client = signed_in_client(people["auditor"], HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    usernames = {u.username for u in people.values()}
    result = crawl(
        client, role="auditor", start=pages, usernames=usernames, max_pages=len(pages), per_shape=0
    )
    assert sorted(result.visited) == sorted(pages)
    problems = sorted({f"{f.kind} {f.url}: {f.detail}" for f in result.findings})
    assert not problems, "\n".join(problems[:100])
