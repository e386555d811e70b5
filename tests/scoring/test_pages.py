"""Organization score page, override with a reason (audited, reported), portal; out-of-scope refused."""

from __future__ import annotations

import math
from datetime import date

import pytest

from codi.core.models import AuditEntry
from codi.identity.models import RoleAssignment
from codi.scoring import selectors, services
from codi.scoring.composite import Method
from codi.scoring.models import IndicatorValue, Override
from tests.factories import OrganizationFactory, UserFactory
from tests.permissions import signed_in_client, status_refused


def user(role: str, level: str = "country", code: str = ""):
    u = UserFactory()
    RoleAssignment.objects.create(user=u, role=role, scope_level=level, scope_code=code)
    return u


@pytest.fixture
def scored(db):
    old = OrganizationFactory(founded_on=date(2000, 1, 1))
    young = OrganizationFactory(founded_on=date(2020, 1, 1))
    undated = OrganizationFactory(founded_on=None)
    snapshot = services.indicators_compute(period=2569, level="organization")
    # Only the founding date is known here: an expert decision that weighs age by half lets the
    # organizations reach the coverage rule (50 % of the weight) on it alone.
    decision = services.weight_decision_record(
        actor=user("regional_director", "region", "northeast"),
        level="organization",
        weights={
            "org_age": 0.5, "org_members": 0.1, "org_completion": 0.1, "org_on_time": 0.1,
            "org_reports_returned": 0.1, "org_loans_over_90": 0.05, "org_self_assessment": 0.01, "org_participation": 0.01, "org_savings": 0.01, "org_leaders_trained": 0.02,
        },
        decided_on=date(2026, 11, 30),
        reference="มติคณะทำงานดัชนี ครั้งที่ 1/2570 วาระ 3",
        reason="ในระยะแรกข้อมูลอื่นยังไม่ครบ",
    )  # fmt: skip
    run = services.index_compute(
        indicator_run=snapshot, method=Method("minmax", "expert", "arithmetic"), weight_decision=decision
    )
    return {"old": old, "young": young, "undated": undated, "run": run, "snapshot": snapshot}


def test_the_snapshot_keeps_inputs_and_leaves_missing_out(scored):
    values = IndicatorValue.objects.filter(run=scored["snapshot"], indicator_key="org_age")
    assert {v.entity for v in values} >= {str(scored["old"].pk), str(scored["young"].pk)}
    assert not values.filter(entity=str(scored["undated"].pk)).exists()  # missing, not zero
    old = values.get(entity=str(scored["old"].pk))
    assert old.inputs == {"founded_on": "2000-01-01"} and old.value == pytest.approx(26.75, abs=0.01)
    score = scored["run"].scores.get(entity=str(scored["old"].pk))
    assert score.score is not None and score.coverage == pytest.approx(0.5)
    assert math.fsum(p["contribution"] for p in score.parts) == score.score
    assert not scored["run"].scores.filter(entity=str(scored["undated"].pk)).exists()  # no data: no score


def test_weights_that_do_not_sum_to_one_are_refused_with_nothing_written(db):
    from django.core.exceptions import ValidationError

    from codi.scoring.models import WeightDecision

    with pytest.raises(ValidationError, match="not 1"):
        services.weight_decision_record(
            actor=user("regional_director", "region", "northeast"), level="subdistrict",
            weights={"sd_organizations": 0.5, "sd_members": 0.5, "sd_completion": 0.5, "sd_on_time": 0.0,
                     "sd_loans_over_90": 0.0, "sd_leaders_trained": 0.0, "sd_feedback_in_time": 0.0},
            decided_on=date(2026, 11, 30), reference="มติที่ 2", reason="ทดสอบ",
        )  # fmt: skip
    assert not WeightDecision.objects.exists()


