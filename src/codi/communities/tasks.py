"""Background work: thin tasks that take a job id and call a service (each is safe to run twice)."""

from __future__ import annotations

from django_tasks import task

from codi.communities import services


@task()
def import_check_task(job_id: int) -> None:
    services.import_job_check(job_id=job_id)


@task()
def import_commit_task(job_id: int) -> None:
    services.import_job_commit(job_id=job_id)
