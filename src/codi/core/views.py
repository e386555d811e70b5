"""Operations endpoints: liveness, readiness, metrics."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

from codi.core import metrics
from codi.core.problems import problem


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # any database failure means "not ready"
        return problem(
            503,
            detail_th="เชื่อมต่อฐานข้อมูลไม่ได้",
            detail_en=f"Database unreachable: {exc.__class__.__name__}",
        )
    if pending:
        return problem(
            503,
            detail_th=f"ยังมี migration ที่ไม่ได้รัน {len(pending)} รายการ",
            detail_en=f"{len(pending)} migrations not applied",
        )
    return JsonResponse({"status": "ready", "database": connection.vendor})


def metrics_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(metrics.render(), content_type="text/plain; version=0.0.4; charset=utf-8")
