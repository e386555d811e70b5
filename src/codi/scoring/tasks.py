"""Background work: the nightly indicator snapshot and community-strength index.

A scheduler enqueues ``scoring_compute_task`` once a night (or ``manage.py scoring_compute`` runs
from cron); each run keeps a new snapshot of the data used, so any score can be reproduced later.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from codi.core.thaidate import fiscal_year_be
from codi.scoring import services
from codi.scoring.models import Level


def compute(*, period: int, levels: list[str] | None = None) -> list[tuple[str, int, int]]:
    """Snapshot and index of ``period`` (B.E.) at each level: (level, entities, scored) per level."""
    feeds = services.feeds_load(period=period)
    out = []
    for level in levels or [c for c, _ in Level.choices]:
        snapshot = services.indicators_compute(period=period, level=level, feeds=feeds)
        run = services.index_compute(indicator_run=snapshot)
        out.append((level, snapshot.entity_count, run.scores.filter(score__isnull=False).count()))
    return out


@task()
def scoring_compute_task(period: int = 0) -> list[tuple[str, int, int]]:
    """The current fiscal year's snapshot and index (or ``period``'s)."""
    return compute(period=period or fiscal_year_be(timezone.localdate()))
