"""Background work of community projects: the periodic overdue-step reminder (safe to run twice a
day) and the notifications each process transition sends, off the request path."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from codi.projects import notify, services


@task()
def remind_overdue_steps_task() -> int:
    return services.steps_remind_overdue()


@task()
def notify_project_task(step_ids: list[int], events: list[list[Any]]) -> int:
    """Tell people about opened steps and project events (enqueued after the change commits)."""
    return notify.deliver(step_ids=step_ids, events=[(str(k), int(p), dict(c)) for k, p, c in events])


@task()
def notify_overdue_task(step_ids: list[int]) -> int:
    return notify.deliver_overdue(step_ids=step_ids)
