"""What the search service keeps: one row per indexed chunk, and a version counter per source.

A chunk's ``tokens`` (segmented index terms, space-separated) and ``embedding``
(float32 bytes, 384 dimensions, L2-normalised) live in the database so the
index survives restarts; each process builds its in-memory BM25 and vector
matrix lazily and rebuilds them when the source's version moves.
"""

from __future__ import annotations

from django.db import models


class Chunk(models.Model):
    source = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    tokens = models.TextField()
    embedding = models.BinaryField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "object_id"], name="search_chunk_unique")]
        indexes = [models.Index(fields=["source", "id"], name="search_chunk_source")]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id}"


class IndexVersion(models.Model):
    """Moves when a source's chunks change (``version``) or when vectors are added (``dense_version``)."""

    source = models.CharField(max_length=60, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)
    dense_version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.source}@{self.version}"
