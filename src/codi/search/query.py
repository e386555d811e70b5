"""Search with filters and permissions: the database's lexical index, e5 vectors, RRF, snippets.

``search(query, access=..., filters=...)`` is what a module's search page
calls. The permission check is part of the SQL that finds, ranks and counts
the matches, so a chunk the caller may not see never becomes a hit, never adds
to ``total`` and never gives a snippet. The caller says what the user may see
in the search service's own terms (:class:`Access`), because the search
service knows nothing of roles or modules:

- a list of :class:`AreaGrant` — classifications the user may read, and where
  (DOPA code prefixes; ``None`` for everywhere);
- a set of principals (``user:12``, ``unit:3``) — a chunk naming one of them
  as a reader is visible whatever its classification and area (how "secret,
  named readers only" is expressed).

The lexical side is SQLite FTS5 (``bm25``) or PostgreSQL ``tsvector``
(``ts_rank``) over the segmented tokens (migration 0003). The dense side is
the per-process e5 matrix of :mod:`codi.search.engine`: its nearest
``DENSE_CANDIDATES`` chunks are passed through the same SQL condition before
fusion, so a user with narrow access gets fewer dense hits, never foreign ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection

from codi.search.models import CLASSIFICATIONS, Chunk, IndexVersion
from codi.search.text import normalise, tokens

RRF_K = 60
DENSE_CANDIDATES = 300  # 3 × the default pool: each costs a primary-key lookup for the permission check
MAX_QUERY_TERMS = 16
SNIPPET_CHARS = 240
_AREA_CODE = re.compile(r"^[0-9]{0,12}$")
_SELECT = "c.id, c.source, c.object_id, c.title, c.kind, c.classification, c.area_code, c.doc_date"


@dataclass(frozen=True)
class AreaGrant:
    """Classifications readable within some areas (``None``: every area)."""

    classifications: frozenset[str]
    area_prefixes: tuple[str, ...] | None = None
    include_unassigned: bool = True  # chunks with no area code

    def __post_init__(self) -> None:
        unknown = set(self.classifications) - set(CLASSIFICATIONS)
        if unknown:
            raise ValueError(f"unknown classification(s) {sorted(unknown)}")
        for prefix in self.area_prefixes or ():
            if not prefix or not _AREA_CODE.match(prefix):
                raise ValueError(f"area prefix must be digits, got {prefix!r}")


@dataclass(frozen=True)
class Access:
    """What one user may see: grants by classification and area, and the principals they are."""

    grants: tuple[AreaGrant, ...] = ()
    principals: frozenset[str] = frozenset()

    @classmethod
    def everything(cls) -> Access:
        """For system jobs and benchmarks; never for a person's request."""
        return cls(grants=(AreaGrant(classifications=frozenset(CLASSIFICATIONS)),))

    @property
    def is_empty(self) -> bool:
        return not self.principals and not any(g.classifications for g in self.grants)


@dataclass(frozen=True)
class Filters:
    sources: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    area_prefix: str = ""
    date_from: date | None = None
    date_to: date | None = None
    classifications: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _AREA_CODE.match(self.area_prefix):
            raise ValueError(f"area prefix must be digits, got {self.area_prefix!r}")


@dataclass(frozen=True)
class SearchHit:
    source: str
    object_id: str
    title: str
    kind: str
    classification: str
    area_code: str
    doc_date: date | None
    score: float
    lexical_rank: int | None
    dense_rank: int | None
    snippet: tuple[tuple[str, bool], ...] = ()

    @property
    def snippet_text(self) -> str:
        return "".join(piece for piece, _ in self.snippet)


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    total: int  # visible matches (lexical matches, plus dense-only hits for hybrid)
    method: str
    terms: list[str] = field(default_factory=list)


# --- the SQL condition -----------------------------------------------------------------------------
# Every value reaches the database as a parameter; the SQL text is built only from fixed fragments,
# column names chosen here and "%s" placeholders (hence the S608 exemptions below).


