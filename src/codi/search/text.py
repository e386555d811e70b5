"""The Thai text pipeline every index shares: normalise, then segment into searchable tokens.

Normalising makes the text and the query meet: Unicode NFC, Thai numerals
(๐–๙) become Arabic digits, runs of whitespace become one space, and Latin
letters are lower-cased. Segmenting uses PyThaiNLP's ``newmm`` dictionary
segmenter (imported on first use: it is heavy and only indexing and querying
need it); punctuation and space tokens are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SPACES = re.compile(r"\s+")
# A token worth indexing holds at least one Thai letter, Latin letter or digit.
_WORDY = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e4ea-z0-9]")
# Very common function words that carry no meaning for retrieval.
STOPWORDS = frozenset(
    {
        "ที่",
        "และ",
        "หรือ",
        "ของ",
        "ใน",
        "ให้",
        "เป็น",
        "ได้",
        "ไม่",
        "มี",
        "การ",
        "ความ",
        "ว่า",
        "จะ",
        "ซึ่ง",
        "นี้",
        "นั้น",
        "โดย",
        "แก่",
        "แห่ง",
        "ต่อ",
        "กับ",
        "ไป",
        "มา",
        "ตาม",
        "อยู่",
        "เพื่อ",
        "แต่",
        "ถ้า",
        "ก็",
        "คือ",
        "ด้วย",
        "จาก",
        "อะไร",
        "อย่างไร",
        "ไหม",
        "บ้าง",
        "ครับ",
        "ค่ะ",
        "คะ",
        "หรือไม่",
        "the",
        "a",
        "an",
        "of",
        "to",
        "is",
        "in",
        "and",
        "or",
        "what",
        "how",
    }
)


def normalise(text: str) -> str:
    """NFC, Thai numerals → Arabic, collapsed whitespace, stripped."""
    text = unicodedata.normalize("NFC", text or "").translate(THAI_DIGITS)
    return _SPACES.sub(" ", text).strip()


def thai_to_arabic(text: str) -> str:
    return text.translate(THAI_DIGITS)


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    # Imported here: PyThaiNLP loads its dictionary (~1 s); importing the web app must not pay that.
    from pythainlp.tokenize import Tokenizer

    return Tokenizer(engine="newmm", keep_whitespace=False)


@lru_cache(maxsize=1)
def _raw_segmenter() -> Any:
    # heavy: PyThaiNLP is loaded on the first segmentation only
    from pythainlp.tokenize import Tokenizer

    return Tokenizer(engine="newmm", keep_whitespace=True)


def segment_raw(text: str) -> list[str]:
    """``text`` cut at word boundaries with nothing dropped: the pieces join back to ``text``."""
    return list(_raw_segmenter().word_tokenize(text)) if text else []


@lru_cache(maxsize=200_000)
def _segment_phrase(phrase: str) -> tuple[str, ...]:
    # Statutes repeat phrases ("ต้องระวางโทษจำคุกไม่เกินหนึ่งปี"); newmm never joins across a space,
    # so segmenting each space-separated phrase once and remembering it gives the same words, faster.
    return tuple(w for w in _segmenter().word_tokenize(phrase) if _WORDY.search(w))


def segment(text: str) -> list[str]:
    """The words of normalised ``text`` in order (punctuation and spaces dropped, Latin lower-cased)."""
    text = normalise(text).lower()
    words: list[str] = []
    for phrase in text.split(" "):
        if phrase:
            words.extend(_segment_phrase(phrase))
    return words


def tokens(text: str) -> list[str]:
    """Index terms: the segmented words without stopwords."""
    return [w for w in segment(text) if w not in STOPWORDS]


def is_mostly_thai(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    thai = sum(1 for c in letters if "\u0e01" <= c <= "\u0e5b")
    return thai / len(letters) >= 0.5
