"""Sources of searchable text. A module registers one in its AppConfig.ready(); search never imports it.

A source turns object ids into chunks (the text to index, the text to embed,
a title). The search service calls it when an object is (re)indexed, so the
owning module decides what is searchable, and the search service never reads
another module's tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ChunkData:
    object_id: str
    title: str
    text: str  # what the lexical index and the snippets use
    embed_text: str = ""  # what the dense model reads ("passage: " is added by the model); defaults to text
    # What filters and the permission check of ``codi.search.query`` read. The defaults (public, no
    # area) suit national reference texts such as statutes; a module with restricted objects sets them.
    kind: str = ""  # the object's type within its source, e.g. "letter", "contract"
    classification: str = "public"  # public | internal | confidential | secret
    area_code: str = ""  # DOPA code (subdistrict, district or province); "" when the object has no area
    doc_date: date | None = None  # the date the date-range filter reads
    readers: tuple[str, ...] = ()  # principals ("user:12") who may read it whatever its class and area


@dataclass(frozen=True)
class Source:
    name: str
    chunks: Callable[[Sequence[str]], Iterable[ChunkData]]
    all_ids: Callable[[], Iterable[str]]
    # Long chunks embedded as overlapping passages, a chunk scored by its best passage (search.passages).
    passages: bool = False


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    _SOURCES[source.name] = source


def get(name: str) -> Source:
    try:
        return _SOURCES[name]
    except KeyError:
        raise LookupError(f"no search source named {name!r}") from None


def names() -> list[str]:
    return sorted(_SOURCES)
