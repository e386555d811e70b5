"""The executable project process (``processes/project_tobe.bpmn``) run by SpiffWorkflow 3.

The engine state lives in ``Project.workflow_state`` (the serializer's dict without the
process spec, which is the same for every project and is put back when loading). Every
transition goes through ``workflow_complete``: it loads the state, completes the one
ready user task with the given data, runs the engine (gateways), stores the state and
brings ``Project.status`` / ``current_step`` / ``current_step_due`` and the
``ProjectStep`` rows up to date. Callers (the services) hold the project's row lock and
the transaction; nothing here commits or checks permissions.

SpiffWorkflow is imported inside functions only (it is heavy and pages must not load it).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from django.utils import timezone

from codi.calendar.selectors import holiday_dates
from codi.calendar.workdays import add_working_days
from codi.identity.models import User
from codi.projects.models import Project, ProjectStatus, ProjectStep

PROCESS_ID = "codi_project_tobe"
PROCESSES_DIR = Path(__file__).resolve().parent / "processes"
TOBE_FILE = PROCESSES_DIR / "project_tobe.bpmn"
ASIS_FILE = PROCESSES_DIR / "project_asis.bpmn"

# SpiffWorkflow logs every task state change at INFO: far too chatty for the application log.
logging.getLogger("spiff").setLevel(logging.WARNING)


@dataclass(frozen=True)
class StepDef:
    """Who acts on a user task, how many working days they have, and the project status meanwhile."""

    role: str
    sla_days: int
    status: str
    name_th: str
    name_en: str


# One row per user task of the to-be process (the BPMN task id is the key).
STEPS: dict[str, StepDef] = {
    "draft": StepDef(
        "community_leader", 20, ProjectStatus.DRAFT, "จัดทำข้อเสนอโครงการ", "Prepare the proposal"
    ),
    "screening": StepDef("project_officer", 5, ProjectStatus.SCREENING, "กลั่นกรองเบื้องต้น", "Screening"),
    "committee": StepDef(
        "regional_director", 10, ProjectStatus.COMMITTEE, "คณะกรรมการภาคพิจารณา", "Regional committee review"
    ),
    "approval": StepDef("regional_director", 5, ProjectStatus.APPROVAL, "อนุมัติโครงการ", "Approval"),
    "agreement": StepDef("project_officer", 10, ProjectStatus.APPROVED, "ลงนามสัญญา", "Sign the agreement"),
    "disburse": StepDef(
        "finance_officer", 5, ProjectStatus.IN_PROGRESS, "เบิกจ่ายงวดเงิน", "Disburse the installment"
    ),
    "progress_report": StepDef(
        "community_leader", 30, ProjectStatus.IN_PROGRESS, "ส่งรายงานความก้าวหน้า", "Send the progress report"
    ),
    "report_review": StepDef(
        "project_officer", 5, ProjectStatus.IN_PROGRESS, "ตรวจรายงานความก้าวหน้า", "Review the progress report"
    ),
    "final_report": StepDef(
        "community_leader", 30, ProjectStatus.FINAL_REPORT, "ส่งรายงานฉบับสมบูรณ์", "Send the final report"
    ),
    "final_review": StepDef(
        "project_officer", 5, ProjectStatus.FINAL_REPORT, "ตรวจรายงานฉบับสมบูรณ์", "Review the final report"
    ),
    "closure": StepDef(
        "project_officer", 10, ProjectStatus.FINAL_REPORT, "ปิดโครงการและประเมินผล", "Close and evaluate"
    ),
}
END_STATUS = {"end_closed": ProjectStatus.CLOSED, "end_rejected": ProjectStatus.REJECTED}


class WorkflowStepError(Exception):
    """The project is not at the step the caller tried to complete."""

    def __init__(self, expected: str, current: list[str]) -> None:
        super().__init__(f"the project is not at step {expected!r} (now at {current!r})")
        self.expected = expected
        self.current = current


@cache
def _parsed() -> tuple[Any, str]:
    """(process spec, BPMN XML), parsed once per process."""
    # heavy: SpiffWorkflow is loaded only when a project process runs
    from SpiffWorkflow.bpmn.parser import BpmnParser

    parser = BpmnParser()
    parser.add_bpmn_file(str(TOBE_FILE))
    spec = parser.get_spec(PROCESS_ID)
    return spec, TOBE_FILE.read_text(encoding="utf-8")


@cache
def _serializer() -> Any:
    # heavy: SpiffWorkflow is loaded only when a project process runs
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

    return BpmnWorkflowSerializer()


@cache
def bpmn_element_ids() -> frozenset[str]:
    """Ids of the BPMN elements of the to-be process (what the diagram can highlight)."""
    spec = _parsed()[0]
    return frozenset(
        name for name, task_spec in spec.task_specs.items() if getattr(task_spec, "bpmn_id", None) == name
    )


@cache
def _workflow_converter() -> Any:
    # heavy: SpiffWorkflow is loaded only when a project process runs
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

    registry = _serializer().registry
    # The registry holds partial(_obj_from_dict, converter.from_dict) per type name.
    return registry.convert_from_dict[registry.typenames[BpmnWorkflow]].args[0].__self__


def _dump(workflow: Any) -> dict[str, Any]:
    """The workflow as a JSON-ready dict, without its spec (the same for every project)."""
    # heavy: SpiffWorkflow is loaded only when a project process runs
    from SpiffWorkflow.bpmn.serializer.default.workflow import WorkflowConverter

    converter = _workflow_converter()
    state: dict[str, Any] = WorkflowConverter.to_dict(converter, workflow)
    state["subprocess_specs"] = {}
    state["subprocesses"] = {}
    state["bpmn_events"] = converter.registry.convert(workflow.bpmn_events)
    state["typename"] = converter.registry.typenames[type(workflow)]
    state["serializer_version"] = _serializer().VERSION
    return state


def _load(state: dict[str, Any]) -> Any:
    """A workflow from ``_dump``'s dict, bound to the process spec parsed once (specs are shared)."""
    # heavy: SpiffWorkflow is loaded only when a project process runs
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

    converter = _workflow_converter()
    dct = dict(state)
    workflow = BpmnWorkflow(_parsed()[0], {}, deserializing=True)
    workflow.tasks = converter.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
    workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
    converter.set_default_attributes(workflow, dct)
    workflow.bpmn_events = converter.registry.restore(dct.pop("bpmn_events", []))
    return workflow


