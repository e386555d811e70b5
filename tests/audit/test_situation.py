"""The situation room: figures by region then province read through the projects and finance
selectors, exceptions and findings placed by their source record, and the viewer's scope."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from codi.areas.models import Region
from codi.audit import services, situation
from codi.audit.models import AnalyticsRun, AuditException
from codi.core.models import AuditEntry
from codi.finance import ledger
from codi.finance.models import Account, BudgetCategory
from codi.identity.models import OrgUnit
from codi.projects.models import Installment, Project
from tests.audit.conftest import make_user
from tests.permissions import signed_in_client
from tests.projects.factories import Cast, project_at

pytestmark = pytest.mark.django_db


def _exception(run: AnalyticsRun, rule: str, record: str, source_type: str, source_id: str) -> AuditException:
    return AuditException.objects.create(
        rule=rule, record_id=record, reason="ทดสอบ", source_type=source_type, source_id=source_id,
        first_run=run, last_run=run,
    )  # fmt: skip


@pytest.fixture
def room(people):
    """A Khon Kaen project with one installment paid, an open exception on it raised as an
    overdue finding, an exception on a requisition (no area), and a northeast budget line at 95 %."""
    cast = Cast.create()
    project = project_at("report_review", cast=cast)
    run = AnalyticsRun.objects.create(trigger="on_demand", started_at=timezone.now())
    on_project = _exception(run, "pms_without_report", project.code, "projects.Project", str(project.pk))
    _exception(run, "round_amount", project.code, "projects.Project", str(project.pk))
    _exception(run, "split_purchase", "PR-1", "procurement.Requisition", "1")
    engagement = services.engagement_create(
        actor=people["auditor"], title="ตรวจสอบโครงการ", scope="โครงการภาคอีสาน", fiscal_year_be=2570
    )
    finding = services.finding_raise(
        actor=people["auditor"], engagement=engagement, title="เบิกจ่ายก่อนรายงาน", condition="c", criteria="c",
        cause="c", effect="e", recommendation="r", owner=people["executive"], exception_ids=[on_project.pk],
    )  # fmt: skip
    finding.due_date = timezone.localdate() - timedelta(days=3)
    finding.save(update_fields=["due_date"])
    ledger.chart_load(actor=None)
    year = ledger.fiscal_year_ensure(actor=None, year_be=situation._fiscal_year_be())
    unit = OrgUnit.objects.get_or_create(code="R-NE", defaults={"name_th": "สำนักงานภาคอีสาน"})[0]
    line = ledger.budget_line_create(
        actor=None, fiscal_year=year, code="NE-01", name="งบดำเนินงานภาคอีสาน", unit=unit,
        category=BudgetCategory.OPERATING, expense_account=Account.objects.get(code="5104010112"),
        allocated=Decimal("100000.00"), region=Region.objects.get(code="northeast"),
    )  # fmt: skip
    type(line).objects.filter(pk=line.pk).update(actual=Decimal("95000.00"))
    return {"project": project, "finding": finding, "cast": cast}


def test_country_level_rows_are_regions_with_the_projects_own_numbers(people, room):
    found = situation.situation(actor=people["auditor"])
    assert found is not None and found.level == "country"
    rows = {r.code: r for r in found.rows}
    ne = rows["northeast"]
    disbursed = sum(i.amount for i in Installment.objects.filter(status="disbursed"))
    assert ne.projects == Project.objects.count() == 1
    assert ne.approved == room["project"].approved_amount and ne.disbursed == disbursed > 0
    assert ne.disbursed_percent == (disbursed * 100 / ne.approved).quantize(Decimal("0.1"))
    assert ne.unreported == disbursed  # the report is still in review, not accepted
    assert ne.lines_near_exhaustion == 1 and ne.budget_percent == Decimal("95.0")
    assert (ne.exceptions, ne.findings, ne.overdue_actions) == (1, 1, 1)
    # the requisition has no area: counted organization-wide, in the total
    assert found.organization_wide is not None and found.organization_wide.exceptions == 1
    assert found.total.exceptions == 2 and found.total.findings == 1
    chart = situation.chart(found)["regions"]
    assert chart["labels"] == [ne.label] and chart["disbursed"] == [float(disbursed)]


def test_drill_down_to_the_province_lists_the_records(people, room):
    region = situation.situation(actor=people["auditor"], region="northeast")
    assert region is not None and region.level == "region"
    khon_kaen = next(r for r in region.rows if r.code == "40")
    assert khon_kaen.projects == 1 and khon_kaen.exceptions == 1 and khon_kaen.findings == 1
    assert all(r.projects == 0 for r in region.rows if r.code != "40")
    province = situation.situation(actor=people["auditor"], province="40")
    assert province is not None and province.level == "province" and province.region.code == "northeast"
    assert {(i.kind, i.source_id) for i in province.items} == {
        ("exception", str(room["project"].pk)),
        ("finding", str(room["project"].pk)),
    }


def test_regional_director_sees_only_their_region(people, room):
    director = people["director"]  # regional director, northeast
    found = situation.situation(actor=director)
    assert found is not None
    assert [r.code for r in found.rows] == ["northeast"]
    assert found.organization_wide is None and found.total.exceptions == 1
    assert situation.situation(actor=director, region="north") is None
    assert situation.situation(actor=director, province="10") is None  # Bangkok
    assert situation.situation(actor=director, province="40") is not None
    assert situation.situation(actor=people["maker"]) is None  # no eaudit.view


def test_page_and_api(people, room, matrix):
    client = signed_in_client(people["auditor"])
    html = client.get("/e-audit/situation/").content.decode()
    assert 'id="chart-regions"' in html and 'id="chart-data"' in html and "?region=northeast" in html
    html = client.get("/e-audit/situation/?province=40").content.decode()
    assert f"/projects/{room['project'].pk}/" in html and f"/e-audit/findings/{room['finding'].pk}/" in html
    assert client.get("/e-audit/situation/?region=nowhere").status_code == 404
    assert client.get("/e-audit/situation/?year=abc").status_code == 200
    body = json.loads(client.get("/api/v1/audit/situation?region=northeast").content)
    views = AuditEntry.objects.filter(action="eaudit.situation_view", actor_id=people["auditor"].pk)
    assert {e.object_id for e in views} >= {"country", "40", "northeast"}
    assert body["level"] == "region" and any(r["code"] == "40" and r["projects"] == 1 for r in body["rows"])
    # the director reads their own region; another region is out of their scope
    director = signed_in_client(people["director"])
    assert director.get("/e-audit/situation/?region=northeast").status_code == 200
    for url in ("/e-audit/situation/?region=north", "/api/v1/audit/situation?region=north"):
        matrix.check(
            lambda c, url=url: c.get(url), allowed=people["auditor"], wrong_role=people["maker"],
            out_of_scope=people["director"],
        )  # fmt: skip


def test_open_findings_and_exceptions_per_province_on_the_areas_map(people, room):
    province = room["project"].subdistrict_id[:2]
    assert situation.province_counts(actor=people["auditor"]) == {
        province: (1, 1)
    }  # the requisition has no area
    other_region = Region.objects.exclude(code="northeast").order_by("code").first()
    elsewhere = make_user("regional_director", "region", other_region.code)
    expected = {
        people["auditor"]: {province: 1.0}, people["director"]: {province: 1.0},  # the director's own region
        elsewhere: {}, people["maker"]: {},  # another region's director; no e-Audit right at all
    }  # fmt: skip
    for user, values in expected.items():
        for key in ("eaudit_findings", "eaudit_exceptions"):
            body = signed_in_client(user).get(f"/api/v1/areas/indicators/{key}?level=province").json()
            assert body["values"] == values, (user.username, key)
    # Placed below the province: the project's subdistrict counts there, in its district and province.
    subdistrict = room["project"].subdistrict_id
    district = room["project"].subdistrict.district_id
    assert situation.area_item_counts(actor=people["auditor"], level="district") == {district: (1, 1)}
    assert situation.area_item_counts(actor=people["auditor"], level="subdistrict") == {subdistrict: (1, 1)}
    assert situation.area_item_counts(actor=elsewhere, level="subdistrict") == {}
    assert situation.area_item_counts(actor=people["auditor"], level="village") == {}
    for level, code in (("district", district), ("subdistrict", subdistrict)):
        url = f"/api/v1/areas/indicators/eaudit_findings?level={level}&province={province}"
        assert signed_in_client(people["auditor"]).get(url).json()["values"] == {code: 1.0}
        assert signed_in_client(elsewhere).get(url).json()["values"] == {}
    html = signed_in_client(people["auditor"]).get("/e-audit/situation/").content.decode()
    assert 'id="situation-map"' in html and "/areas/map/?indicator=eaudit_findings" in html
    page = signed_in_client(people["auditor"]).get("/areas/map/?indicator=eaudit_findings")
    assert page.status_code == 200 and "/api/v1/areas/indicators/eaudit_findings" in page.content.decode()
