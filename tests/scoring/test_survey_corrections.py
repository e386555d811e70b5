"""Round three of social scoring: the leaders-trained and feedback indicators from their feeds, the
phone survey and its review, and a community's correction requests (with a PDPA rectification)."""

from __future__ import annotations

import os
from datetime import date, datetime

import pytest
from django.utils import timezone
from stdnum.th import pin

from codi.communities import services as communities
from codi.core.models import AuditEntry
from codi.feedback.models import Ticket
from codi.feedback.scoring_feed import tickets_by_subdistrict
from codi.identity.models import RoleAssignment
from codi.people.models import Attendance, Course, CourseAudience
from codi.people.scoring_feed import leaders_trained_by_organization
from codi.privacy.models import DataSubjectRequest
from codi.scoring import services
from codi.scoring.models import (
    AnswerStatus,
    CorrectionRequest,
    CorrectionStatus,
    IndicatorValue,
    SurveyAnswer,
)
from codi.scoring.tasks import scoring_compute_task
from tests.factories import OrganizationFactory, UserFactory
from tests.permissions import signed_in_client, status_refused
from tests.projects.factories import leader_for


def user(role: str, level: str = "country", code: str = ""):
    u = UserFactory()
    RoleAssignment.objects.create(user=u, role=role, scope_level=level, scope_code=code)
    return u


def _ticket(n: int, code: str, *, created, due, resolved=None) -> Ticket:
    return Ticket.objects.create(
        token_hash=f"scoring-test-{n}",
        channel="web",
        text="ถนนเข้าหมู่บ้านชำรุด",
        subdistrict_id=code,
        created_at=created,
        resolve_due_at=due,
        resolved_at=resolved,
    )


def test_leaders_and_feedback_feeds_become_indicators(db):
    org = OrganizationFactory()  # Khon Kaen 400104 by default
    other = OrganizationFactory()
    leaders = Course.objects.create(
        title="ผู้นำชุมชนกับเครื่องมือดิจิทัล", competency="digital_literacy",
        audience=CourseAudience.LEADERS, start_date=date(2025, 11, 12),
    )  # fmt: skip
    staff_course = Course.objects.create(
        title="ข้อมูลสำหรับเจ้าหน้าที่", competency="data_governance",
        audience=CourseAudience.STAFF, start_date=date(2025, 11, 12),
    )  # fmt: skip
    first = Attendance.objects.create(course=leaders, leader_name="นายสมชาย  ใจดี", organization_id=org.pk)
    # the same leader again (spacing differs): one person; a second leader counts
    Attendance.objects.create(course=leaders, leader_name="นายสมชาย ใจดี", organization_id=org.pk)
    second = Attendance.objects.create(course=leaders, leader_name="นางสมศรี มีสุข", organization_id=org.pk)
    Attendance.objects.create(course=leaders, leader_name="ไม่จบ", organization_id=other.pk, completed=False)
    Attendance.objects.create(course=staff_course, leader_name="เจ้าหน้าที่", organization_id=other.pk)
    assert leaders_trained_by_organization(fiscal_year=2569) == {org.pk: [first.pk, second.pk]}
    assert leaders_trained_by_organization(fiscal_year=2568) == {}

    at = timezone.get_current_timezone()

    def moment(day: date):
        return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10), at)

    in_time = _ticket(1, "400104", created=moment(date(2025, 11, 1)), due=moment(date(2025, 11, 10)),
                      resolved=moment(date(2025, 11, 8)))  # fmt: skip
    late = _ticket(2, "400104", created=moment(date(2025, 11, 1)), due=moment(date(2025, 11, 10)),
                   resolved=moment(date(2025, 11, 20)))  # fmt: skip
    overdue = _ticket(3, "400104", created=moment(date(2025, 12, 1)), due=moment(date(2025, 12, 10)))
    _ticket(4, "400104", created=moment(date(2025, 12, 20)), due=moment(date(2026, 1, 10)))  # not yet due
    _ticket(5, "400104", created=moment(date(2024, 12, 1)), due=moment(date(2024, 12, 10)))  # last year
    feed = tickets_by_subdistrict(fiscal_year=2569, as_of=date(2026, 1, 1))
    assert feed == {"400104": {"due": [in_time.pk, late.pk, overdue.pk], "in_time": [in_time.pk]}}

    snapshot = services.indicators_compute(period=2569, level="organization")
    value = IndicatorValue.objects.get(run=snapshot, indicator_key="org_leaders_trained", entity=str(org.pk))
    assert value.value == 2 and value.inputs["leaders"] == 2
    assert not IndicatorValue.objects.filter(
        run=snapshot, indicator_key="org_leaders_trained", entity=str(other.pk)
    ).exists()  # nobody trained: missing, not zero
    # the scheduled task takes the same snapshot, at both levels, through the same services
    assert [level for level, _entities, _scored in scoring_compute_task.call(2569)] == [
        "organization",
        "subdistrict",
    ]
    area = services.indicators_compute(period=2569, level="subdistrict")
    code = org.subdistrict_id
    assert IndicatorValue.objects.get(run=area, indicator_key="sd_leaders_trained", entity=code).value == 2
    # the area's feedback: 1 of the 4 tickets due by the fiscal year's end was resolved in time
    assert (
        IndicatorValue.objects.get(run=area, indicator_key="sd_feedback_in_time", entity="400104").value
        == 0.25
    )


