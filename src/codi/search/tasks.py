"""Background indexing: thin tasks that call a service; running one twice does no harm."""

from __future__ import annotations

from django_tasks import task

from codi.search import services


@task()
def index_task(source: str, object_ids: list[str]) -> None:
    services.index_update(source=source, object_ids=object_ids)


@task()
def embed_task(source: str) -> None:
    services.index_embed_pending(source=source)
