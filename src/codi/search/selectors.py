"""Reads of the search index: progress of a source's indexing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Length

from codi.search import registry
from codi.search.models import Chunk
from codi.search.passages import EMBED_CHARS

VECTOR_BYTES = 384 * 4


@dataclass(frozen=True)
class IndexProgress:
    source: str
    chunks: int
    embedded: int
    pending: int = 0  # chunks the embedding pass has still to do (no vector, or passages missing)

    @property
    def dense_ready(self) -> bool:
        return self.chunks > 0 and self.embedded == self.chunks


def pending_chunks(*, source: str, passages: bool) -> QuerySet[Chunk]:
    """Chunks of ``source`` to embed: no vector yet, or — when the source splits long chunks into
    passages — a long chunk that has only one vector (embedded before passages)."""
    missing = Q(embedding__isnull=True)
    if passages:
        one_vector_but_long = Q(vector_bytes=VECTOR_BYTES, text_chars__gt=EMBED_CHARS - 1)
        return (
            Chunk.objects.filter(source=source)
            .annotate(vector_bytes=Length("embedding"), text_chars=Length("title") + Length("text"))
            .filter(missing | one_vector_but_long)
        )
    return Chunk.objects.filter(missing, source=source)


def index_progress(*, source: str, with_pending: bool = False) -> IndexProgress:
    """How many chunks ``source`` has, how many have their vector, and (``with_pending``: a scan of
    the source's texts, for the embedding command rather than a page) how many are still to embed."""
    chunks = Chunk.objects.filter(source=source)
    pending = 0
    if with_pending:
        try:
            split = registry.get(source).passages
        except LookupError:
            split = False
        pending = pending_chunks(source=source, passages=split).count()
    return IndexProgress(
        source=source,
        chunks=chunks.count(),
        embedded=chunks.filter(embedding__isnull=False).count(),
        pending=pending,
    )
