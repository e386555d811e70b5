"""The search service: BM25, fusion, snippets, and the stored index with its version counter."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from codi.search import engine, registry, services
from codi.search.models import Chunk, IndexVersion
from codi.search.selectors import index_progress

DOCS = {
    "a": "ลูกจ้างหญิงมีครรภ์มีสิทธิลาเพื่อคลอดบุตรครรภ์หนึ่งไม่เกินเก้าสิบแปดวัน",
    "b": "ให้นายจ้างจัดให้ลูกจ้างมีวันหยุดประจำสัปดาห์ สัปดาห์หนึ่งไม่น้อยกว่าหนึ่งวัน",
    "c": "ผู้ใดเข้าถึงโดยมิชอบซึ่งระบบคอมพิวเตอร์ที่มีมาตรการป้องกันการเข้าถึง ต้องระวางโทษจำคุก",
}


@pytest.fixture
def toy_source():
    def chunks(ids: Sequence[str]):
        for object_id in ids:
            if object_id in DOCS:
                yield registry.ChunkData(object_id=object_id, title=f"doc {object_id}", text=DOCS[object_id])

    registry.register(registry.Source(name="test.toy", chunks=chunks, all_ids=lambda: list(DOCS)))
    yield "test.toy"


def test_bm25_ranks_the_document_sharing_the_rare_terms_first():
    index = engine.LexicalIndex([("a", "ลา คลอด บุตร วัน"), ("b", "วันหยุด สัปดาห์ วัน"), ("c", "คอมพิวเตอร์ โทษ")])
    assert [oid for oid, _ in index.search(["คลอด", "วัน"], 10)] == ["a", "b"]
    assert index.search(["ไม่มีคำนี้"], 10) == []


def test_rrf_rewards_agreement_between_rankings():
    fused = engine.rrf([["x", "y", "z"], ["y", "x", "w"]])
    assert [oid for oid, _ in fused][:2] == ["x", "y"]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)
    assert [oid for oid, _ in fused][2:] == ["w", "z"]


def test_sentences_join_hard_wrapped_fragments():
    text = "(๑)\nใช้วิธีการที่สามารถระบุตัวเจ้าของลายมือชื่อ และสามารถแสดงเจตนาของเจ้าของลายมือชื่อ\n(๒)\nสั้น"
    assert engine.sentences(text) == [
        "(๑) ใช้วิธีการที่สามารถระบุตัวเจ้าของลายมือชื่อ และสามารถแสดงเจตนาของเจ้าของลายมือชื่อ (๒) สั้น"
    ]


def test_highlight_marks_query_words_and_keeps_the_text():
    text = "ผู้ใดเข้าถึงโดยมิชอบซึ่งระบบคอมพิวเตอร์ที่มี"
    parts = engine.highlight_terms("เข้าถึงระบบคอมพิวเตอร์", text)
    assert "".join(p for p, _ in parts) == text
    assert [p for p, m in parts if m] == ["เข้าถึง", "ระบบคอมพิวเตอร์"]


@pytest.mark.django_db
def test_index_update_stores_tokens_and_bumps_the_version(toy_source):
    written = services.index_update(source=toy_source, object_ids=["a", "b", "c"])

    assert written == 3
    assert "คลอด" in Chunk.objects.get(source=toy_source, object_id="a").tokens.split()
    assert IndexVersion.objects.get(source=toy_source).version == 1
    # Unchanged text: nothing written, the version stays.
    assert services.index_update(source=toy_source, object_ids=["a", "b", "c"]) == 0
    assert IndexVersion.objects.get(source=toy_source).version == 1


@pytest.mark.django_db
def test_search_sees_changes_through_the_version_counter(toy_source):
    services.index_update(source=toy_source, object_ids=["a", "b"])
    assert [h.object_id for h in engine.search(toy_source, "คอมพิวเตอร์", method="lexical")] == []

    services.index_update(source=toy_source, object_ids=["c"])

    assert [h.object_id for h in engine.search(toy_source, "คอมพิวเตอร์", method="lexical")] == ["c"]


@pytest.mark.django_db
def test_removed_objects_leave_the_index(toy_source):
    services.index_update(source=toy_source, object_ids=["a", "b", "c"])
    kept = DOCS.pop("c")
    try:
        services.index_update(source=toy_source, object_ids=["c"])
    finally:
        DOCS["c"] = kept
    assert not Chunk.objects.filter(source=toy_source, object_id="c").exists()
    assert services.index_remove(source=toy_source, object_ids=["a"]) == 1
    assert index_progress(source=toy_source).chunks == 1


@pytest.mark.django_db
def test_embedding_is_resumable_and_hybrid_fuses_both(toy_source, monkeypatch):
    # A fake embedder keeps the test fast: each text's vector points at the doc it came from.
    basis = {"a": 0, "b": 1, "c": 2}

    def fake_passages(texts):
        out = np.zeros((len(texts), engine.DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, basis[text.split()[1]]] = 1.0
        return out

    def fake_queries(texts):
        out = np.zeros((len(texts), engine.DIM), dtype=np.float32)
        out[:, basis["b"]] = 1.0  # the "meaning" of every query is doc b
        return out

    monkeypatch.setattr(engine, "embed_passages", fake_passages)
    monkeypatch.setattr(engine, "embed_queries", fake_queries)
    services.index_update(source=toy_source, object_ids=["a", "b", "c"])

    assert services.index_embed_pending(source=toy_source, limit=2) == 2
    assert index_progress(source=toy_source).embedded == 2
    assert services.index_embed_pending(source=toy_source) == 1
    assert index_progress(source=toy_source).dense_ready
    # Vectors move only the dense version: the BM25 index in memory stays valid.
    versions = IndexVersion.objects.get(source=toy_source)
    assert (versions.version, versions.dense_version) == (1, 3)

    dense = engine.search(toy_source, "คลอดบุตร", method="dense", k=1)
    hybrid = engine.search(toy_source, "คลอดบุตร", method="hybrid", k=3)
    assert [h.object_id for h in dense] == ["b"]
    assert {h.object_id for h in hybrid[:2]} == {"a", "b"}
    assert hybrid[0].lexical_rank == 1 or hybrid[0].dense_rank == 1


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown method"):
        engine.search("x", "q", method="magic")


@pytest.mark.django_db
def test_index_after_commit_runs_the_tasks_once_the_transaction_commits(
    toy_source, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(
        engine, "embed_passages", lambda texts: np.ones((len(texts), engine.DIM), dtype=np.float32)
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.index_after_commit(source=toy_source, object_ids=["a", "b"])
    assert not Chunk.objects.exists()  # nothing happens before the commit

    for callback in callbacks:
        callback()

    assert index_progress(source=toy_source).chunks == 2
    assert index_progress(source=toy_source).dense_ready


@pytest.mark.django_db
def test_shards_split_the_pending_chunks_without_overlap(toy_source, monkeypatch):
    # Two processes (one per core) each take the chunks whose id is their shard modulo 2.
    monkeypatch.setattr(
        engine, "embed_passages", lambda texts: np.ones((len(texts), engine.DIM), dtype=np.float32)
    )
    services.index_update(source=toy_source, object_ids=["a", "b", "c"])
    ids = sorted(Chunk.objects.filter(source=toy_source).values_list("pk", flat=True))

    first = services.index_embed_pending(source=toy_source, shard=(0, 2))
    embedded = set(
        Chunk.objects.filter(source=toy_source, embedding__isnull=False).values_list("pk", flat=True)
    )
    second = services.index_embed_pending(source=toy_source, shard=(1, 2))

    assert embedded == {pk for pk in ids if pk % 2 == 0}
    assert first + second == 3
    assert index_progress(source=toy_source).dense_ready
    with pytest.raises(ValueError, match="shard 2 of 2"):
        services.index_embed_pending(source=toy_source, shard=(2, 2))
