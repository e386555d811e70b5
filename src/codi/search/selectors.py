"""Reads of the search index: progress of a source's indexing."""

from __future__ import annotations

from dataclasses import dataclass

from codi.search.models import Chunk


@dataclass(frozen=True)
class IndexProgress:
    source: str
    chunks: int
    embedded: int

    @property
    def dense_ready(self) -> bool:
        return self.chunks > 0 and self.embedded == self.chunks


def index_progress(*, source: str) -> IndexProgress:
    """How many chunks ``source`` has, and how many have their vector."""
    chunks = Chunk.objects.filter(source=source)
    return IndexProgress(
        source=source, chunks=chunks.count(), embedded=chunks.filter(embedding__isnull=False).count()
    )
