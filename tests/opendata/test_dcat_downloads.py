"""DCAT (parsed back with rdflib), downloads in four formats (Parquet read back with pyarrow)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.test import Client

from codi.opendata import services
from codi.opendata.builders import Column, DatasetBuilder
from tests.opendata.conftest import record_builder

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(register_builder):
    register_builder(record_builder("records-ok", n=60))
    return services.dataset_publish(actor=None, name="records-ok")


@pytest.fixture
def money(register_builder):
    register_builder(
        DatasetBuilder(
            name="money",
            title_th="งบประมาณ",
            title_en="Budget",
            description="",
            objective="",
            data_type="statistics",
            data_category="ข้อมูลสาธารณะ",
            update_frequency="yearly",
            columns=(
                Column("fiscal_year", "int", "ปีงบประมาณ"),
                Column("amount", "numeric", "วงเงิน"),
                Column("as_of", "date", "ณ วันที่"),
            ),
            build=lambda: [(2568, Decimal("1250000.50"), "2025-10-01"), (2569, Decimal("900"), None)],
        )
    )
    return services.dataset_publish(actor=None, name="money")


def _download(outcome, fmt):
    url = f"/opendata/dataset/{outcome.dataset.name}/resource/{outcome.resource.ckan_id}/download.{fmt}"
    response = Client().get(url)
    assert response.status_code == 200, response.status_code
    return response, b"".join(response.streaming_content) if response.streaming else response.content


def test_dcat_jsonld_and_turtle_parse_with_rdflib(published):
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF

    for url, fmt in [("/opendata/catalog.jsonld", "json-ld"), ("/opendata/catalog.ttl", "turtle")]:
        response = Client().get(url)
        assert response.status_code == 200
        graph = Graph().parse(data=response.content.decode(), format=fmt)
        datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
        assert datasets == [URIRef("http://testserver/opendata/dataset/records-ok/")]
        titles = {str(t) for t in graph.objects(datasets[0], DCTERMS.title)}
        assert titles == {"ข้อมูลระเบียนทดสอบ records-ok", "Test records"}
        assert len(list(graph.objects(datasets[0], DCAT.distribution))) == 4
        assert (None, RDF.type, DCAT.Catalog) in graph
        assert (
            str(graph.value(datasets[0], DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
        )


def test_csv_and_json_downloads_stream_every_row(published):
    response, body = _download(published, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["_id", "province", "gender", "birth_decade", "household_size", "note"]
    assert rows[1] == ["1", "ขอนแก่น", "ชาย", "1980s", "0", "ข้อความ 0"]
    assert len(rows) == 61
    _, body = _download(published, "json")
    data = json.loads(body)
    assert len(data["records"]) == 60
    assert data["records"][59] == {
        "_id": 60,
        "province": "เชียงใหม่",
        "gender": "หญิง",
        "birth_decade": "1980s",
        "household_size": 3,
        "note": "ข้อความ 59",
    }


def test_xlsx_download_opens_with_openpyxl(money):
    from openpyxl import load_workbook

    _, body = _download(money, "xlsx")
    sheet = load_workbook(io.BytesIO(body)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["_id", "fiscal_year", "amount", "as_of"],
        [1, 2568, 1250000.5, "2025-10-01"],
        [2, 2569, 900, None],
    ]


def test_parquet_download_reads_back_with_pyarrow(money):
    from datetime import date

    import pyarrow.parquet as pq

    _, body = _download(money, "parquet")
    table = pq.read_table(io.BytesIO(body))
    assert table.column_names == ["_id", "fiscal_year", "amount", "as_of"]
    assert table.to_pylist() == [
        {"_id": 1, "fiscal_year": 2568, "amount": Decimal("1250000.5000000000"), "as_of": date(2025, 10, 1)},
        {"_id": 2, "fiscal_year": 2569, "amount": Decimal("900.0000000000"), "as_of": None},
    ]


def test_numeric_values_are_exact_text_in_datastore_search(money):
    response = Client().get(
        "/opendata/api/action/datastore_search",
        {"resource_id": str(money.resource.ckan_id), "sort": "amount desc"},
    )
    assert [r["amount"] for r in response.json()["result"]["records"]] == ["1250000.5", "900"]


def test_an_unknown_format_is_not_found(published):
    url = f"/opendata/dataset/records-ok/resource/{published.resource.ckan_id}/download.exe"
    assert Client().get(url).status_code == 404
