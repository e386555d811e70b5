"""The analytics store: Parquet marts under ``settings.CODI_MARTS_DIR``, queried with DuckDB.

Layout, one folder per mart::

    <CODI_MARTS_DIR>/<mart>/manifest.json          what readers read: parts, rows, watermark, freshness
    <CODI_MARTS_DIR>/<mart>/<generation>/part-*.parquet

A refresh writes new files beside the old ones and then replaces ``manifest.json`` in one
``os.replace`` (atomic on POSIX file systems): a reader sees the previous mart or the new one, never
half of one, and a refresh that fails half-way (a database error, a full disk) leaves the previous
manifest, and so the previous mart, in place; its half-written files are removed.

* A full refresh writes a new generation folder with one Parquet file; the generation before the
  previous one is then removed (the previous one stays for readers that are just opening it).
* An append-only source (``watermark="id"``) is extracted from the last watermark on: the new rows
  become one more part of the current generation (after ``MAX_PARTS`` parts it is rebuilt whole,
  which compacts it).
* A mutable source is rebuilt whole when its fingerprint changed, else left as it is.

The store conforms the dimensions: a mart with a ``subdistrict`` and no ``province`` gets
``district`` and ``province`` (the DOPA code's prefixes); one with a ``province`` and no ``region``
gets the CODI region of that province; one with a ``date_column`` gets ``fiscal_year`` (B.E., the
year that ends on 30 September), ``fiscal_quarter`` (1–4 from October) and ``fiscal_month``
(1 = October). These derived columns carry their rule as lineage.

The files are plain Parquet, so the store works the same on a PostgreSQL deployment as on SQLite:
the database is only read at refresh time; DuckDB (in-process) reads the Parquet files.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.utils import timezone

from codi.areas.selectors import area_list
from codi.core.marts import (
    DERIVED_DISTRICT,
    DERIVED_PROVINCE,
    DERIVED_REGION,
    MartSource,
    all_columns,
    derived_columns,
    mart_sources,
)

BATCH_ROWS = 100_000
MAX_PARTS = 40
MONEY_TYPE = pa.decimal128(18, 2)
ARROW_TYPES: dict[str, pa.DataType] = {
    "int": pa.int64(),
    "str": pa.string(),
    "decimal": MONEY_TYPE,
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "bool": pa.bool_(),
    "float": pa.float64(),
}


class MartError(RuntimeError):
    """A mart that cannot be read (unknown, never refreshed)."""


# --- the catalog of marts ------------------------------------------------------------------------


def sources() -> dict[str, MartSource]:
    return {s.name: s for s in mart_sources()}


def source(name: str) -> MartSource:
    found = sources().get(name)
    if found is None:
        raise MartError(f"no mart named {name!r}")
    return found


def arrow_schema(src: MartSource) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in all_columns(src)])


# --- manifests -----------------------------------------------------------------------------------


@dataclass
class Manifest:
    name: str
    generation: str = ""
    parts: list[str] = field(default_factory=list)
    rows: int = 0
    watermark: Any = None
    fingerprint: str | None = None
    columns: list[str] = field(default_factory=list)
    refreshed_at: str = ""  # ISO 8601, UTC
    duration_s: float = 0.0
    mode: str = ""  # full, incremental, unchanged
    added_rows: int = 0

    @property
    def refreshed(self) -> datetime | None:
        return datetime.fromisoformat(self.refreshed_at) if self.refreshed_at else None


def marts_dir() -> Path:
    return Path(settings.CODI_MARTS_DIR)


def _mart_dir(name: str) -> Path:
    return marts_dir() / name


def manifest(name: str) -> Manifest | None:
    path = _mart_dir(name) / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return Manifest(**data)


def _write_manifest(m: Manifest) -> None:
    folder = _mart_dir(m.name)
    tmp = folder / f".manifest-{uuid.uuid4().hex}.tmp"
    tmp.write_text(json.dumps(m.__dict__, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, folder / "manifest.json")  # the swap: atomic on POSIX file systems


def part_paths(m: Manifest) -> list[str]:
    folder = _mart_dir(m.name)
    return [str(folder / p) for p in m.parts]


# --- extraction ----------------------------------------------------------------------------------


def _batches(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _province_regions() -> dict[str, str]:
    return {
        code: region or "" for code, region in area_list(level="province").values_list("code", "region_id")
    }


def _money(value: Any) -> Any:
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def _to_table(src: MartSource, batch: list[tuple[Any, ...]], regions: dict[str, str]) -> pa.Table:
    columns = list(zip(*batch, strict=True)) if batch else [() for _ in src.columns]
    arrays: dict[str, pa.Array] = {}
    for col, values in zip(src.columns, columns, strict=True):
        try:  # the driver's values as they come (Decimal from PostgreSQL): no pass over them in Python
            arrays[col.name] = pa.array(values, type=ARROW_TYPES[col.type])
            continue
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            if col.type not in ("decimal", "float"):
                raise
        if col.type == "decimal":  # a float or a string from SQLite or a computed value
            values = tuple(_money(v) for v in values)
        else:
            values = tuple(None if v is None else float(v) for v in values)
        arrays[col.name] = pa.array(values, type=ARROW_TYPES[col.type])
    for col in derived_columns(src):
        if col is DERIVED_DISTRICT:
            arrays["district"] = pc.utf8_slice_codeunits(arrays["subdistrict"], 0, 4)
        elif col is DERIVED_PROVINCE:
            arrays["province"] = pc.utf8_slice_codeunits(arrays["subdistrict"], 0, 2)
        elif col is DERIVED_REGION:
            keys = pa.array(list(regions), type=pa.string())
            index = pc.index_in(arrays["province"], value_set=keys)
            arrays["region"] = pc.take(pa.array(list(regions.values()), type=pa.string()), index)
        elif col.name == "fiscal_year":
            dates = arrays[src.date_column]
            year, month = pc.year(dates), pc.month(dates)
            from_october = pc.greater_equal(month, 10)
            arrays["fiscal_year"] = pc.add(pc.add(year, 543), pc.cast(from_october, pa.int64()))
            shifted = pc.add(
                pc.subtract(month, 10), pc.multiply(pc.cast(pc.invert(from_october), pa.int64()), 12)
            )
            arrays["fiscal_month"] = pc.add(shifted, 1)
            arrays["fiscal_quarter"] = pc.add(pc.divide(shifted, 3), 1)
    schema = arrow_schema(src)
    return pa.table([pc.cast(arrays[f.name], f.type) for f in schema], schema=schema)


def _write_rows(src: MartSource, rows: Iterable[tuple[Any, ...]], path: Path) -> tuple[int, Any]:
    """Write ``rows`` to one Parquet file; (rows written, largest watermark seen)."""
    regions = _province_regions()
    count, top = 0, None
    mark = src.column_names.index(src.watermark) if src.watermark else None
    with pq.ParquetWriter(path, arrow_schema(src), compression="zstd") as writer:
        for batch in _batches(rows, BATCH_ROWS):
            writer.write_table(_to_table(src, batch, regions))
            count += len(batch)
            if mark is not None:
                top = max(top or batch[-1][mark], max(r[mark] for r in batch))
    return count, top


# --- refresh -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshResult:
    name: str
    mode: str
    rows: int
    added_rows: int
    duration_s: float


def refresh_one(src: MartSource, *, full: bool = False) -> RefreshResult:
    """Refresh one mart (see the module's text); the manifest is replaced only on success."""
    started = time.perf_counter()
    folder = _mart_dir(src.name)
    folder.mkdir(parents=True, exist_ok=True)
    old = manifest(src.name)
    columns = [c.name for c in all_columns(src)]
    usable = old is not None and old.columns == columns and old.parts
    fingerprint = src.fingerprint() if src.fingerprint else None
    new_files: list[Path] = []
    new_generation: Path | None = None
    try:
        if usable and not full and src.watermark and len(old.parts) < MAX_PARTS:  # type: ignore[union-attr]
            assert old is not None
            path = folder / old.generation / f"part-{uuid.uuid4().hex[:12]}.parquet"
            new_files.append(path)
            added, top = _write_rows(src, src.rows(old.watermark), path)
            if added:
                m = Manifest(**{**old.__dict__, "parts": [*old.parts, f"{old.generation}/{path.name}"]})
                m.rows, m.watermark, m.mode, m.added_rows = old.rows + added, top, "incremental", added
            else:
                path.unlink(missing_ok=True)
                m = Manifest(**{**old.__dict__, "mode": "unchanged", "added_rows": 0})
        elif usable and not full and fingerprint is not None and fingerprint == old.fingerprint:  # type: ignore[union-attr]
            assert old is not None
            m = Manifest(**{**old.__dict__, "mode": "unchanged", "added_rows": 0})
        else:
            generation = f"g{int(time.time() * 1000)}-{uuid.uuid4().hex[:6]}"
            new_generation = folder / generation
            new_generation.mkdir()
            path = new_generation / "part-00000.parquet"
            added, top = _write_rows(src, src.rows(None), path)
            m = Manifest(name=src.name, generation=generation, parts=[f"{generation}/{path.name}"], rows=added,
                         watermark=top, columns=columns, mode="full", added_rows=added)  # fmt: skip
        m.fingerprint = fingerprint
        m.refreshed_at = timezone.now().isoformat()
        m.duration_s = round(time.perf_counter() - started, 3)
        _write_manifest(m)
    except BaseException:
        for path in new_files:
            path.unlink(missing_ok=True)
        if new_generation is not None:
            shutil.rmtree(new_generation, ignore_errors=True)
        raise
    # Generations older than the previous one go; the previous one stays for a reader that read
    # the old manifest a moment ago and has not opened its files yet.
    keep = {m.generation, old.generation if old is not None else ""}
    for child in folder.iterdir():
        if child.is_dir() and child.name.startswith("g") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
    return RefreshResult(src.name, m.mode, m.rows, m.added_rows, m.duration_s)


def refresh(*, full: bool = False, names: Iterable[str] | None = None) -> list[RefreshResult]:
    """Refresh every mart (or the named ones). One failing mart keeps its previous files and does
    not stop the others; the error is raised after the rest are done."""
    wanted = set(names) if names is not None else None
    results: list[RefreshResult] = []
    failures: list[tuple[str, BaseException]] = []
    marts_dir().mkdir(parents=True, exist_ok=True)
    with open(marts_dir() / ".refresh.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one refresh at a time (the scheduler and a manual run)
        for src in mart_sources():
            if wanted is not None and src.name not in wanted:
                continue
            try:
                results.append(refresh_one(src, full=full))
            except Exception as exc:
                failures.append((src.name, exc))
    if failures:
        names_failed = ", ".join(name for name, _exc in failures)
        raise RuntimeError(f"mart refresh failed for {names_failed}") from failures[0][1]
    return results


# --- reading with DuckDB -------------------------------------------------------------------------


def _connection() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(database=":memory:", config={"threads": 2})


def _scoped_query(src: MartSource, provinces: frozenset[str] | None, select: str,
                  where: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:  # fmt: skip
    m = manifest(src.name)
    if m is None or not m.parts:
        raise MartError(f"mart {src.name} has not been refreshed")
    params: dict[str, Any] = {"files": part_paths(m)}
    clauses: list[str] = []
    stored = {c.name for c in all_columns(src)}
    if provinces is not None and src.kind == "fact":
        if "province" not in stored:
            raise MartError(f"mart {src.name} has no province: country-wide readers only")
        clauses.append("province IN (SELECT unnest($provinces))")
        params["provinces"] = sorted(provinces) or [""]
    for i, (column, value) in enumerate((where or {}).items()):
        if column not in stored:
            raise MartError(f"mart {src.name} has no column {column}")
        clauses.append(f'"{column}" = $v{i}')
        params[f"v{i}"] = value
    sql = f"SELECT {select} FROM read_parquet($files)"  # noqa: S608 - names are the mart's own columns; values are parameters
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return sql, params


def read_table(
    name: str, *, provinces: frozenset[str] | None = None, where: dict[str, Any] | None = None
) -> pa.Table:
    """The mart's rows (those in ``provinces`` when given) as an Arrow table."""
    src = source(name)
    sql, params = _scoped_query(src, provinces, "*", where)
    with _connection() as con:
        return con.sql(sql, params=params).to_arrow_table()


def totals(
    name: str, *, provinces: frozenset[str] | None = None, where: dict[str, Any] | None = None
) -> dict[str, Any]:
    """``rows`` and the sum of each measure of the mart, optionally filtered (``column = value``)."""
    src = source(name)
    sums = ", ".join(f'sum("{m}") AS "{m}"' for m in src.measures)
    sql, params = _scoped_query(src, provinces, "count(*) AS rows" + (f", {sums}" if sums else ""), where)
    with _connection() as con:
        cursor = con.execute(sql, params)
        values = cursor.fetchone()
        names = [d[0] for d in cursor.description]
    assert values is not None
    result = dict(zip(names, values, strict=True))
    for m in src.measures:
        if result[m] is None:
            result[m] = Decimal("0.00") if src.columns[src.column_names.index(m)].type == "decimal" else 0
    return result


def query(sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Run SQL over the marts, each available as a view named after it (for KPIs and benches)."""
    with _connection() as con:
        for name in sources():
            m = manifest(name)
            if m is not None and m.parts:
                files = ", ".join("'" + p.replace("'", "''") + "'" for p in part_paths(m))
                con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet([{files}])')  # noqa: S608 - our own file paths, quoted
        return con.execute(sql, params or {}).fetchall()