def _ready_tasks(workflow: Any) -> list[Any]:
    # heavy: SpiffWorkflow is loaded only when a project process runs
    from SpiffWorkflow.util.task import TaskState

    return list(workflow.get_tasks(state=TaskState.READY, manual=True))


def _holidays() -> list[date]:
    return holiday_dates()


def step_due_date(task_key: str, opened_at: datetime) -> date:
    """The due date of a step opened at ``opened_at``: its SLA in working days (weekends and holidays skipped)."""
    return add_working_days(opened_at, STEPS[task_key].sla_days, _holidays()).date()


def _sync(
    project: Project,
    workflow: Any,
    *,
    now: datetime,
    actor: User | None,
    completed_key: str | None,
    outcome: str,
    comment: str,
) -> list[ProjectStep]:
    """Store the state, close the completed step, open the new ones; returns the opened steps."""
    project.workflow_state = _dump(workflow)
    if completed_key is not None:
        ProjectStep.objects.filter(project=project, task_key=completed_key, completed_at__isnull=True).update(
            completed_at=now, completed_by=actor, outcome=outcome[:40], comment=comment
        )
    ready = [t.task_spec.name for t in _ready_tasks(workflow)]
    first_disbursement = "disburse" in ready and not (
        ProjectStep.objects.filter(project=project, task_key="disburse").exists()
    )
    opened: list[ProjectStep] = []
    for key in ready:
        step_def = STEPS[key]
        opened.append(
            ProjectStep.objects.create(
                project=project,
                task_key=key,
                name=step_def.name_th,
                role=step_def.role,
                opened_at=now,
                due_date=step_due_date(key, now),
            )
        )
    if opened:
        key = opened[0].task_key
        status = STEPS[key].status
        if key == "draft" and project.submitted_at is not None:
            status = ProjectStatus.REVISION
        elif first_disbursement:
            status = ProjectStatus.AGREEMENT_SIGNED
        project.status = status
        project.current_step = key
        project.current_step_due = opened[0].due_date
    elif workflow.is_completed():
        # heavy: SpiffWorkflow is loaded only when a project process runs
        from SpiffWorkflow.util.task import TaskState

        ends = [
            t.task_spec.name
            for t in workflow.get_tasks(state=TaskState.COMPLETED)
            if t.task_spec.name in END_STATUS
        ]
        project.status = END_STATUS[ends[-1]] if ends else ProjectStatus.CLOSED
        project.current_step = ""
        project.current_step_due = None
    return opened


def workflow_start(project: Project, *, actor: User | None, now: datetime | None = None) -> list[ProjectStep]:
    """Start the process for a new project (its first step, the draft, opens)."""
    # heavy: SpiffWorkflow is loaded only when a project process runs
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

    now = now or timezone.now()
    workflow = BpmnWorkflow(_parsed()[0])
    workflow.do_engine_steps()
    return _sync(project, workflow, now=now, actor=actor, completed_key=None, outcome="", comment="")


def current_task_keys(project: Project) -> list[str]:
    if not project.workflow_state:
        return []
    return [t.task_spec.name for t in _ready_tasks(_load(project.workflow_state))]


def workflow_complete(
    project: Project,
    *,
    task_key: str,
    data: dict[str, Any],
    actor: User | None,
    outcome: str,
    comment: str = "",
    now: datetime | None = None,
) -> list[ProjectStep]:
    """Complete the ready user task ``task_key`` with ``data``; returns the steps that opened.

    Raises ``WorkflowStepError`` when the project is not at that step. The caller saves
    ``project`` (the status fields and the state are set on it, not saved).
    """
    now = now or timezone.now()
    workflow = _load(project.workflow_state)
    ready = _ready_tasks(workflow)
    matching = [t for t in ready if t.task_spec.name == task_key]
    if not matching:
        raise WorkflowStepError(task_key, [t.task_spec.name for t in ready])
    task = matching[0]
    task.data.update(data)
    task.run()
    workflow.do_engine_steps()
    return _sync(
        project, workflow, now=now, actor=actor, completed_key=task_key, outcome=outcome, comment=comment
    )


