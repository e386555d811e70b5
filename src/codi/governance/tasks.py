"""Background work: the scheduled data-quality run (a scheduler enqueues it, e.g. nightly)."""

from __future__ import annotations

from django_tasks import task

from codi.governance import services


@task()
def run_quality_checks_task() -> int:
    """Run every registered quality rule; returns the run's id."""
    return services.quality_run(actor=None, trigger="task").pk
