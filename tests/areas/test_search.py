"""Thai-aware area search: segmentation, prefixes, postal codes, English names."""

from __future__ import annotations

import pytest

from codi.areas.search import AreaIndex, Entry, normalize, strip_prefix
from codi.areas.selectors import area_search

pytestmark = pytest.mark.django_db


def _codes(q: str, limit: int = 20) -> list[str]:
    return [r.code for r in area_search(q=q, limit=limit)]


def test_a_full_name_finds_the_district_and_the_subdistrict():
    # เขตบางกะปิ (district 1006) and แขวงบางกะปิ in เขตห้วยขวาง (101702).
    assert _codes("บางกะปิ") == ["1006", "101702"]


def test_a_prefix_finds_every_name_that_starts_with_it():
    codes = _codes("บางก", limit=50)
    assert codes[:6] == ["1006", "1016", "1020", "1202", "6505", "9014"]  # districts first, by code
    assert {"101702", "120202", "110409"} <= set(codes)  # บางกะปิ, บางกรวย, บางกะเจ้า


def test_a_word_inside_a_name_matches_at_its_word_boundary():
    # newmm segments บางนาเหนือ as บางนา|เหนือ, so "เหนือ" finds it; "นาเหนือ" starts no word.
    assert "104702" in _codes("เหนือ", limit=50)
    assert "104702" not in _codes("นาเหนือ", limit=50)


def test_administrative_prefixes_are_ignored():
    assert _codes("เขตบางกะปิ") == _codes("บางกะปิ") == _codes("แขวงบางกะปิ")
    assert _codes("จังหวัดขอนแก่น")[0] == "40"
    assert _codes("ตำบลท่าพระ") == _codes("ต.ท่าพระ") == _codes("ท่าพระ")
    assert "400104" in _codes("ท่าพระ")


def test_words_run_together_are_segmented_and_may_match_parents():
    # บ้านเป็ด|ขอนแก่น: the subdistrict บ้านเป็ด, in the province ขอนแก่น.
    assert _codes("บ้านเป็ดขอนแก่น") == ["400115"]
    assert _codes("ท่าพระ ขอนแก่น") == ["400104"]


def test_postal_code_and_code_lookups():
    assert _codes("10240") == ["100601", "100608", "102701", "102704", "102705", "104401", "104402"]
    assert _codes("400104") == ["400104"]
    assert _codes("4001")[0] == "4001"


def test_english_names_are_searched_too():
    assert _codes("bang kapi") == ["1006", "101702"]
    assert _codes("Khon")[0] == "40"


def test_results_carry_a_label_with_the_parents():
    first = area_search(q="ท่าพระ ขอนแก่น")[0]
    assert (first.level, first.label_th, first.label_en, first.postal_codes) == (
        "subdistrict",
        "ท่าพระ · เมืองขอนแก่น · ขอนแก่น",
        "Tha Phra, Mueang Khon Kaen, Khon Kaen",
        ["40260"],
    )


def test_nonsense_and_empty_queries_find_nothing():
    assert _codes("") == []
    assert _codes("   ") == []
    assert _codes("ฮฮฮฮฮฮ") == []
    assert _codes("99999") == []


def test_normalize_unifies_the_two_spellings_of_sara_am():
    assert normalize("ลำ\u0e9f") == normalize("ล\u0e4d\u0e32\u0e9f")
    assert strip_prefix(normalize("  อำเภอ   เมือง ")) == "เมือง"
    assert strip_prefix("เขต") == "เขต"  # a bare prefix stays a query


def test_the_index_works_without_a_database():
    index = AreaIndex(
        [
            Entry("province", "40", "ขอนแก่น", "Khon Kaen", (), ""),
            Entry("subdistrict", "400104", "ท่าพระ", "Tha Phra", ("40260",), "4001"),
        ]
    )
    assert [e.code for e in index.search("ท่า")] == ["400104"]
    assert [e.code for e in index.search("40260")] == ["400104"]


def test_search_is_fast_once_the_index_is_built():
    import time

    area_search(q="บาง")  # builds the index if this process has none
    started = time.perf_counter()
    for q in ["บาง", "บางกะปิ", "เมือง", "ขอนแก่น", "10240", "นา"]:
        area_search(q=q)
    assert (time.perf_counter() - started) / 6 < 0.05
