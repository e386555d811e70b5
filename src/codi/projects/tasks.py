"""Background work of community projects: the periodic overdue-step reminder (safe to run twice a day)."""

from __future__ import annotations

from django_tasks import task

from codi.projects import services


@task()
def remind_overdue_steps_task() -> int:
    return services.steps_remind_overdue()
