"""Per-area aggregates kept between requests, so a map or QGIS paging through a layer does not
re-aggregate 100,000 rows for every request.

An entry is keyed by what was asked (source, level, filters) and by the reader's scope as the
owning app states it (``projects.gis_feed.scope_key``: readers with the same key see the same
rows), and holds the source's change marker (``projects.gis_feed.change_marker``: count, last id,
last save) from when it was computed. A request reads the marker (one cheap aggregate query) and
uses the entry only when it is the same; otherwise it aggregates again and replaces the entry.
The store is per process and bounded (least recently used entries go first); the marker makes
every process agree with the database, so nothing has to be cleared when a project changes.
Callers must not change what they get back.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
MAX_ENTRIES = 16  # a country-wide subdistrict entry is ~7,400 small dicts (a few MB)

_store: OrderedDict[Hashable, tuple[str, Any]] = OrderedDict()
_lock = threading.Lock()
stats = {"hits": 0, "misses": 0}


def cached(key: Hashable, marker: str, compute: Callable[[], T]) -> T:
    """The value kept for ``key`` if it was computed at ``marker``; else ``compute()``, kept."""
    with _lock:
        entry = _store.get(key)
        if entry is not None and entry[0] == marker:
            _store.move_to_end(key)
            stats["hits"] += 1
            return entry[1]
    value = compute()
    with _lock:
        stats["misses"] += 1
        _store[key] = (marker, value)
        _store.move_to_end(key)
        while len(_store) > MAX_ENTRIES:
            _store.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _store.clear()
