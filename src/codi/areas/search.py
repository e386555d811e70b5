"""Thai-aware search of area names: an in-memory index of ~8,400 names, built once per process.

Thai is written without spaces between words, so a name is segmented with
PyThaiNLP (``newmm``) when the index is built, and every word boundary starts a
key: "บางกะปิ" → บาง|กะปิ gives the keys "บางกะปิ" and "กะปิ". A query matches
when it is a prefix of a key, so "บางก" finds บางกะปิ and บางกรวย and "กะปิ" finds
บางกะปิ. Administrative prefixes (เขต, แขวง, อำเภอ, ตำบล, จังหวัด and their
abbreviations) are ignored on both sides. A query that finds nothing as a whole
is segmented too, and each word may then match the area or one of its parents:
"บ้านเป็ดขอนแก่น" → บ้าน|เป็ด|ขอนแก่น finds ตำบลบ้านเป็ด in Khon Kaen. Five
digits look up a postal code; 2, 4 or 6 digits a DOPA code.

Keys live in one sorted list, so a prefix lookup is a binary search.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

LEVEL_ORDER = {"province": 0, "district": 1, "subdistrict": 2}
_PREFIXES = ("กรุงเทพมหานคร ", "จังหวัด", "อำเภอ", "ตำบล", "แขวง", "เขต", "จ.", "อ.", "ต.")
_SPACES = re.compile(r"\s+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
MAX_LIMIT = 50


@dataclass(frozen=True)
class Entry:
    level: str
    code: str
    name_th: str
    name_en: str
    postal_codes: tuple[str, ...]
    parent_code: str


@dataclass(frozen=True)
class Hit:
    entry: Entry
    rank: tuple[int, int, str]


def normalize(text: str) -> str:
    """NFC, one space between words, Latin lower-cased, the two spellings of สระอำ made one."""
    text = unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33")
    return _SPACES.sub(" ", text).strip().lower()


def strip_prefix(text: str) -> str:
    """Drop one leading administrative word ("เขต", "ตำบล", "จ." …) when a name follows it."""
    for prefix in _PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :].lstrip()
    return text


def _segment(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize  # heavy: loaded on the first search only

    return [t for t in word_tokenize(text, engine="newmm", keep_whitespace=False) if t.strip()]


class AreaIndex:
    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: list[Entry] = list(entries)
        self.by_code: dict[str, Entry] = {e.code: e for e in self.entries}
        self.by_postal: dict[str, list[Entry]] = {}
        # Each entry's names as keys compare them: Thai without its administrative prefix, English.
        self._names: list[tuple[str, str]] = [
            (strip_prefix(normalize(e.name_th)), normalize(e.name_en)) for e in self.entries
        ]
        keys: list[tuple[str, int]] = []
        segmented: dict[str, list[str]] = {}
        for i, entry in enumerate(self.entries):
            for postal in entry.postal_codes:
                self.by_postal.setdefault(postal, []).append(entry)
            name, english = self._names[i]
            if name not in segmented:
                segmented[name] = _segment(name)
            words = segmented[name]
            starts = {0}
            position = 0
            for word in words:
                found = name.find(word, position)
                if found >= 0:
                    starts.add(found)
                    position = found + len(word)
            for start in starts:
                keys.append((name[start:], i))
            for match in _LATIN_WORD.finditer(english):
                keys.append((english[match.start() :], i))
        keys.sort()
        self._keys = [k for k, _ in keys]
        self._ids = [i for _, i in keys]

    def _prefix(self, term: str) -> dict[int, bool]:
        """Entries with a key that starts with ``term``; the value says whether the whole name matched."""
        found: dict[int, bool] = {}
        lo = bisect.bisect_left(self._keys, term)
        for j in range(lo, len(self._keys)):
            key = self._keys[j]
            if not key.startswith(term):
                break
            i = self._ids[j]
            found[i] = found.get(i, False) or key in self._names[i]
        return found

    def _with_descendants(self, hits: Iterable[int]) -> set[int]:
        codes = {self.entries[i].code for i in hits}
        return {
            i
            for i, e in enumerate(self.entries)
            if e.code in codes or e.code[:2] in codes or e.code[:4] in codes
        }

    def search(self, query: str, *, limit: int = 20) -> list[Entry]:
        limit = max(1, min(limit, MAX_LIMIT))
        q = strip_prefix(normalize(query))
        if not q:
            return []
        if q.isdigit():
            if len(q) == 5:
                return sorted(self.by_postal.get(q, []), key=lambda e: e.code)[:limit]
            return [e for e in self.entries if e.code.startswith(q)][:limit]
        hits: list[Hit] = []
        whole = self._prefix(q)
        for i, is_name_start in whole.items():
            entry = self.entries[i]
            exact = q in self._names[i]
            kind = 0 if exact else (1 if is_name_start else 2)
            hits.append(Hit(entry, (kind, LEVEL_ORDER[entry.level], entry.code)))
        if not hits:
            hits = self._by_words(q)
        hits.sort(key=lambda h: h.rank)
        return [h.entry for h in hits[:limit]]

    def _by_words(self, q: str) -> list[Hit]:
        """Every word must match the area's name or a parent's; own-name matches rank first."""
        words = [w for part in q.split(" ") for w in (_segment(part) if not part.isascii() else [part])]
        words = [w for w in (strip_prefix(w) for w in words) if w]
        if len(words) < 2:
            return []
        matching: set[int] | None = None
        own_matches: dict[int, int] = {}
        for word in words:
            direct = self._prefix(word)
            for i in direct:
                own_matches[i] = own_matches.get(i, 0) + 1
            reach = self._with_descendants(direct)
            matching = reach if matching is None else matching & reach
            if not matching:
                return []
        assert matching is not None
        return [
            Hit(self.entries[i], (3 + len(words) - own_matches.get(i, 0), -LEVEL_ORDER[e.level], e.code))
            for i in matching
            if own_matches.get(i, 0) > 0
            for e in [self.entries[i]]
        ]


_index: AreaIndex | None = None
_lock = threading.Lock()


def get_index(load: Callable[[], list[Entry]]) -> AreaIndex:
    """The process's index, built by ``load`` on first use."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                entries = load()
                index = AreaIndex(entries)
                if not entries:  # areas not loaded yet: do not keep an empty index
                    return index
                _index = index
    return _index


def reset_index() -> None:
    global _index
    with _lock:
        _index = None