def _in(column: str, values: Sequence[Any], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def where_sql(access: Access, filters: Filters, *, alias: str = "c") -> tuple[str, list[Any]]:
    """The permission and filter condition on chunk rows aliased ``alias``, with its parameters."""
    params: list[Any] = []
    allowed: list[str] = []
    for grant in access.grants:
        classes = sorted(grant.classifications)
        if not classes:
            continue
        parts = [_in(f"{alias}.classification", classes, params)]
        if grant.area_prefixes is not None:
            areas = []
            for prefix in grant.area_prefixes:
                areas.append(f"{alias}.area_code LIKE %s")
                params.append(f"{prefix}%")
            if grant.include_unassigned:
                areas.append(f"{alias}.area_code = ''")
            parts.append(f"({' OR '.join(areas) or '1=0'})")
        elif not grant.include_unassigned:
            parts.append(f"{alias}.area_code <> ''")
        allowed.append(f"({' AND '.join(parts)})")
    if access.principals:
        principals = sorted(access.principals)
        readers = _in("r.principal", principals, params)
        exists = f"EXISTS (SELECT 1 FROM search_chunkreader r WHERE r.chunk_id = {alias}.id AND {readers})"  # noqa: S608
        allowed.append(exists)
    conditions = [f"({' OR '.join(allowed) or '1=0'})"]
    if filters.sources:
        conditions.append(_in(f"{alias}.source", filters.sources, params))
    if filters.kinds:
        conditions.append(_in(f"{alias}.kind", filters.kinds, params))
    if filters.classifications:
        conditions.append(_in(f"{alias}.classification", filters.classifications, params))
    if filters.area_prefix:
        conditions.append(f"{alias}.area_code LIKE %s")
        params.append(f"{filters.area_prefix}%")
    if filters.date_from:
        conditions.append(f"{alias}.doc_date >= %s")
        params.append(filters.date_from)
    if filters.date_to:
        conditions.append(f"{alias}.doc_date <= %s")
        params.append(filters.date_to)
    return " AND ".join(conditions), params


# --- lexical -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    pk: int
    source: str
    object_id: str
    title: str
    kind: str
    classification: str
    area_code: str
    doc_date: date | None


def _row(values: Sequence[Any]) -> _Row:
    doc_date = values[7]
    if isinstance(doc_date, str):  # SQLite raw queries return dates as text
        doc_date = date.fromisoformat(doc_date)
    return _Row(int(values[0]), values[1], values[2], values[3], values[4], values[5], values[6], doc_date)


def _fts5_query(terms: Sequence[str], match: str) -> str:
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    return (" AND " if match == "all" else " OR ").join(quoted)


def lexical(
    terms: Sequence[str], *, access: Access, filters: Filters, limit: int, offset: int = 0, match: str = "all"
) -> tuple[list[tuple[_Row, float]], int]:
    """The visible chunks matching ``terms``, best first, and how many there are in all."""
    if not terms or access.is_empty:
        return [], 0
    where, where_params = where_sql(access, filters)
    if connection.vendor == "postgresql":
        op = " && " if match == "all" else " || "
        tsquery = op.join(["phraseto_tsquery('simple', %s)"] * len(terms))
        sql = (
            f"SELECT {_SELECT}, ts_rank(c.search_tsv, q.q) AS score, count(*) OVER () AS total "  # noqa: S608
            f"FROM search_chunk c, (SELECT ({tsquery}) AS q) q "
            f"WHERE c.search_tsv @@ q.q AND {where} ORDER BY score DESC, c.id LIMIT %s OFFSET %s"
        )
        params = [*terms, *where_params, limit, offset]
    else:
        sql = (
            # bm25() may not sit beside a window function: rank the matches first, then join and count.
            "WITH m AS MATERIALIZED (SELECT rowid AS id, -bm25(search_chunk_fts) AS score "  # noqa: S608
            "FROM search_chunk_fts WHERE search_chunk_fts MATCH %s) "
            f"SELECT {_SELECT}, m.score, count(*) OVER () AS total FROM m JOIN search_chunk c ON c.id = m.id "
            f"WHERE {where} ORDER BY m.score DESC, c.id LIMIT %s OFFSET %s"
        )
        params = [_fts5_query(terms, match), *where_params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        if offset:  # past the end: still say how many there are
            _, total = lexical(terms, access=access, filters=filters, limit=1, match=match)
            return [], total
        return [], 0
    return [(_row(r), float(r[8])) for r in rows], int(rows[0][9])


# --- dense -------------------------------------------------------------------------------------------


def _dense_sources(filters: Filters) -> list[str]:
    sources = IndexVersion.objects.filter(dense_version__gt=0)
    if filters.sources:
        sources = sources.filter(source__in=filters.sources)
    return sorted(sources.values_list("source", flat=True))


def dense(query: str, *, access: Access, filters: Filters, pool: int) -> list[tuple[int, float]]:
    """The visible chunks nearest to ``query`` among the ``DENSE_CANDIDATES`` nearest of all."""
    from codi.search import engine  # heavy: numpy and the e5 model, loaded on the first search

    if access.is_empty:
        return []
    sources = _dense_sources(filters)
    indexes = [(source, engine.dense_index(source)) for source in sources]
    indexes = [(source, index) for source, index in indexes if index.ids]
    if not indexes:
        return []
    vector = engine.embed_queries([query])[0]
    candidates: list[tuple[float, int]] = []
    for _source, index in indexes:
        candidates += [(score, pk) for pk, score in index.search_pks(vector, DENSE_CANDIDATES)]
    candidates.sort(key=lambda item: -item[0])
    score_of = {pk: score for score, pk in candidates[:DENSE_CANDIDATES]}
    if not score_of:
        return []
    params: list[Any] = []
    condition = _in("c.id", sorted(score_of), params)
    where, where_params = where_sql(access, filters)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id FROM search_chunk c WHERE {condition} AND {where}",  # noqa: S608
            [*params, *where_params],
        )
        visible = [(int(pk), score_of[int(pk)]) for (pk,) in cursor.fetchall()]
    visible.sort(key=lambda item: (-item[1], item[0]))
    return visible[:pool]


def _fetch(access: Access, filters: Filters, condition: str, params: list[Any]) -> list[_Row]:
    where, where_params = where_sql(access, filters)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_SELECT} FROM search_chunk c WHERE {condition} AND {where}",  # noqa: S608
            [*params, *where_params],
        )
        return [_row(r) for r in cursor.fetchall()]


