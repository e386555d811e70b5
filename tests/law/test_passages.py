"""Long statute sections embedded as overlapping passages, each section scored by its best passage."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pytest

from codi.search import engine, registry, services
from codi.search.models import Chunk
from codi.search.passages import EMBED_CHARS, MAX_PASSAGES, PASSAGE_BODY_CHARS, passages
from codi.search.selectors import index_progress

TITLE = "พระราชบัญญัติคุ้มครองแรงงาน พ.ศ. ๒๕๔๑, มาตรา 41"
# A long section whose last sentence is what the question asks (maternity leave), after unrelated text.
LONG = (
    "ให้นายจ้างจัดให้ลูกจ้างมีวันหยุดประจำสัปดาห์ สัปดาห์หนึ่งไม่น้อยกว่าหนึ่งวัน "
    "โดยวันหยุดประจำสัปดาห์ต้องมีระยะห่างกันไม่เกินหกวัน นายจ้างและลูกจ้างอาจตกลงกันล่วงหน้า "
    "กำหนดให้มีวันหยุดประจำสัปดาห์วันใดก็ได้ ในกรณีที่ลูกจ้างทำงานโรงแรม งานขนส่ง งานในป่า "
    "งานในที่ทุรกันดาร หรืองานอื่นตามที่กำหนดในกฎกระทรวง นายจ้างและลูกจ้างอาจตกลงกันล่วงหน้า "
    "สะสมวันหยุดประจำสัปดาห์และเลื่อนไปหยุดเมื่อใดก็ได้ แต่ต้องอยู่ภายในระยะเวลาสี่สัปดาห์ติดต่อกัน "
    "ให้ลูกจ้างซึ่งเป็นหญิงมีครรภ์มีสิทธิลาเพื่อคลอดบุตรครรภ์หนึ่งไม่เกินเก้าสิบแปดวัน"
)
SHORT = "ผู้ใดเข้าถึงโดยมิชอบซึ่งระบบคอมพิวเตอร์ที่มีมาตรการป้องกันการเข้าถึง ต้องระวางโทษจำคุก"


def test_a_short_section_is_one_passage_as_before():
    assert passages("มาตรา 5", SHORT) == [f"มาตรา 5\n{SHORT}"]


def test_a_long_section_is_split_into_overlapping_passages_that_carry_the_title():
    parts = passages(TITLE, LONG)
    assert parts[0] == f"{TITLE}\n{LONG}"[:EMBED_CHARS]  # the single vector a section had before
    assert 2 < len(parts) <= MAX_PASSAGES
    assert all(p.startswith(f"{TITLE}\n") for p in parts)
    bodies = [p.removeprefix(f"{TITLE}\n") for p in parts[1:]]
    assert all(len(b) <= PASSAGE_BODY_CHARS for b in bodies)
    assert LONG.endswith(bodies[-1])  # the end of the section is read
    for before, after in itertools.pairwise(bodies):
        assert after[:10] in before  # windows overlap
    assert passages(TITLE, LONG, split=False) == parts[:1]


@pytest.fixture
def long_source():
    docs = {"long": (TITLE, LONG), "short": ("พระราชบัญญัติคอมพิวเตอร์, มาตรา 5", SHORT)}

    def chunks(ids: Sequence[str]):
        for object_id in ids:
            if object_id in docs:
                title, text = docs[object_id]
                yield registry.ChunkData(object_id=object_id, title=title, text=text)

    registry.register(
        registry.Source(name="test.law", chunks=chunks, all_ids=lambda: list(docs), passages=True)
    )
    services.index_update(source="test.law", object_ids=list(docs))
    return "test.law"


@pytest.mark.django_db
def test_sections_are_scored_by_their_best_passage_and_old_single_vectors_are_redone(long_source):
    assert services.index_embed_pending(source=long_source) == 2
    stored = dict(Chunk.objects.filter(source=long_source).values_list("object_id", "embedding"))
    assert len(bytes(stored["long"])) == len(passages(TITLE, LONG)) * engine.DIM * 4
    assert len(bytes(stored["short"])) == engine.DIM * 4
    assert index_progress(source=long_source, with_pending=True).pending == 0

    index = engine.dense_index(long_source)
    query = engine.embed_queries(["ลูกจ้างท้องลาคลอดได้กี่วัน"])[0]
    best = dict(index.search(query, 2))
    first = dict(index.search(query, 2, pooling="first"))
    assert index.search(query, 1)[0][0] == "long"
    assert best["long"] > first["long"]  # the answer is in a later passage
    assert best["short"] == pytest.approx(first["short"])
    vectors = np.frombuffer(bytes(stored["long"]), dtype=np.float32).reshape(-1, engine.DIM)
    assert best["long"] == pytest.approx(float((vectors @ query).max()), abs=1e-5)

    # A long section embedded before passages (one vector) is embedded again; a short one is not.
    Chunk.objects.filter(source=long_source).update(embedding=vectors[0].tobytes())
    assert index_progress(source=long_source, with_pending=True).pending == 1
    assert services.index_embed_pending(source=long_source) == 1
    assert index_progress(source=long_source, with_pending=True).pending == 0
