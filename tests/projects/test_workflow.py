"""The BPMN files parse, and the to-be process runs end to end through the services."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from codi.projects import services, workflow
from codi.projects.models import BudgetLine, Installment, Project, ProjectStep
from tests.projects.factories import Cast, disburse, new_project, report

pytestmark = pytest.mark.django_db

PROCESSES = sorted((Path(workflow.__file__).parent / "processes").glob("*.bpmn"))


def test_there_are_an_asis_and_a_tobe_process():
    assert [p.name for p in PROCESSES] == ["project_asis.bpmn", "project_tobe.bpmn"]


@pytest.mark.parametrize("path", PROCESSES, ids=lambda p: p.name)
def test_every_bpmn_file_is_valid_and_parses_with_a_diagram(path):
    from lxml import etree
    from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator

    parser = BpmnParser(validator=BpmnValidator())
    parser.add_bpmn_file(str(path))
    (process_id,) = parser.process_parsers
    # The as-is process is documentation (isExecutable="false"); build its spec all the same to
    # prove the graph is well formed.
    parser.get_process_parser(process_id).process_executable = True
    spec = parser.get_spec(process_id)
    tree = etree.parse(str(path))
    ns = {
        "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
        "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    }
    elements = {e.get("id") for e in tree.xpath("//bpmn:process/*[@id]", namespaces=ns)}
    drawn = {e.get("bpmnElement") for e in tree.xpath("//bpmndi:BPMNShape|//bpmndi:BPMNEdge", namespaces=ns)}
    assert spec is not None
    assert elements == drawn


def test_every_user_task_of_the_tobe_process_has_a_step_definition():
    from SpiffWorkflow.bpmn.parser import BpmnParser
    from SpiffWorkflow.bpmn.specs.defaults import UserTask

    parser = BpmnParser()
    parser.add_bpmn_file(str(workflow.TOBE_FILE))
    spec = parser.get_spec(workflow.PROCESS_ID)
    user_tasks = {name for name, t in spec.task_specs.items() if isinstance(t, UserTask)}
    assert user_tasks == set(workflow.STEPS)


def test_the_raw_engine_runs_the_process_end_to_end():
    assert workflow.raw_engine_run(installments=3) == 15


def _steps(project):
    return list(ProjectStep.objects.filter(project=project).order_by("id").values_list("task_key", "outcome"))


def test_the_tobe_process_runs_end_to_end_through_the_services_with_revisions(
    django_capture_on_commit_callbacks,
):
    # given a proposal by a community and the people of each step
    cast = Cast.create()
    project = new_project(cast=cast)
    assert (project.status, project.current_step) == ("draft", "draft")
    assert workflow.diagram_state(project)["current"] == ["draft"]

    # when it goes through screening (returned once), committee (returned once) and approval with a cut
    project = services.project_submit(actor=cast.leader, project=project)
    assert (project.status, project.current_step) == ("screening", "screening")
    project = services.project_screen(
        actor=cast.officer, project=project, decision="revise", comment="แนบแผนที่"
    )
    assert (project.status, project.current_step) == ("revision", "draft")
    project = services.project_update(actor=cast.leader, project=project, rationale="แนบแผนที่แล้ว")
    project = services.project_submit(actor=cast.leader, project=project)
    project = services.project_screen(actor=cast.officer, project=project, decision="pass")
    assert project.status == "committee"
    project = services.project_committee_review(
        actor=cast.director, project=project, decision="revise", comment="ลดงบครุภัณฑ์"
    )
    assert project.status == "revision"
    project = services.project_submit(actor=cast.leader, project=project)
    project = services.project_screen(actor=cast.officer, project=project, decision="pass")
    project = services.project_committee_review(actor=cast.director, project=project, decision="recommend")
    assert project.status == "approval"
    project = services.project_approve(
        actor=cast.director,
        project=project,
        decision="approve",
        approved_amount=Decimal("270000.00"),
        reduction_reason="ปรับลดค่าครุภัณฑ์",
        installments=[
            services.InstallmentPlan(amount=Decimal("90000.00"), conditions=f"งวด {n}") for n in (1, 2, 3)
        ],
    )
    assert (project.status, project.current_step, project.approved_amount) == (
        "approved",
        "agreement",
        Decimal("270000.00"),
    )
    project = services.project_agreement_sign(actor=cast.officer, project=project)
    assert (project.status, project.current_step) == ("agreement_signed", "disburse")

    # then three installments, each paid after the previous report was accepted (one returned once)
    for number in (1, 2, 3):
        with pytest.raises(services.ProjectError) as not_yet:
            services.report_submit(actor=cast.leader, project=project, narrative="ก่อนจ่าย")
        assert not_yet.value.code == "wrong_step"
        disburse(project, cast)
        project = Project.objects.get(pk=project.pk)
        if number < 3:
            assert (project.status, project.current_step) == ("in_progress", "progress_report")
            with pytest.raises(services.ProjectError) as early:
                disburse(project, cast)
            assert early.value.code == "conditions_not_met"
            first = report(project, cast)
            if number == 2:
                services.report_review(
                    actor=cast.officer, report=first, decision="return", comment="ขาดใบเสร็จ"
                )
                assert Project.objects.get(pk=project.pk).current_step == "progress_report"
                first = report(project, cast)
            services.report_review(actor=cast.officer, report=first, decision="accept")
    assert (project.status, project.current_step) == ("final_report", "final_report")
    final = report(project, cast, final=True)
    services.report_review(actor=cast.officer, report=final, decision="return", comment="เพิ่มภาพถ่าย")
    final = report(project, cast, final=True)
    services.report_review(actor=cast.officer, report=final, decision="accept")
    with django_capture_on_commit_callbacks(execute=True):
        project = services.project_close(
            actor=cast.officer, project=Project.objects.get(pk=project.pk), evaluation="บรรลุเป้าหมาย"
        )

    assert (project.status, project.current_step, project.evaluation) == ("closed", "", "บรรลุเป้าหมาย")
    line = BudgetLine.objects.get(pk=project.budget_line_id)
    assert (line.committed, line.disbursed, line.returned) == (
        Decimal("0.00"),
        Decimal("270000.00"),
        Decimal("0.00"),
    )
    assert (
        list(Installment.objects.filter(project=project).values_list("status", flat=True))
        == ["disbursed"] * 3
    )
    assert [key for key, _ in _steps(project)] == [
        "draft", "screening", "draft", "screening", "committee", "draft", "screening", "committee",
        "approval", "agreement", "disburse", "progress_report", "report_review", "disburse",
        "progress_report", "report_review", "progress_report", "report_review", "disburse",
        "final_report", "final_review", "final_report", "final_review", "closure",
    ]  # fmt: skip
    assert not ProjectStep.objects.filter(project=project, completed_at__isnull=True).exists()
    state = workflow.diagram_state(project)
    assert state["current"] == []
    assert {"draft", "screening", "committee", "approval", "closure", "end_closed"} <= set(state["completed"])
    assert "end_rejected" not in state["completed"]


def test_a_rejected_project_ends_at_the_rejected_end_event():
    cast = Cast.create()
    project = services.project_submit(actor=cast.leader, project=new_project(cast=cast))
    project = services.project_screen(actor=cast.officer, project=project, decision="reject", comment="ซ้ำซ้อน")
    assert (project.status, project.current_step) == ("rejected", "")
    assert "end_rejected" in workflow.diagram_state(project)["completed"]


def test_each_step_gets_a_due_date_in_working_days():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    # Friday 2026-01-02 plus 5 working days is Friday 2026-01-09 (weekend skipped)
    opened = datetime(2026, 1, 2, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
    assert str(workflow.step_due_date("screening", opened)) == "2026-01-09"


EXPECTED = {
    # state: (status, current step)
    "draft": ("draft", "draft"),
    "revision": ("revision", "draft"),
    "screening": ("screening", "screening"),
    "committee": ("committee", "committee"),
    "approval": ("approval", "approval"),
    "agreement": ("approved", "agreement"),
    "disburse": ("agreement_signed", "disburse"),
    "progress_report": ("in_progress", "progress_report"),
    "report_review": ("in_progress", "report_review"),
    "final_report": ("final_report", "final_report"),
    "final_review": ("final_report", "final_review"),
    "closure": ("final_report", "closure"),
    "closed": ("closed", ""),
    "rejected": ("rejected", ""),
    "cancelled": ("cancelled", ""),
}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_status_step_open_task_and_diagram_agree_at_every_state(state):
    from tests.projects.factories import project_at

    project = project_at(state)
    diagram = workflow.diagram_state(project)
    open_steps = list(
        ProjectStep.objects.filter(project=project, completed_at__isnull=True).values_list(
            "task_key", flat=True
        )
    )
    assert (project.status, project.current_step) == EXPECTED[state]
    expected_open = [project.current_step] if project.current_step else []
    assert open_steps == expected_open
    assert diagram["current"] == expected_open
    assert diagram["process_id"] == "codi_project_tobe"
    assert diagram["bpmn_xml"].startswith("<?xml")
    if project.current_step:
        assert project.current_step_due is not None
        assert (
            project.current_step_due
            == ProjectStep.objects.get(project=project, completed_at__isnull=True).due_date
        )


def test_a_payment_tells_the_community(django_capture_on_commit_callbacks):
    from codi.notifications.models import Notification

    cast = Cast.create()
    from tests.projects.factories import project_at

    project = project_at("disburse", cast=cast)
    with django_capture_on_commit_callbacks(execute=True):
        disburse(project, cast)
    paid = Notification.objects.get(template_key="projects.disbursed", channel="in_app")
    assert paid.recipient_user == cast.leader
    assert "90,000.00" in paid.body
    assert Notification.objects.filter(
        template_key="projects.step_assigned", recipient_user=cast.leader, channel="email"
    ).exists()