def workflow_cancel(
    project: Project, *, actor: User | None, reason: str, now: datetime | None = None
) -> None:
    """Stop the process (the project was cancelled); open steps close with outcome ``cancelled``."""
    now = now or timezone.now()
    if project.workflow_state:
        workflow = _load(project.workflow_state)
        workflow.cancel()
        project.workflow_state = _dump(workflow)
    ProjectStep.objects.filter(project=project, completed_at__isnull=True).update(
        completed_at=now, completed_by=actor, outcome="cancelled", comment=reason
    )
    project.status = ProjectStatus.CANCELLED
    project.current_step = ""
    project.current_step_due = None


def diagram_state(project: Project) -> dict[str, Any]:
    """What the bpmn-js viewer needs: the XML, the current task ids and the completed element ids."""
    # heavy: SpiffWorkflow is loaded only when a project process runs
    from SpiffWorkflow.util.task import TaskState

    _spec, xml = _parsed()
    current: list[str] = []
    completed: list[str] = []
    if project.workflow_state:
        workflow = _load(project.workflow_state)
        ids = bpmn_element_ids()
        current = [t.task_spec.name for t in _ready_tasks(workflow)]
        seen: set[str] = set()
        for task in workflow.get_tasks(state=TaskState.COMPLETED):
            name = task.task_spec.name
            if name in ids and name not in seen:
                seen.add(name)
                completed.append(name)
    return {"process_id": PROCESS_ID, "bpmn_xml": xml, "current": current, "completed": completed}


# The process variable each decision step sets (the gateways read it).
DECISION_VARIABLES = {
    "screening": "screening_decision",
    "committee": "committee_decision",
    "approval": "approval_decision",
    "report_review": "report_decision",
    "final_review": "final_decision",
}


@cache
def _state_for_path(path: tuple[tuple[str, str], ...], cancelled: bool, installments: int) -> str:
    # heavy: SpiffWorkflow is loaded only when a project process runs
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

    workflow = BpmnWorkflow(_parsed()[0])
    workflow.do_engine_steps()
    paid = 0
    for index, (key, outcome) in enumerate(path):
        ready = [t for t in _ready_tasks(workflow) if t.task_spec.name == key]
        if not ready:
            raise WorkflowStepError(key, [t.task_spec.name for t in _ready_tasks(workflow)])
        if not outcome:  # the open step: it stays ready
            if index != len(path) - 1:
                raise ValueError(f"only the last step of a path can be open: {path!r}")
            break
        data: dict[str, Any] = {}
        if key in DECISION_VARIABLES:
            data[DECISION_VARIABLES[key]] = outcome
        if key == "approval":
            data["installment_count"] = installments
        if key == "disburse":
            paid += 1
            data.update({"more_installments": paid < installments, "installments_paid": paid})
        task = ready[0]
        task.data.update(data)
        task.run()
        workflow.do_engine_steps()
    if cancelled:
        workflow.cancel()
    return json.dumps(_dump(workflow))


def engine_state_for_path(
    path: tuple[tuple[str, str], ...], *, cancelled: bool = False, installments: int = 3
) -> dict[str, Any]:
    """The engine state after walking ``path`` ((task key, outcome) pairs) through the real engine.

    Outcomes are the ones the services record ("pass", "recommend", "approve", "paid",
    "accept", ...); an empty outcome on the last pair leaves that step open (ready). Each
    distinct path runs through SpiffWorkflow once and its serialized state is reused, so
    thousands of demo projects get real, loadable state quickly. ``cancelled`` cancels the
    workflow afterwards, as ``workflow_cancel`` does.
    """
    state: dict[str, Any] = json.loads(_state_for_path(tuple(path), cancelled, installments))
    return state


def raw_engine_run(installments: int = 3) -> int:
    """Run the process end to end in the engine alone (no database); returns the transitions made.

    The benchmark's baseline, and a quick self-check of the BPMN file.
    """
    # heavy: SpiffWorkflow is loaded only when a project process runs
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

    workflow = BpmnWorkflow(_parsed()[0])
    workflow.do_engine_steps()
    plan: list[dict[str, Any]] = [
        {},
        {"screening_decision": "pass"},
        {"committee_decision": "recommend"},
        {"approval_decision": "approve"},
        {},
    ]
    for number in range(1, installments + 1):
        more = number < installments
        plan.append({"more_installments": more})
        if more:
            plan += [{}, {"report_decision": "accept"}]
    plan += [{}, {"final_decision": "accept"}, {}]
    for data in plan:
        state = _dump(workflow)
        workflow = _load(state)
        task = _ready_tasks(workflow)[0]
        task.data.update(data)
        task.run()
        workflow.do_engine_steps()
    _dump(workflow)
    return len(plan)
