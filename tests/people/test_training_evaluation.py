"""Course evaluation (satisfaction 1-5, pre/post test), the unit head's assessment of their staff
and its weight in the plan's KPI, and the self-assessment summary as Excel per unit."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from codi.core.models import AuditEntry
from codi.people import evaluation, kpi, selfassess, supervisor, training
from codi.people.models import Competency, CourseAudience, CourseEvaluation, SupervisorAssessment
from tests.people.conftest import hire
from tests.permissions import signed_in_client

YEAR = 2570  # Oct 2026 - Sep 2027


def _course(org):
    return training.course_create(
        actor=None, title="AI เพื่องานเอกสาร", competency=Competency.AI_WORK, audience=CourseAudience.STAFF,
        start_date=date(2026, 11, 2), org_unit=org["hr"],
    )  # fmt: skip


def test_evaluation_summary_refusals_and_page(org, staff):
    course = _course(org)
    rows = [
        training.attendance_record(actor=None, course=course, employee=staff[k])
        for k in ("north", "head", "south")
    ]
    # the participant rates; HR records the test scores
    evaluation.evaluation_record(actor=staff["north"].user, attendance=rows[0], rating="5", comment="ดีมาก")
    evaluation.evaluation_record(
        actor=staff["hr_all"], attendance=rows[0], rating="5", pre_score="40", post_score="85"
    )
    evaluation.evaluation_record(
        actor=staff["hr_all"], attendance=rows[1], rating=3, pre_score="60", post_score="70"
    )
    evaluation.evaluation_record(actor=staff["south"].user, attendance=rows[2], rating="4")
    summary = evaluation.course_summary(course)
    # rated 5, 3, 4 → satisfied 2 of 3 = 66.7 %; gains 45 and 10 → mean 27.5
    assert (summary.rated, summary.satisfied, summary.satisfied_share) == (3, 2, 66.7)
    assert (summary.tested, summary.mean_pre, summary.mean_post, summary.mean_gain) == (2, 50.0, 77.5, 27.5)
    assert AuditEntry.objects.filter(action="people.course_evaluate").count() == 4
    for bad in ("0", "6", "x", "4.5"):
        with pytest.raises(evaluation.EvaluationError) as caught:
            evaluation.evaluation_record(actor=staff["hr_all"], attendance=rows[1], rating=bad)
        assert caught.value.field == "rating"
    for field, bad in (("pre_score", "-1"), ("post_score", "100.1"), ("post_score", "NaN")):
        with pytest.raises(evaluation.EvaluationError) as caught:
            evaluation.evaluation_record(
                actor=staff["hr_all"], attendance=rows[1], rating="3", **{field: bad}
            )
        assert caught.value.field == field
    assert CourseEvaluation.objects.get(attendance=rows[1]).rating == 3  # nothing half-written
    with pytest.raises(PermissionDenied):  # a colleague rates for someone else
        evaluation.evaluation_record(actor=staff["south"].user, attendance=rows[0], rating="1")
    with pytest.raises(PermissionDenied):  # a participant does not set their own test scores
        evaluation.evaluation_record(
            actor=staff["south"].user, attendance=rows[2], rating="4", post_score="100"
        )
    with pytest.raises(PermissionDenied):  # HR of the north: not the south's evaluation
        evaluation.evaluation_record(actor=staff["hr_north"], attendance=rows[2], rating="1")

    url = reverse("people:course_detail", args=[course.pk])
    hr = signed_in_client(staff["hr_all"])
    page = hr.get(url).content.decode()
    assert "66.7 %" in page and "27.5" in page
    refused = hr.post(url, {"attendance": rows[1].pk, "rating": "3", "pre_score": "150"})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'id="ev-pre-error"' in body and 'value="150"' in body  # beside the field, input kept
    assert signed_in_client(staff["outsider"]).get(url).status_code == 403
    # a participant sees only their own row
    own = signed_in_client(staff["south"].user).get(url).content.decode()
    assert staff["south"].first_name_th in own and staff["north"].first_name_th not in own


def _levels(digital, data, ai):
    return {"digital_literacy": str(digital), "data_governance": str(data), "ai_work": str(ai)}


def test_supervisor_assessment_counts_in_the_kpi(org, staff):
    course = _course(org)
    # by attendance: the north and the south apply AI at work; the head does not
    for key, applies in (("north", True), ("head", False), ("south", True)):
        training.attendance_record(actor=None, course=course, employee=staff[key], applies_at_work=applies)
    assert training.actuals(YEAR)["digital_at_work"] == 66.7  # 2 of 3
    head = staff["head"].user
    assert [e.pk for e in supervisor.my_team(head)] == [staff["north"].pk]
    # the unit head puts the northern worker below level 3 in everything: no longer counted
    supervisor.supervisor_assess(
        actor=head, employee=staff["north"], fiscal_year=YEAR, levels=_levels(2, 2, 2)
    )
    values = training.actuals(YEAR)
    assert (values["digital_at_work"], values["ai_use"]) == (33.3, 33.3)  # only the south
    supervisor.supervisor_assess(
        actor=head, employee=staff["north"], fiscal_year=YEAR, levels=_levels(3, 1, 1)
    )
    values = training.actuals(YEAR)
    assert (values["digital_at_work"], values["ai_use"]) == (66.7, 33.3)  # at work again, but no AI
    north = {r.group: r for r in kpi.breakdown(YEAR, by="unit") if r.indicator == "digital_at_work"}
    assert north[str(org["north"].pk)].count == 1  # the breakdown counts the same way
    assert SupervisorAssessment.objects.filter(employee=staff["north"]).count() == 3
    assert AuditEntry.objects.filter(action="people.supervisor_assess").count() == 2
    # refused: a staff member who heads no unit, HR, someone outside the head's team, a missing level
    for actor in (staff["north"].user, staff["hr_all"], staff["outsider"]):
        with pytest.raises(PermissionDenied):
            supervisor.supervisor_assess(
                actor=actor, employee=staff["north"], fiscal_year=YEAR, levels=_levels(4, 4, 4)
            )
    with pytest.raises(PermissionDenied):
        supervisor.supervisor_assess(
            actor=head, employee=staff["south"], fiscal_year=YEAR, levels=_levels(4, 4, 4)
        )
    with pytest.raises(evaluation.PeopleError):
        supervisor.supervisor_assess(
            actor=head, employee=staff["north"], fiscal_year=YEAR, levels={"ai_work": "4"}
        )
    url = reverse("people:team_skills")
    assert signed_in_client(staff["north"].user).get(url).status_code == 403
    client = signed_in_client(head)
    assert staff["north"].first_name_th in client.get(url).content.decode()
    kept = client.post(url, {"employee": staff["north"].pk, "digital_literacy": "4", "ai_work": "4"})
    assert kept.status_code == 422 and 'id="assess-error-' in kept.content.decode()
    assert client.post(url, {"employee": staff["south"].pk, **_levels(4, 4, 4)}).status_code == 403
    assert client.post(url, {"employee": staff["north"].pk, **_levels(4, 4, 4)}).status_code == 302
    assert training.actuals(YEAR)["ai_use"] == 66.7


def test_self_assessment_summary_excel_per_unit_in_scope(org, staff):
    extra = hire(org["north"], user=None)
    assert extra  # a northern employee without an account does not assess
    for key, levels in (("north", _levels(3, 2, 1)), ("head", _levels(1, 4, 3)), ("south", _levels(4, 4, 4))):
        selfassess.self_assess(actor=staff[key].user, fiscal_year=YEAR, levels=levels)
    url = reverse("people:skills_summary_xlsx") + f"?year={YEAR}"
    response = signed_in_client(staff["hr_north"]).get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    by_skill = {r[2]: r for r in rows}
    # the north only: 2 assessed in each group; level 3+: digital 1, data 1, AI 1
    assert {r[1] for r in rows} == {org["north"].name_th}
    assert len(rows) == 3 and all(r[3] == 2 and r[4] == 1 and r[5] == 50.0 for r in by_skill.values())
    everyone = selfassess.summary_by_unit(actor=staff["hr_all"], fiscal_year=YEAR)
    assert {r.unit for r in everyone} == {org["north"].name_th, org["south"].name_th}
    assert signed_in_client(staff["north"].user).get(url).status_code == 403
