"""Process glue: moving a project through its BPMN steps, notifications after commit, reminders."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.identity.models import User
from codi.projects import workflow
from codi.projects.models import (
    Project,
    ProjectStep,
)
from codi.projects.services.common import (
    FINISHED,
    ProjectError,
    _Pending,
    _planned,
)


def _lock_project(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("program").get(pk=project.pk)


def _at_step(project: Project, step: str) -> None:
    if project.status in FINISHED:
        raise ProjectError(
            "โครงการนี้ปิด/ยกเลิก/ไม่อนุมัติแล้ว ทำรายการไม่ได้",
            f"The project is {project.status}; nothing more can be done on it",
            code="project_finished",
        )
    if project.current_step != step:
        raise ProjectError(
            f"โครงการไม่ได้อยู่ในขั้นตอน {workflow.STEPS[step].name_th} (ขั้นตอนปัจจุบัน: {project.current_step or '-'})",
            f"The project is not at step '{workflow.STEPS[step].name_en}' (now: {project.current_step or '-'})",
            code="wrong_step",
        )


def _advance(
    project: Project,
    *,
    task_key: str,
    data: dict[str, Any],
    actor: User | None,
    outcome: str,
    comment: str = "",
    pending: _Pending,
) -> None:
    try:
        opened = workflow.workflow_complete(
            project, task_key=task_key, data=data, actor=actor, outcome=outcome, comment=comment
        )
    except workflow.WorkflowStepError:
        raise ProjectError(
            "ขั้นตอนของโครงการไม่ตรงกับรายการนี้", f"The project is not at step {task_key}", code="wrong_step"
        ) from None
    pending.steps.extend(opened)
    # Nothing left to pay (a reduction cancelled the remaining installments): skip the payment step.
    if project.current_step == "disburse" and not _planned(project).exists():
        _advance(
            project,
            task_key="disburse",
            data={"more_installments": False},
            actor=None,
            outcome="skipped",
            comment="no installment left to pay",
            pending=pending,
        )


def _after_commit(pending: _Pending, *extra: tuple[str, Project, dict[str, Any]]) -> None:
    """Queue the notifications of this change; they go out only if and after it commits."""
    steps = [s.pk for s in pending.steps]
    events = [[key, p.pk, {k: str(v) for k, v in ctx.items()}] for key, p, ctx in extra]
    if steps or events:
        transaction.on_commit(lambda: _enqueue_notifications(steps, events), robust=True)


def _enqueue_notifications(steps: list[int], events: list[list[Any]]) -> None:
    # cycle: projects.tasks imports these services
    from codi.projects.tasks import notify_project_task

    notify_project_task.enqueue(step_ids=steps, events=events)


def _enqueue_overdue(step_ids: list[int]) -> None:
    # cycle: projects.tasks imports these services
    from codi.projects.tasks import notify_overdue_task

    notify_overdue_task.enqueue(step_ids=step_ids)


# --- steps ----------------------------------------------------------------------------------------


def steps_remind_overdue(*, today: date | None = None) -> int:
    """Remind the people holding each overdue open step (once a day per step); returns how many."""
    today = today or timezone.localdate()
    now = timezone.now()
    start_of_today = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    with transaction.atomic():
        steps = list(
            ProjectStep.objects.select_for_update()
            .filter(completed_at__isnull=True, due_date__lt=today)
            .exclude(reminded_at__gte=start_of_today)
            .order_by("id")
        )
        if not steps:
            return 0
        # A run for a later day (tests, catch-up) counts as that day's reminder.
        ProjectStep.objects.filter(pk__in=[s.pk for s in steps]).update(reminded_at=max(now, start_of_today))
        audit_record(
            actor=None,
            action="projects.step.remind_overdue",
            object_type="projects.projectstep",
            object_id="",
            changes={"steps": [s.pk for s in steps], "today": today.isoformat()},
        )
        ids = [s.pk for s in steps]
        transaction.on_commit(lambda: _enqueue_overdue(ids), robust=True)
    return len(steps)
