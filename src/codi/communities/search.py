"""Thai word segmentation for organization-name search (PyThaiNLP newmm, loaded on first use).

Names are stored with their words separated by spaces (``name_search``); a
query is segmented the same way and each of its words must start one of the
name's words, so "บ้านเป" finds "กลุ่มออมทรัพย์บ้านเป็ด".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_NOT_WORD = re.compile(r"[\s\"'()\[\]{},;:!?/\\|<>*+=&%#@^~`“”‘’]+")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    # Imported here: PyThaiNLP is heavy and only search and writes need it.
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def words(text: str) -> list[str]:
    """The words of ``text``: Thai segmented with newmm, other scripts split on spaces, lower-cased."""
    text = unicodedata.normalize("NFC", text or "").lower()
    out: list[str] = []
    for chunk in _NOT_WORD.split(text):
        if not chunk:
            continue
        if chunk.isascii():
            out.append(chunk)
            continue
        for word in _tokenizer()(chunk, engine="newmm", keep_whitespace=False):
            word = word.strip(" .-_")
            if word:
                out.append(word)
    return out


def index_text(*names: str) -> str:
    """What ``name_search`` stores: every word once, each preceded by a space."""
    seen: dict[str, None] = {}
    for name in names:
        for word in words(name):
            seen.setdefault(word, None)
    return "".join(f" {w}" for w in seen)
