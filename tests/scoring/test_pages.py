"""Organization score page, override with a reason (audited, reported), portal; out-of-scope refused."""

from __future__ import annotations

from datetime import date

import pytest

from codi.core.models import AuditEntry
from codi.identity.models import RoleAssignment
from codi.scoring import selectors, services
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
    run = services.index_compute(indicator_run=snapshot)
    return {"old": old, "young": young, "undated": undated, "run": run, "snapshot": snapshot}


def test_the_snapshot_keeps_inputs_and_leaves_missing_out(scored):
    values = IndicatorValue.objects.filter(run=scored["snapshot"], indicator_key="org_age")
    assert {v.entity for v in values} >= {str(scored["old"].pk), str(scored["young"].pk)}
    assert not values.filter(entity=str(scored["undated"].pk)).exists()  # missing, not zero
    old = values.get(entity=str(scored["old"].pk))
    assert old.inputs == {"founded_on": "2000-01-01"} and old.value == pytest.approx(26.75, abs=0.01)
    score = scored["run"].scores.get(entity=str(scored["old"].pk))
    assert sum(p["contribution"] for p in score.parts) == score.score


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
    with pytest.raises(ValidationError, match="between 1 and 5"):
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
