"""The demo projects carry real engine state: every one loads in SpiffWorkflow at the step the
project shows, and every step can be completed on demo data by the demo user whose role it is,
through the same pages the README's "What to try" table sends people to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from codi.identity.models import User
from codi.projects import workflow
from codi.projects.generator import LEADER_SUBDISTRICT, projects_demo_load
from codi.projects.models import Installment, ProgressReport, Project, ProjectStep
from codi.web.demo import demo_load
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

FINISHED = ("closed", "rejected", "cancelled")


@pytest.fixture
def demo():
    demo_load()
    projects_demo_load(count=250)


def test_every_demo_project_state_loads_at_its_step(demo):
    projects = list(
        Project.objects.filter(is_demo=True).only("pk", "status", "current_step", "workflow_state")
    )
    assert len(projects) == 250
    steps_seen = set()
    for project in projects:
        assert project.workflow_state, project.pk
        engine = workflow._load(project.workflow_state)
        ready = [t.task_spec.name for t in workflow._ready_tasks(engine)]
        if project.status in FINISHED:
            assert ready == [], (project.pk, project.status, ready)
            assert project.current_step == ""
        else:
            assert ready == [project.current_step], (project.pk, project.status, ready)
            open_steps = ProjectStep.objects.filter(project=project, completed_at__isnull=True)
            assert list(open_steps.values_list("task_key", flat=True)) == [project.current_step]
        steps_seen.update(ready)
    assert steps_seen == set(workflow.STEPS)  # every step of the process is open somewhere


def _pick(step: str, *, leader_org: bool = False) -> Project:
    projects = Project.objects.filter(is_demo=True, current_step=step, subdistrict__code__startswith="40")
    if leader_org:
        projects = projects.filter(
            subdistrict_id=LEADER_SUBDISTRICT,
            lead_organization__portal_accounts__user__username="demo_leader",
        )
    project = projects.order_by("pk").first()
    assert project is not None, f"no demo project in Khon Kaen at step {step}"
    return project


def _client(username: str):
    return signed_in_client(User.objects.get(username=username))


def _act(username: str, project: Project, action: str, data: dict) -> None:
    response = _client(username).post(reverse("projects:project_action", args=[project.pk, action]), data)
    assert response.status_code == 302, (action, response.status_code)


def _moved(project: Project, step: str) -> None:
    project.refresh_from_db()
    assert project.current_step != step, (project.pk, step)
    assert ProjectStep.objects.filter(project=project, task_key=step, completed_at__isnull=False).exists()


def test_each_step_is_done_by_its_demo_user_through_the_pages(demo):
    leader = _client("demo_leader")

    project = _pick("draft", leader_org=True)
    _act("demo_leader", project, "submit", {})
    _moved(project, "draft")

    project = _pick("screening")
    _act("demo_officer", project, "screen", {"decision": "pass", "comment": "ครบถ้วน"})
    _moved(project, "screening")

    project = _pick("committee")
    _act("demo_director", project, "committee", {"decision": "recommend"})
    _moved(project, "committee")

    project = _pick("approval")
    amount = str(project.requested_amount)
    _act(
        "demo_director",
        project,
        "approve",
        {"decision": "approve", "approved_amount": amount, "inst_1_amount": amount},
    )
    _moved(project, "approval")

    project = _pick("agreement")
    _act("demo_officer", project, "sign", {})
    _moved(project, "agreement")

    project = _pick("disburse")
    finance = _client("demo_finance")
    page = finance.get(reverse("projects:project_detail", args=[project.pk]))
    assert page.status_code == 200
    paid_before = Installment.objects.filter(project=project, status="disbursed").count()
    response = finance.post(
        reverse("projects:project_action", args=[project.pk, "disburse"]),
        {
            "idempotency_key": page.context["idempotency_key"],
            "installment": page.context["next_installment"].pk,
            "reference": "DEMO-TEST",
        },
    )
    assert response.status_code == 302
    assert Installment.objects.filter(project=project, status="disbursed").count() == paid_before + 1
    _moved(project, "disburse")

    for step in ("progress_report", "final_report"):
        project = _pick(step, leader_org=True)
        url = reverse("projects:report_create", args=[project.pk])
        assert leader.get(url).status_code == 200
        response = leader.post(url, {"narrative": "ชุมชนซ่อมบ้านเสร็จ 12 หลัง"})
        assert response.status_code == 302, response.content[:500]
        _moved(project, step)

    for step in ("report_review", "final_review"):
        project = _pick(step)
        report = ProgressReport.objects.get(project=project, status="submitted")
        _act("demo_officer", project, "review_report", {"report": report.pk, "decision": "accept"})
        _moved(project, step)

    project = _pick("closure")
    _act("demo_officer", project, "close", {"evaluation": "บรรลุเป้าหมาย ชุมชนดูแลต่อเอง"})
    project.refresh_from_db()
    assert project.status == "closed"


def test_every_demo_role_has_something_due(demo):
    due = {
        "demo_leader": ["draft", "progress_report", "final_report"],
        "demo_officer": ["screening", "agreement", "report_review", "final_review", "closure"],
        "demo_director": ["committee", "approval"],
        "demo_finance": ["disburse"],
    }
    for username, steps in due.items():
        inbox = _client(username).get(reverse("projects:inbox"))
        assert inbox.status_code == 200
        for step in steps:
            _pick(step, leader_org=username == "demo_leader")


@pytest.mark.parametrize(
    ("action", "step", "data", "field"),
    [
        ("screen", "screening", {"decision": "revise", "comment": ""}, "comment"),
        ("screen", "screening", {"decision": "reject", "comment": "  "}, "comment"),
        ("committee", "committee", {"decision": "revise"}, "comment"),
        (
            "approve",
            "approval",
            {"decision": "approve", "approved_amount": "1000", "inst_1_amount": "1000"},
            "reduction_reason",
        ),
    ],
)
def test_a_refused_decision_keeps_the_choice_and_shows_the_error_beside_the_field(
    demo, action, step, data, field
):
    project = _pick(step)
    user = "demo_officer" if action == "screen" else "demo_director"
    response = _client(user).post(reverse("projects:project_action", args=[project.pk, action]), data)
    assert response.status_code == 200
    kept = response.context["keep"][action]
    assert (kept["decision"], kept["field"]) == (data["decision"], field)
    html = response.content.decode()
    assert f'<option value="{data["decision"]}" selected>' in html
    assert 'class="error"' in html and kept["error"] in html
    project.refresh_from_db()
    assert project.current_step == step  # nothing recorded


def test_a_refused_review_keeps_the_return_choice(demo):
    project = _pick("report_review")
    report = ProgressReport.objects.get(project=project, status="submitted")
    response = _client("demo_officer").post(
        reverse("projects:project_action", args=[project.pk, "review_report"]),
        {"report": report.pk, "decision": "return", "comment": ""},
    )
    assert response.status_code == 200
    assert '<option value="return" selected>' in response.content.decode()
    assert response.context["keep"]["review_report"]["field"] == "comment"


def test_the_leaders_portal_lists_reports_to_send_and_only_future_payments_as_to_come(demo):
    from django.utils import timezone

    response = _client("demo_leader").get(reverse("projects:portal"))
    assert response.status_code == 200
    due = {s.task_key for s in response.context["due"]}
    assert {"draft", "progress_report", "final_report"} <= due
    today = timezone.localdate()
    assert response.context["installments"]
    assert all(i.due_date is None or i.due_date >= today for i in response.context["installments"])
    assert all(i.due_date < today for i in response.context["installments_waiting"])
