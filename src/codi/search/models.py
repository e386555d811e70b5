"""What the search service keeps: one row per indexed chunk, and a version counter per source.

A chunk's ``tokens`` (segmented index terms, space-separated) and ``embedding``
(float32 bytes, 384 dimensions, L2-normalised) live in the database so the
index survives restarts; each process builds its in-memory BM25 and vector
matrix lazily and rebuilds them when the source's version moves.

The database also carries its own lexical index over ``tokens`` (created by
migration 0003, not a Django field): an FTS5 table ``search_chunk_fts`` kept in
step by triggers on SQLite, a generated ``tsvector`` column ``search_tsv`` with
a GIN index on PostgreSQL. ``codi.search.query`` searches it. Careful: a later
migration that makes Django rebuild ``search_chunk`` on SQLite (most AlterField
operations) drops the FTS triggers with the old table; such a migration must
run migration 0003's trigger statements (and an FTS 'rebuild') again.

Every chunk carries what the permission filter needs, in terms the search
service understands without knowing the owning module: a ``classification``
(public / internal / confidential / secret), an ``area_code`` (a DOPA code,
empty for "no area"), and named readers (``ChunkReader``: principals such as
``user:12``) who may see it whatever its classification and area.
"""

from __future__ import annotations

from django.db import models

CLASSIFICATIONS = ("public", "internal", "confidential", "secret")


class Chunk(models.Model):
    source = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    tokens = models.TextField()
    embedding = models.BinaryField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What filters and the permission check read (set by the source at indexing time).
    kind = models.CharField(max_length=40, blank=True, default="")
    classification = models.CharField(max_length=12, default="public")
    area_code = models.CharField(max_length=12, blank=True, default="")
    doc_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "object_id"], name="search_chunk_unique")]
        indexes = [
            models.Index(fields=["source", "id"], name="search_chunk_source"),
            models.Index(fields=["classification", "area_code"], name="search_chunk_access"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id}"


class ChunkReader(models.Model):
    """A principal (``user:<id>``, ``unit:<id>``…) named as a reader of one chunk."""

    chunk = models.ForeignKey(Chunk, on_delete=models.CASCADE, related_name="readers")
    principal = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chunk", "principal"], name="search_chunkreader_unique")
        ]
        indexes = [models.Index(fields=["principal", "chunk"], name="search_chunkreader_principal")]

    def __str__(self) -> str:
        return f"{self.principal} reads {self.chunk_id}"


class IndexVersion(models.Model):
    """Moves when a source's chunks change (``version``) or when vectors are added (``dense_version``)."""

    source = models.CharField(max_length=60, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)
    dense_version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.source}@{self.version}"
