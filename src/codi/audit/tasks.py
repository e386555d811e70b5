"""Background work: the scheduled analytics run, for a scheduler that enqueues tasks (idempotent:
a flag already in the queue is refreshed, never duplicated)."""

from __future__ import annotations

from django_tasks import task

from codi.audit import services
from codi.audit.models import AnalyticsRun


@task()
def analytics_run_task() -> int:
    return services.analytics_run(actor=None, trigger=AnalyticsRun.Trigger.SCHEDULED).new
