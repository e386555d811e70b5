"""The task the failure drill enqueues and interrupts (bench/drill.py): sleeps, then answers a + b."""

from __future__ import annotations

import time

from django_tasks import task


@task()
def slow_sum(a: int, b: int, seconds: float) -> int:
    time.sleep(seconds)
    return a + b