def test_officer_sees_score_parts_and_overrides_with_a_reason(scored):
    officer = user("project_officer", "province", "40")
    client = signed_in_client(officer)
    org = scored["old"]
    page = client.get(f"/scoring/organizations/{org.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "องค์ประกอบของคะแนน" in html and "อายุขององค์กร" in html and "ข้อเสนอแนะ" in html
    # without a reason: refused, nothing written
    client.post(
        f"/scoring/organizations/{org.pk}/override/", {"kind": "index", "officer_value": "40", "reason": ""}
    )
    assert not Override.objects.exists()
    # with a reason: written and audited, then in the report
    reason = "ลงพื้นที่แล้วพบว่าคณะกรรมการหยุดประชุมมาหนึ่งปี"
    client.post(
        f"/scoring/organizations/{org.pk}/override/",
        {"kind": "index", "officer_value": "40", "reason": reason},
    )
    override = Override.objects.get()
    assert override.officer_value == 40 and override.reason == reason and override.advised is not None
    assert AuditEntry.objects.filter(action="scoring.override.create", object_id=str(override.pk)).exists()
    report = client.get("/scoring/overrides/").content.decode()
    assert reason in report


def test_out_of_scope_users_are_refused(scored):
    org = scored["old"]  # Khon Kaen
    south = signed_in_client(user("project_officer", "region", "south"))
    assert south.get(f"/scoring/organizations/{org.pk}/").status_code == 404
    response = south.post(
        f"/scoring/organizations/{org.pk}/override/",
        {"kind": "index", "officer_value": "40", "reason": "เหตุผลที่ยาวพอสมควร"},
    )
    assert status_refused(response) or response.status_code == 302
    assert not Override.objects.exists()
    executive = signed_in_client(user("executive"))
    assert status_refused(executive.post(f"/scoring/organizations/{org.pk}/override/", {"kind": "index"}))
    leader = signed_in_client(user("community_leader", "subdistrict", "400104"))
    assert status_refused(leader.get("/scoring/my/"))
    assert status_refused(leader.get("/scoring/overrides/"))


def test_override_service_refuses_bad_values(scored):
    officer = user("project_officer", "province", "40")
    score = scored["run"].scores.get(entity=str(scored["old"].pk))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.override_create(
            actor=officer, organization_id=scored["old"].pk, kind="index", officer_value=140,
            reason="เหตุผลที่ยาวพอสมควร", index_score=score,
        )  # fmt: skip
    assert selectors.area_index_values(None, "province") == {}  # no subdistrict index yet


def test_survey_answer_out_of_range_is_refused(scored):
    from django.core.exceptions import ValidationError

    officer = user("project_officer", "province", "40")
    with pytest.raises(ValidationError, match=r"1.*5"):
        services.survey_answer_record(
            actor=officer, organization_id=scored["old"].pk, question="self_assessment", period=2569, value=7
        )
    answer = services.survey_answer_record(
        actor=officer, organization_id=scored["old"].pk, question="self_assessment", period=2569, value=4
    )
    with pytest.raises(ValidationError):  # the one who answered does not review
        services.survey_answer_review(actor=officer, answer=answer, accept=True)
    services.survey_answer_review(actor=user("project_officer", "province", "40"), answer=answer, accept=True)
    feeds = services.feeds_load(period=2569)
    assert feeds.survey[("self_assessment", scored["old"].pk)] == 4


def test_scoring_pages_are_thai_for_the_crawler(scored):
    from tests.crawl.crawler import crawl

    officer = user("project_officer", "province", "40")
    org = scored["old"]
    services.override_create(
        actor=officer, organization_id=org.pk, kind="index", officer_value=50,
        reason="ลงพื้นที่แล้วพบว่าคณะกรรมการหยุดประชุมมาหนึ่งปี",
        index_score=scored["run"].scores.get(entity=str(org.pk)),
    )  # fmt: skip
    client = signed_in_client(officer, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    result = crawl(
        client,
        role="officer",
        start=[f"/scoring/organizations/{org.pk}/", "/scoring/overrides/"],
        usernames={officer.username},
        max_pages=2,
    )
    # This app's own text: the findings on the pages' <main> (the shared menu is the crawl test's).
    mains = {
        url: client.get(url).content.decode().split('<main id="content">', 1)[-1]
        for url in (f"/scoring/organizations/{org.pk}/", "/scoring/overrides/")
    }
    problems = [
        f"{f.kind} {f.url}: {f.detail}"
        for f in result.findings
        if f.url in mains and (f.detail.split("“")[-1].rstrip("”") in mains[f.url] or "“" not in f.detail)
    ]
    assert problems == []


def test_the_area_page_shows_the_scores_of_its_organizations(scored):
    client = signed_in_client(user("project_officer", "province", "40"))
    html = client.get("/areas/400101/").content.decode()
    assert 'id="scoring-panel"' in html
    assert f'href="/scoring/organizations/{scored["old"].pk}/"' in html
    # a user outside the area sees no organization of it in the panel
    south = (
        signed_in_client(user("project_officer", "region", "south")).get("/areas/400101/").content.decode()
    )
    assert f'href="/scoring/organizations/{scored["old"].pk}/"' not in south