# --- snippets ----------------------------------------------------------------------------------------


def _mark(text: str, terms: Sequence[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_match) parts at the query terms' occurrences.

    The terms are already segmented words, so plain (case-insensitive) string matching finds them;
    segmenting every snippet window again would cost ~1 ms each, most of a query's time.
    """
    if not terms:
        return [(text, False)] if text else []
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True)), re.IGNORECASE
    )
    parts: list[tuple[str, bool]] = []
    position = 0
    for found in pattern.finditer(text):
        if found.start() > position:
            parts.append((text[position : found.start()], False))
        if parts and parts[-1][1] and found.start() == position:
            parts[-1] = (parts[-1][0] + found.group(), True)
        else:
            parts.append((found.group(), True))
        position = found.end()
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def snippet(terms: Iterable[str], text: str, *, width: int = SNIPPET_CHARS) -> tuple[tuple[str, bool], ...]:
    """A window of ``text`` around the first query term it contains, cut at spaces, matches marked."""
    wanted = [t for t in terms if t]
    plain = normalise(text[: width * 200]) if len(text) > width * 200 else normalise(text)
    lowered = plain.lower()
    positions = [p for p in (lowered.find(t) for t in wanted) if p >= 0]
    if not positions and len(text) > width * 200:  # the first match lies deep in a long text
        plain = normalise(text)
        lowered = plain.lower()
        positions = [p for p in (lowered.find(t) for t in wanted) if p >= 0]
    start = max(0, min(positions) - width // 4) if positions else 0
    end = min(len(plain), start + width)
    # Move the edges to a space when one is near, so the window does not cut a word.
    if start > 0:
        space = plain.find(" ", start, start + 30)
        start = space + 1 if space >= 0 else start
    if end < len(plain):
        space = plain.rfind(" ", end - 30, end)
        end = space if space > start else end
    parts = _mark(plain[start:end], wanted)
    if start > 0:
        parts = [("…", False), *parts]
    if end < len(plain):
        parts = [*parts, ("…", False)]
    return tuple(parts)


def _texts(pks: Sequence[int]) -> dict[int, str]:

    return dict(Chunk.objects.filter(pk__in=pks).values_list("pk", "text"))


# --- the entry point -----------------------------------------------------------------------------


def search(
    query: str,
    *,
    access: Access,
    filters: Filters | None = None,
    method: str = "lexical",
    limit: int = 20,
    offset: int = 0,
    pool: int = 100,
    match: str = "all",
    snippets: bool = True,
) -> SearchResult:
    """Chunks matching ``query`` that ``access`` may see, filtered, ranked and snippeted.

    ``method``: ``lexical`` (database index), ``dense`` (e5) or ``hybrid`` (RRF of
    the best ``pool`` of each). ``match``: ``all`` query terms (default) or ``any``.
    """
    if method not in {"lexical", "dense", "hybrid"}:
        raise ValueError(f"unknown method {method!r}")
    if match not in {"all", "any"}:
        raise ValueError(f"unknown match {match!r}")
    filters = filters or Filters()
    terms = list(dict.fromkeys(tokens(query)))[:MAX_QUERY_TERMS]
    if method == "lexical":
        ranked, total = lexical(
            terms, access=access, filters=filters, limit=limit, offset=offset, match=match
        )
        hits: list[tuple[_Row, float, int | None, int | None]] = [
            (row, score, offset + i, None) for i, (row, score) in enumerate(ranked, start=1)
        ]
    else:
        lex, lex_total = (
            lexical(terms, access=access, filters=filters, limit=pool, match=match)
            if method == "hybrid"
            else ([], 0)
        )
        den = dense(query, access=access, filters=filters, pool=pool) if normalise(query) else []
        rows = {row.pk: row for row, _ in lex}
        lex_rank = {row.pk: rank for rank, (row, _) in enumerate(lex, start=1)}
        den_rank = {pk: rank for rank, (pk, _) in enumerate(den, start=1)}
        fused: dict[int, float] = {}
        for ranking in (lex_rank, den_rank):
            for pk, rank in ranking.items():
                fused[pk] = fused.get(pk, 0.0) + 1.0 / (RRF_K + rank)
        if method == "dense":
            fused = dict(den)
        order = sorted(fused, key=lambda pk: (-fused[pk], pk))
        total = lex_total + sum(1 for pk in den_rank if pk not in lex_rank)
        page = order[offset : offset + limit]
        missing = [pk for pk in page if pk not in rows]
        if missing:  # dense-only hits: their rows, through the same condition once more
            params: list[Any] = []
            rows |= {row.pk: row for row in _fetch(access, filters, _in("c.id", missing, params), params)}
        hits = [(rows[pk], fused[pk], lex_rank.get(pk), den_rank.get(pk)) for pk in page if pk in rows]
    texts = _texts([row.pk for row, *_ in hits]) if snippets else {}
    return SearchResult(
        hits=[
            SearchHit(
                source=row.source,
                object_id=row.object_id,
                title=row.title,
                kind=row.kind,
                classification=row.classification,
                area_code=row.area_code,
                doc_date=row.doc_date,
                score=score,
                lexical_rank=lrank,
                dense_rank=drank,
                snippet=snippet(terms, texts.get(row.pk, "")) if snippets else (),
            )
            for row, score, lrank, drank in hits
        ],
        total=total,
        method=method,
        terms=terms,
    )


__all__ = ["Access", "AreaGrant", "Filters", "SearchHit", "SearchResult", "search", "snippet", "where_sql"]