@pytest.fixture
def community(db):
    org = OrganizationFactory()
    return {"org": org, "leader": leader_for(org), "officer": user("project_officer", "province", "40")}


def test_a_leader_answers_the_survey_on_a_phone_and_an_officer_reviews_it(community):
    org, leader, officer = community["org"], community["leader"], community["officer"]
    client = signed_in_client(leader)
    page = client.get(f"/scoring/organizations/{org.pk}/survey/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="radio"' in html and "มากที่สุด" in html
    # nothing chosen: the error sits beside the question, nothing is written
    bad = client.post(f"/scoring/organizations/{org.pk}/survey/", {})
    assert bad.status_code == 400 and "กรุณาเลือกคำตอบ" in bad.content.decode()
    assert not SurveyAnswer.objects.exists()
    # one question left out: its error beside it, the other answers kept checked, nothing written
    partial = client.post(
        f"/scoring/organizations/{org.pk}/survey/", {"org_self_assessment": "4", "org_participation": "2"}
    )
    html = partial.content.decode()
    assert partial.status_code == 400 and 'id="err-org_savings"' in html
    assert 'name="org_participation" value="2" checked' in html and not SurveyAnswer.objects.exists()
    done = client.post(
        f"/scoring/organizations/{org.pk}/survey/",
        {"org_self_assessment": "4", "org_participation": "2", "org_savings": "5"},
    )
    assert done.status_code == 302
    answers = {a.question: a for a in SurveyAnswer.objects.all()}
    assert {q: a.value for q, a in answers.items()} == {
        "self_assessment": 4,
        "participation": 2,
        "savings": 5,
    }
    answer = answers["self_assessment"]
    assert (answer.status, answer.organization_id) == (AnswerStatus.SUBMITTED, org.pk)
    assert AuditEntry.objects.filter(action="scoring.survey.answer", object_id=str(answer.pk)).exists()

    review = signed_in_client(officer)
    assert "การประเมินตนเอง" in review.get("/scoring/survey/review/").content.decode()
    review.post("/scoring/survey/review/", {"answer": answer.pk, "decision": "accept"})
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.ACCEPTED and answer.reviewed_by == officer


def test_the_survey_and_its_review_refuse_users_outside_the_scope(community):
    org = community["org"]
    # a leader of another organization of the same subdistrict (who may see this one in the registry)
    stranger = leader_for(OrganizationFactory(subdistrict_id=org.subdistrict_id))
    assert status_refused(signed_in_client(stranger).get(f"/scoring/organizations/{org.pk}/survey/"))
    assert status_refused(signed_in_client(stranger).post(f"/scoring/organizations/{org.pk}/survey/", {}))
    south = signed_in_client(user("project_officer", "region", "south"))
    assert status_refused(south.get(f"/scoring/organizations/{org.pk}/survey/"))
    assert status_refused(signed_in_client(community["leader"]).get("/scoring/survey/review/"))
    answer = services.survey_answer_record(
        actor=community["leader"], organization_id=org.pk, question="self_assessment", period=2569, value=3
    )
    # an officer of another region does not see it and cannot decide it
    assert "ไม่มีคำตอบที่รอตรวจ" in south.get("/scoring/survey/review/").content.decode()
    assert (
        south.post("/scoring/survey/review/", {"answer": answer.pk, "decision": "accept"}).status_code == 404
    )
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SUBMITTED


def test_a_correction_request_is_answered_and_files_a_rectification(community):
    org, leader, officer = community["org"], community["leader"], community["officer"]
    body = "310060051234"
    national_id = body + pin.calc_check_digit(body)
    communities.person_create(
        actor=officer, national_id=national_id, first_name_th="สมชาย", last_name_th="ใจดี", title_th="นาย",
        birth_year=1970, gender="male", subdistrict_code="400104",
    )  # fmt: skip
    client = signed_in_client(leader)
    form = client.get(f"/scoring/my/{org.pk}/correction/?indicator=org_members")
    assert form.status_code == 200 and 'value="org_members" selected' in form.content.decode()
    # no message: the error beside the field, the choice kept, nothing written
    bad = client.post(f"/scoring/my/{org.pk}/correction/", {"indicator_key": "org_members", "message": ""})
    html = bad.content.decode()
    assert bad.status_code == 400 and "กรุณาบอกว่าข้อมูลใดไม่ถูกต้อง" in html
    assert 'value="org_members" selected' in html and not CorrectionRequest.objects.exists()
    # an unknown national ID: refused beside the field, the message kept
    message = "สมาชิกมี 45 คน ไม่ใช่ 12 คน"
    unknown = body[:-1] + "9"
    bad = client.post(
        f"/scoring/my/{org.pk}/correction/",
        {
            "indicator_key": "org_members",
            "message": message,
            "national_id": unknown + pin.calc_check_digit(unknown),
        },
    )
    assert bad.status_code == 400 and message in bad.content.decode()
    assert not CorrectionRequest.objects.exists() and not DataSubjectRequest.objects.exists()
    ok = client.post(
        f"/scoring/my/{org.pk}/correction/",
        {"indicator_key": "org_members", "message": message, "national_id": national_id},
    )
    assert ok.status_code == 302
    row = CorrectionRequest.objects.get()
    dsr = DataSubjectRequest.objects.get(pk=row.privacy_request_id)
    assert dsr.kind == "rectification" and message in dsr.details
    assert AuditEntry.objects.filter(action="scoring.correction.request", object_id=str(row.pk)).exists()

    officer_client = signed_in_client(officer)
    listing = officer_client.get("/scoring/corrections/").content.decode()
    assert message in listing and org.name_th in listing and "จำนวนสมาชิก" in listing
    officer_client.post("/scoring/corrections/", {"request": row.pk, "decision": "corrected", "reply": ""})
    row.refresh_from_db()
    assert row.status == CorrectionStatus.OPEN  # a reply is required
    reply = "แก้ทะเบียนสมาชิกแล้ว คะแนนรอบหน้าจะใช้ตัวเลขใหม่"
    officer_client.post("/scoring/corrections/", {"request": row.pk, "decision": "corrected", "reply": reply})
    row.refresh_from_db()
    assert row.status == CorrectionStatus.CORRECTED and row.resolved_by == officer
    portal = client.get("/scoring/my/").content.decode()
    assert reply in portal and org.name_th in portal and "ขอแก้ไข" in portal


def test_correction_requests_refuse_users_outside_the_scope(community):
    org, leader = community["org"], community["leader"]
    stranger = leader_for(OrganizationFactory())
    assert status_refused(signed_in_client(stranger).get(f"/scoring/my/{org.pk}/correction/"))
    refused = signed_in_client(stranger).post(
        f"/scoring/my/{org.pk}/correction/", {"indicator_key": "org_members", "message": "ผิด"}
    )
    assert status_refused(refused) and not CorrectionRequest.objects.exists()
    officer = signed_in_client(community["officer"])
    assert status_refused(officer.get(f"/scoring/my/{org.pk}/correction/"))  # staff are not the community
    assert status_refused(signed_in_client(leader).get("/scoring/corrections/"))
    client = signed_in_client(leader)
    client.post(f"/scoring/my/{org.pk}/correction/", {"indicator_key": "org_members", "message": "สมาชิกผิด"})
    row = CorrectionRequest.objects.get()
    south = signed_in_client(user("project_officer", "region", "south"))
    assert "สมาชิกผิด" not in south.get("/scoring/corrections/").content.decode()
    south.post("/scoring/corrections/", {"request": row.pk, "decision": "refused", "reply": "ไม่แก้"})
    row.refresh_from_db()
    assert row.status == CorrectionStatus.OPEN


def test_the_demo_leaves_answers_and_a_request_that_officers_can_act_on(db):
    from django.core.management import call_command

    from codi.identity.models import User
    from codi.projects.generator import projects_demo_load
    from codi.web.demo import demo_load

    demo_load()
    projects_demo_load(count=60, today=date(2026, 11, 29))
    call_command("load_scoring_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    officer = signed_in_client(User.objects.get(username="demo_officer"))
    leader = signed_in_client(User.objects.get(username="demo_leader"))
    pending = SurveyAnswer.objects.filter(status=AnswerStatus.SUBMITTED)
    assert pending.count() >= 1
    assert "รับคำตอบ" in officer.get("/scoring/survey/review/").content.decode()
    officer.post("/scoring/survey/review/", {"answer": pending[0].pk, "decision": "accept"})
    assert SurveyAnswer.objects.filter(status=AnswerStatus.ACCEPTED).count() == 1
    row = CorrectionRequest.objects.get()
    assert "สมาชิกใหม่" in officer.get("/scoring/corrections/").content.decode()
    officer.post(
        "/scoring/corrections/", {"request": row.pk, "decision": "corrected", "reply": "เพิ่มสมาชิกแล้ว"}
    )
    row.refresh_from_db()
    assert row.status == CorrectionStatus.CORRECTED
    assert "เพิ่มสมาชิกแล้ว" in leader.get("/scoring/my/").content.decode()
    assert 'href="/scoring/my/"' in leader.get("/").content.decode()  # the leader's workspace links to it
    # the index on the areas' choropleth map: its values come through the areas API
    values = officer.get("/api/v1/areas/indicators/scoring_index?level=province")
    assert values.status_code == 200 and "values" in values.json()
