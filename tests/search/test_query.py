"""The database search: FTS5 / tsvector matches, filters, snippets, and the permission check in the query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest

from codi.search import engine, query, registry, services
from codi.search.models import Chunk, ChunkReader
from codi.search.query import Access, AreaGrant, Filters

SOURCE = "test.docs"
# object id: (title, text, kind, classification, area, date, readers)
DOCS: dict[str, tuple[str, str, str, str, str, date | None, tuple[str, ...]]] = {
    "pub": (
        "ประกาศรับสมัคร",
        "ประกาศรับสมัครโครงการ บ้านมั่นคง ชุมชนท่าพระ จังหวัดขอนแก่น",
        "announcement",
        "public",
        "",
        date(2025, 1, 10),
        (),
    ),
    "int-kk": (
        "บันทึกข้อความ",
        "บันทึกการประชุมโครงการ บ้านมั่นคง ตำบลท่าพระ เรื่องงบประมาณสะพาน",
        "memo",
        "internal",
        "400104",
        date(2025, 3, 1),
        (),
    ),
    "int-bkk": (
        "บันทึกข้อความ",
        "บันทึกการประชุมโครงการ บ้านมั่นคง เขตพระนคร เรื่องงบประมาณคลอง",
        "memo",
        "internal",
        "100101",
        date(2025, 6, 1),
        (),
    ),
    "conf-kk": (
        "สัญญา",
        "สัญญาโครงการ บ้านมั่นคง ตำบลท่าพระ ค่าก่อสร้างลับเฉพาะ",
        "contract",
        "confidential",
        "400104",
        date(2025, 4, 1),
        (),
    ),
    "secret": (
        "หนังสือลับ",
        "หนังสือลับโครงการ บ้านมั่นคง ผลการสอบสวนกรณีทุจริต",
        "letter",
        "secret",
        "400104",
        date(2025, 5, 1),
        ("user:7",),
    ),
}


def _chunks(ids: Sequence[str]):
    for object_id in ids:
        if object_id in DOCS:
            title, text, kind, classification, area, doc_date, readers = DOCS[object_id]
            yield registry.ChunkData(
                object_id=object_id,
                title=title,
                text=text,
                kind=kind,
                classification=classification,
                area_code=area,
                doc_date=doc_date,
                readers=readers,
            )


@pytest.fixture
def docs(db):
    registry.register(registry.Source(name=SOURCE, chunks=_chunks, all_ids=lambda: list(DOCS)))
    services.index_update(source=SOURCE, object_ids=list(DOCS))
    return SOURCE


EVERYTHING = Access.everything()
KHON_KAEN_OFFICER = Access(
    grants=(
        AreaGrant(classifications=frozenset({"public"})),
        AreaGrant(classifications=frozenset({"internal"}), area_prefixes=("40",)),
    ),
    principals=frozenset({"user:3"}),
)
KHON_KAEN_DIRECTOR = Access(
    grants=(
        AreaGrant(classifications=frozenset({"public"})),
        AreaGrant(classifications=frozenset({"internal", "confidential"}), area_prefixes=("40",)),
    ),
)
NAMED_READER = Access(
    grants=(AreaGrant(classifications=frozenset({"public"})),), principals=frozenset({"user:7"})
)
NOBODY = Access()


def ids(result: query.SearchResult) -> list[str]:
    return [h.object_id for h in result.hits]


def test_lexical_search_finds_segmented_thai_words(docs):
    result = query.search("งบประมาณสะพาน", access=EVERYTHING)

    assert ids(result) == ["int-kk"]
    assert result.total == 1
    assert result.terms == ["งบประมาณ", "สะพาน"]
    assert [p for p, is_match in result.hits[0].snippet if is_match] == ["งบประมาณสะพาน"]
    assert "เรื่องงบประมาณสะพาน" in result.hits[0].snippet_text


def test_all_terms_by_default_any_on_request(docs):
    assert ids(query.search("สะพาน คลอง", access=EVERYTHING)) == []
    assert sorted(ids(query.search("สะพาน คลอง", access=EVERYTHING, match="any"))) == ["int-bkk", "int-kk"]


@pytest.mark.parametrize(
    ("access", "visible"),
    [
        (EVERYTHING, {"pub", "int-kk", "int-bkk", "conf-kk", "secret"}),
        (KHON_KAEN_OFFICER, {"pub", "int-kk"}),
        (KHON_KAEN_DIRECTOR, {"pub", "int-kk", "conf-kk"}),
        (NAMED_READER, {"pub", "secret"}),
        (NOBODY, set()),
    ],
    ids=["everything", "kk-officer", "kk-director", "named-reader", "nobody"],
)
def test_permission_matrix_over_secrecy_classes(docs, access, visible):
    # Given one term every document holds, and one term only each document holds
    common = query.search("บ้านมั่นคง", access=access, limit=50)
    # Then the hits and the count are exactly the visible documents
    assert set(ids(common)) == visible
    assert common.total == len(visible)
    # And a word found only in a hidden document gives no hit, no count and no snippet
    for object_id, (_title, text, *_rest) in DOCS.items():
        private_word = {
            "pub": "ประกาศรับสมัคร",
            "int-kk": "สะพาน",
            "int-bkk": "คลอง",
            "conf-kk": "ค่าก่อสร้าง",
            "secret": "ทุจริต",
        }[object_id]
        assert private_word in text
        for method in ("lexical", "hybrid"):
            result = query.search(private_word, access=access, method=method, limit=50)
            if object_id in visible:
                assert object_id in ids(result)
            else:
                assert object_id not in ids(result)
                assert all(private_word not in h.snippet_text for h in result.hits)
        assert all(private_word not in h.snippet_text for h in common.hits if h.object_id not in visible)


def test_filters_narrow_by_kind_area_date_and_classification(docs):
    def found(**filters: object) -> list[str]:
        result = query.search("บ้านมั่นคง", access=EVERYTHING, filters=Filters(**filters), limit=50)  # type: ignore[arg-type]
        return sorted(ids(result))

    assert found(kinds=("memo",)) == ["int-bkk", "int-kk"]
    assert found(area_prefix="10") == ["int-bkk"]
    assert found(area_prefix="4001") == ["conf-kk", "int-kk", "secret"]
    assert found(date_from=date(2025, 3, 1), date_to=date(2025, 4, 30)) == ["conf-kk", "int-kk"]
    assert found(classifications=("public", "secret")) == ["pub", "secret"]
    assert found(sources=("other.source",)) == []


def test_paging_keeps_the_total(docs):
    first = query.search("บ้านมั่นคง", access=EVERYTHING, limit=2)
    rest = query.search("บ้านมั่นคง", access=EVERYTHING, limit=2, offset=4)
    beyond = query.search("บ้านมั่นคง", access=EVERYTHING, limit=2, offset=10)

    assert (len(first.hits), first.total) == (2, 5)
    assert (len(rest.hits), rest.total) == (1, 5)
    assert (beyond.hits, beyond.total) == ([], 5)


def test_reclassifying_updates_access_without_resegmenting(docs, monkeypatch):
    # Given the Bangkok memo is now secret with one named reader
    title, text, kind, _cls, area, doc_date, _readers = DOCS["int-bkk"]
    DOCS["int-bkk"] = (title, text, kind, "secret", area, doc_date, ("user:9",))
    monkeypatch.setattr(services, "tokens", lambda text: pytest.fail("text was segmented again"))
    try:
        # When the owner re-indexes it
        assert services.index_update(source=SOURCE, object_ids=["int-bkk"]) == 1
    finally:
        DOCS["int-bkk"] = (title, text, kind, "internal", area, doc_date, ())
    # Then only the named reader finds it
    chunk = Chunk.objects.get(source=SOURCE, object_id="int-bkk")
    assert chunk.classification == "secret"
    assert list(ChunkReader.objects.filter(chunk=chunk).values_list("principal", flat=True)) == ["user:9"]
    everyone_internal = Access(grants=(AreaGrant(classifications=frozenset({"public", "internal"})),))
    assert ids(query.search("คลอง", access=everyone_internal)) == []
    assert ids(query.search("คลอง", access=Access(principals=frozenset({"user:9"})))) == ["int-bkk"]


def test_hybrid_fuses_visible_dense_hits_only(docs, monkeypatch):
    # Given vectors where every query "means" the secret letter, then the Khon Kaen memo
    order = {"secret": 1.0, "int-kk": 0.5, "pub": 0.1, "int-bkk": 0.0, "conf-kk": 0.0}

    def fake_passages(texts):
        out = np.zeros((len(texts), engine.DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            oid = next(o for o, d in DOCS.items() if text.startswith(d[0] + "\n" + d[1][:20]))
            out[row, 0] = order[oid]
            out[row, 1] = 1.0 - order[oid]
        return out

    monkeypatch.setattr(engine, "embed_passages", fake_passages)
    monkeypatch.setattr(engine, "embed_queries", lambda texts: np.eye(1, engine.DIM, dtype=np.float32))
    services.index_embed_pending(source=SOURCE)

    # When an officer who may not read the secret letter asks something no word matches
    result = query.search("ความหมายเท่านั้น", access=KHON_KAEN_OFFICER, method="hybrid")

    # Then the dense side ranks the visible memo first and the secret letter is absent
    assert ids(result)[:2] == ["int-kk", "pub"]
    assert "secret" not in ids(result)
    assert result.total == 2
    assert result.hits[0].dense_rank == 1 and result.hits[0].lexical_rank is None
    assert ids(query.search("ความหมายเท่านั้น", access=EVERYTHING, method="dense"))[0] == "secret"


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="area prefix"):
        Filters(area_prefix="40%")
    with pytest.raises(ValueError, match="area prefix"):
        AreaGrant(classifications=frozenset({"public"}), area_prefixes=("1' OR '1",))
    with pytest.raises(ValueError, match="classification"):
        AreaGrant(classifications=frozenset({"top"}))
    with pytest.raises(ValueError, match="unknown method"):
        query.search("x", access=EVERYTHING, method="magic")


def test_snippet_windows_long_text_around_the_first_match():
    text = "ก" * 50 + " " + "ข้อความนำ " * 40 + "พบคำว่าสะพานตรงนี้ " + "ท้ายเรื่อง " * 40

    parts = query.snippet(["สะพาน"], text, width=120)

    joined = "".join(p for p, _ in parts)
    assert joined.startswith("…") and joined.endswith("…")
    assert [p for p, is_match in parts if is_match] == ["สะพาน"]
    assert len(joined) <= 122
