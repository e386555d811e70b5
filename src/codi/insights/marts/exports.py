"""A mart as a download for Power BI and Excel: Parquet (the store's own file format), CSV (UTF-8
with a BOM, formulas neutralised) and .xlsx. Rows are those of the reader's provinces (see
``store.read_table``); column names stay the mart's, so a Power BI model built on one file reads the
next refresh's file unchanged."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from codi.core.spreadsheet import csv_response, xlsx_response
from codi.insights.marts import store

FORMATS = ("parquet", "csv", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header
PARQUET_CONTENT_TYPE = "application/vnd.apache.parquet"


class TooManyRowsError(ValueError):
    """The mart has more rows than an Excel sheet holds."""


def _rows(table: pa.Table) -> Iterator[list[Any]]:
    names = table.column_names
    for batch in table.to_batches(max_chunksize=10_000):
        columns = [batch.column(n).to_pylist() for n in names]
        yield from (list(r) for r in zip(*columns, strict=True))


def export(name: str, fmt: str, *, provinces: frozenset[str] | None) -> HttpResponseBase:
    table = store.read_table(name, provinces=provinces)
    filename = f"codi-{name}"
    if fmt == "parquet":
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        response = HttpResponse(buffer.getvalue(), content_type=PARQUET_CONTENT_TYPE)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.parquet"'
        return response
    if fmt == "csv":
        return csv_response(filename=filename, header=table.column_names, rows=_rows(table))
    if fmt == "xlsx":
        if table.num_rows > XLSX_MAX_ROWS:
            raise TooManyRowsError(name)
        return xlsx_response(filename=filename, sheets=[(name[:31], table.column_names, _rows(table))])
    raise ValueError(f"unknown format {fmt}")
