"""Tasks the worker tests enqueue (importable by the worker processes they start)."""

from __future__ import annotations

import time

from django_tasks import task


@task()
def slow_sum(a: int, b: int, seconds: float) -> int:
    time.sleep(seconds)
    return a + b
