"""Background work: the scheduled mart refresh (a scheduler enqueues it, e.g. hourly; incremental,
so a run with nothing new costs a few fingerprint queries)."""

from __future__ import annotations

from django_tasks import task

from codi.insights.marts import store


@task()
def refresh_marts_task(full: bool = False) -> int:
    """Refresh every mart; returns the rows added or rewritten."""
    return sum(r.added_rows for r in store.refresh(full=full))
