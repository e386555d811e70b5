"""The Thai text pipeline: normalising and segmenting."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from codi.search.text import is_mostly_thai, normalise, segment, thai_to_arabic, tokens


def test_normalise_turns_thai_digits_into_arabic_and_collapses_spaces():
    assert normalise("  มาตรา  ๒๖/๑\n\tวรรค ๒  ") == "มาตรา 26/1 วรรค 2"


def test_normalise_composes_unicode():
    # "ำ" written as NIKHAHIT + SARA AA composes to SARA AM under NFC? No: NFC keeps Thai as is,
    # but a decomposed Latin letter is composed.
    assert normalise("Cafe\u0301") == "Café"


def test_segment_cuts_thai_words_and_drops_punctuation():
    assert segment("ผู้ใดเข้าถึงระบบคอมพิวเตอร์โดยมิชอบ, (ทดสอบ)") == [
        "ผู้ใด",
        "เข้าถึง",
        "ระบบ",
        "คอมพิวเตอร์",
        "โดยมิชอบ",
        "ทดสอบ",
    ]


def test_tokens_drop_stopwords_and_lower_latin():
    assert tokens("ข้อมูลของราชการ และ Digital ID") == ["ข้อมูล", "ราชการ", "digital", "id"]


def test_is_mostly_thai():
    assert is_mostly_thai("ลาคลอดได้กี่วัน")
    assert not is_mostly_thai("How many days of maternity leave?")
    assert not is_mostly_thai("12345")


@given(st.integers(min_value=0, max_value=10**6))
def test_thai_digits_round_trip(number: int):
    thai = str(number).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert thai_to_arabic(thai) == str(number)
