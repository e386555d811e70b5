"""Background work: the periodic escalation run, for a scheduler that enqueues tasks (idempotent)."""

from __future__ import annotations

from django_tasks import task

from codi.feedback import services


@task()
def escalate_overdue_task() -> list[str]:
    return services.tickets_escalate_overdue().escalated
