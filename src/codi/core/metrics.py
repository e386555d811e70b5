"""Prometheus metrics. With several server processes, set PROMETHEUS_MULTIPROC_DIR."""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

REQUESTS = Counter("codi_http_requests_total", "HTTP requests served", ["method", "status"])
LATENCY = Histogram(
    "codi_http_request_seconds",
    "Time to serve an HTTP request",
    ["method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
AUDIT_ENTRIES = Counter("codi_audit_entries_total", "Audit entries written")


def render() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest()
