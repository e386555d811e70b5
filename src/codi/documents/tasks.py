"""Background work: run an uploaded version through the pipeline (thin, idempotent)."""

from __future__ import annotations

from django_tasks import task

from codi.documents import services


@task()
def process_version_task(version_id: int) -> str:
    return str(services.version_process(version_id=version_id).status)
