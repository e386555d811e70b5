"""Downloads of a resource: CSV and JSON streamed page by page; .xlsx and Parquet written to a spooled file.

Rows are read by key (``_id > last``) in pages of 5,000, so a download never holds the whole
table in memory (the .xlsx and Parquet writers hold one page at a time; the finished file is
spooled to disk past 16 MB). pyarrow is imported only when a Parquet file is asked for.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import IO, Any

from codi.opendata import datastore
from codi.opendata.models import Resource

XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(resource: Resource) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel opens Thai text as UTF-8
    yield writer.writerow(["_id", *(f["id"] for f in resource.fields)])
    buffer: list[str] = []
    for row in datastore.iterate(table=resource.table_name, fields=resource.fields):
        buffer.append(writer.writerow(row))
        if len(buffer) >= 1000:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def json_chunks(resource: Resource) -> Iterator[str]:
    names = ["_id", *(f["id"] for f in resource.fields)]
    yield '{"fields": ' + json.dumps(resource.fields, ensure_ascii=False) + ', "records": ['
    first = True
    for row in datastore.iterate(table=resource.table_name, fields=resource.fields):
        record = json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False)
        yield record if first else ", " + record
        first = False
    yield "]}\n"


def xlsx_file(resource: Resource) -> IO[bytes]:
    # heavy: openpyxl is loaded only when a workbook is written
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(["_id", *(f["id"] for f in resource.fields)])
    types = ["int", *(f["type"] for f in resource.fields)]
    for n, row in enumerate(datastore.iterate(table=resource.table_name, fields=resource.fields)):
        if n >= XLSX_MAX_ROWS:
            break
        sheet.append(
            [Decimal(v) if t == "numeric" and v is not None else v for t, v in zip(types, row, strict=True)]
        )
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - returned open
    workbook.save(out)
    out.seek(0)
    return out


def _arrow_type(pa: Any, field_type: str) -> Any:
    if field_type == "int":
        return pa.int64()
    if field_type == "numeric":
        return pa.decimal128(38, 10)
    if field_type == "date":
        return pa.date32()
    return pa.string()


def parquet_file(resource: Resource) -> IO[bytes]:
    # heavy: pyarrow is loaded only when a Parquet file is written
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = ["_id", *(f["id"] for f in resource.fields)]
    types = ["int", *(f["type"] for f in resource.fields)]
    schema = pa.schema([pa.field(n, _arrow_type(pa, t)) for n, t in zip(names, types, strict=True)])
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - returned open
    writer = pq.ParquetWriter(out, schema)
    columns: list[list[Any]] = [[] for _ in names]

    def flush() -> None:
        if columns[0]:
            writer.write_table(
                pa.table(
                    [pa.array(c, type=schema.field(i).type) for i, c in enumerate(columns)], schema=schema
                )
            )
            for c in columns:
                c.clear()

    for row in datastore.iterate(table=resource.table_name, fields=resource.fields):
        for i, (t, v) in enumerate(zip(types, row, strict=True)):
            if v is not None and t == "numeric":
                v = Decimal(v)
            elif v is not None and t == "date":
                v = date.fromisoformat(v)
            columns[i].append(v)
        if len(columns[0]) >= datastore.BATCH:
            flush()
    flush()
    writer.close()
    out.seek(0)
    return out


def csv_text(resource: Resource) -> str:
    """The whole CSV as text (for small resources and tests)."""
    return "".join(csv_chunks(resource))
