"""Background work of the PDPA module, for a scheduler that enqueues tasks daily (idempotent)."""

from __future__ import annotations

from django_tasks import task

from codi.privacy import services


@task()
def dsr_remind_task() -> int:
    return services.dsr_remind_due()


@task()
def retention_task() -> int:
    return services.retention_run(actor=None, dry_run=False).total
