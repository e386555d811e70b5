"""The 5xx-rate rule: the share of server-error responses over a window above a set limit.

The platform counts every response in the Prometheus counter ``codi_http_requests_total`` (by
method and status; ``codi.core.metrics``), across all server processes when
``PROMETHEUS_MULTIPROC_DIR`` is set. Each evaluation of the alert rules stores a ``RequestTally``
(all responses, 5xx responses); the share over the window is the difference between this tally and
the newest one taken at least ``ALERT_5XX_WINDOW_SECONDS`` (300) before. An alert is raised when
that share exceeds ``ALERT_5XX_PERCENT`` (5 %) over at least ``ALERT_5XX_MIN_REQUESTS`` (20)
responses, so two failed requests of three at night do not page anyone. A counter that went down
(the servers restarted) counts from zero. Tallies older than a day are removed.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess

from codi.insights.models import RequestTally, Rule, Severity

METRIC = "codi_http_requests"  # the counter's name without its ``_total`` suffix


def http_counts() -> tuple[int, int]:
    """(responses, 5xx responses) served so far, over every server process."""
    registry: Any = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    total = errors = 0.0
    for family in registry.collect():
        if family.name != METRIC:
            continue
        for sample in family.samples:
            if not sample.name.endswith("_total"):
                continue
            total += sample.value
            if str(sample.labels.get("status", "")).startswith("5"):
                errors += sample.value
    return int(total), int(errors)


def http_5xx(now: datetime) -> list[dict[str, Any]]:
    """Store this evaluation's tally; an alert candidate when the window's 5xx share is too high."""
    requests, errors = http_counts()
    RequestTally.objects.update_or_create(taken_at=now, defaults={"requests": requests, "errors": errors})
    RequestTally.objects.filter(taken_at__lt=now - timedelta(days=1)).delete()
    window = timedelta(seconds=int(getattr(settings, "ALERT_5XX_WINDOW_SECONDS", 300)))
    reference = RequestTally.objects.filter(taken_at__lte=now - window).order_by("-taken_at").first()
    if reference is None:
        return []
    if requests < reference.requests or errors < reference.errors:  # restarted: counters began again
        served, failed = requests, errors
    else:
        served, failed = requests - reference.requests, errors - reference.errors
    limit = float(getattr(settings, "ALERT_5XX_PERCENT", 5))
    if served < int(getattr(settings, "ALERT_5XX_MIN_REQUESTS", 20)):
        return []
    share = 100.0 * failed / served
    if share <= limit:
        return []
    return [
        {
            "rule": Rule.HTTP_5XX,
            "subject": "",
            "window_start": reference.taken_at,
            "window_end": now,
            "value": round(share, 1),
            "baseline": limit,
            "severity": Severity.CRITICAL if share > 4 * limit else Severity.HIGH,
            "detail": {"errors": failed, "requests": served},
        }
    ]
