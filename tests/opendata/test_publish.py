"""Publishing: aggregates publish; personal columns and k-anonymity failures are refused and stay invisible."""

from __future__ import annotations

import pytest
from django.db import connection

from codi.core.models import AuditEntry
from codi.opendata import datastore, services
from codi.opendata.builders import Column, DatasetBuilder
from codi.opendata.disclosure import personal_columns
from codi.opendata.models import Dataset, DatasetStatus
from tests.factories import OrganizationFactory
from tests.opendata.conftest import record_builder

pytestmark = pytest.mark.django_db


def _rows(resource):
    return list(datastore.iterate(table=resource.table_name, fields=resource.fields))


def test_publishing_the_organization_aggregate_counts_by_subdistrict_and_type():
    # given three active organizations and one dissolved in two subdistricts
    OrganizationFactory.create_batch(2, subdistrict_id="400101", org_type="community_org")
    OrganizationFactory(subdistrict_id="400104", org_type="council")
    OrganizationFactory(subdistrict_id="400104", org_type="council", status="dissolved")
    # when
    outcome = services.dataset_publish(actor=None, name="organizations-by-subdistrict-type")
    # then
    assert outcome.rows == 2
    assert outcome.dataset.status == DatasetStatus.PUBLISHED
    assert outcome.dataset.version == 1
    assert _rows(outcome.resource) == [
        [1, "40", "ขอนแก่น", "4001", "เมืองขอนแก่น", "400101", "ในเมือง", "community_org", 2],
        [2, "40", "ขอนแก่น", "4001", "เมืองขอนแก่น", "400104", "ท่าพระ", "council", 1],
    ]
    entry = AuditEntry.objects.filter(action="opendata.dataset.publish").get()
    assert entry.changes == {"name": "organizations-by-subdistrict-type", "version": 1, "rows": 2}


def test_refresh_replaces_the_table_bumps_the_version_and_metadata_modified():
    OrganizationFactory(subdistrict_id="400101")
    first = services.dataset_publish(actor=None, name="organizations-by-subdistrict-type")
    old_table, modified = first.resource.table_name, first.dataset.metadata_modified
    OrganizationFactory(subdistrict_id="400104")
    # when
    second = services.dataset_publish(actor=None, name="organizations-by-subdistrict-type")
    # then
    assert second.dataset.pk == first.dataset.pk
    assert second.resource.pk == first.resource.pk
    assert second.dataset.version == 2
    assert second.dataset.metadata_modified > modified
    assert second.rows == 2
    assert second.resource.table_name != old_table
    assert old_table not in connection.introspection.table_names()
    assert AuditEntry.objects.filter(action="opendata.dataset.refresh").count() == 1


def test_record_level_data_passing_k_anonymity_is_published(register_builder):
    register_builder(record_builder("records-ok", n=60))
    outcome = services.dataset_publish(actor=None, name="records-ok")
    assert outcome.rows == 60
    assert outcome.dataset.quasi_identifiers == ["province", "gender", "birth_decade"]


def test_record_level_data_failing_k_anonymity_is_refused_with_the_smallest_class(register_builder):
    # given 60 rows in 6 classes of 10, plus one person alone in a class
    register_builder(record_builder("records-lonely", n=60, lonely=True))
    # when
    with pytest.raises(services.PublishRefusedError) as refused:
        services.dataset_publish(actor=None, name="records-lonely")
    # then
    assert refused.value.reason == {
        "code": "k_anonymity",
        "k": 5,
        "smallest_class_size": 1,
        "quasi_identifiers": ["province", "gender", "birth_decade"],
        "combination": {"province": "ขอนแก่น", "gender": "ชาย", "birth_decade": "1930s"},
        "classes": 7,
    }
    assert "smallest group over province, gender, birth_decade has 1 row(s)" in refused.value.message
    dataset = Dataset.objects.get(name="records-lonely")
    assert dataset.status == DatasetStatus.REFUSED
    assert dataset.resources.count() == 0
    assert AuditEntry.objects.filter(action="opendata.dataset.refuse", object_id=str(dataset.pk)).count() == 1


def test_a_published_dataset_that_later_fails_k_anonymity_is_withdrawn(register_builder):
    register_builder(record_builder("records-later", n=60))
    first = services.dataset_publish(actor=None, name="records-later")
    register_builder(record_builder("records-later", n=60, lonely=True))
    with pytest.raises(services.PublishRefusedError):
        services.dataset_publish(actor=None, name="records-later")
    first.resource.refresh_from_db()
    assert first.resource.table_name == ""
    assert Dataset.objects.get(name="records-later").status == DatasetStatus.REFUSED


def test_record_level_data_without_quasi_identifiers_is_refused(register_builder):
    builder = record_builder("records-no-qi")
    register_builder(DatasetBuilder(**{**builder.__dict__, "quasi_identifiers": ()}))
    with pytest.raises(services.PublishRefusedError) as refused:
        services.dataset_publish(actor=None, name="records-no-qi")
    assert refused.value.reason == {"code": "no_quasi_identifiers"}


def _personal_builder(name: str, column: Column) -> DatasetBuilder:
    return DatasetBuilder(
        name=name,
        title_th="มีข้อมูลส่วนบุคคล",
        title_en="",
        description="",
        objective="",
        data_type="statistics",
        data_category="",
        update_frequency="yearly",
        columns=(Column("province_code", "text", "จังหวัด"), column),
        build=lambda: [("40", "x")],
    )


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (Column("leader", "text", "ผู้นำ", personal=True), ["leader"]),
        (Column("national_id", "text", "เลขประจำตัวประชาชน"), ["national_id"]),
        (Column("contact_phone", "text", "โทรศัพท์"), ["contact_phone"]),
        (Column("email", "text", "อีเมล"), ["email"]),
        (Column("home_address", "text", "ที่อยู่"), ["home_address"]),
        (Column("birth_date", "date", "วันเกิด"), ["birth_date"]),
    ],
)
def test_a_dataset_with_a_personal_column_is_refused_before_any_row_is_built(
    register_builder, column, expected
):
    register_builder(_personal_builder("has-personal", column))
    with pytest.raises(services.PublishRefusedError) as refused:
        services.dataset_publish(actor=None, name="has-personal")
    assert refused.value.reason == {"code": "personal_columns", "columns": expected}
    assert Dataset.objects.get(name="has-personal").status == DatasetStatus.REFUSED


def test_personal_column_names_match_whole_words_only():
    columns = [Column("subdistrict_code", "text", "ตำบล"), Column("phone_number", "text", "โทร")]
    assert personal_columns(columns) == ["phone_number"]


def test_unpublish_drops_the_rows_and_is_audited():
    OrganizationFactory()
    outcome = services.dataset_publish(actor=None, name="organizations-by-subdistrict-type")
    table = outcome.resource.table_name
    services.dataset_unpublish(actor=None, name="organizations-by-subdistrict-type")
    outcome.resource.refresh_from_db()
    assert outcome.resource.table_name == ""
    assert Dataset.objects.get().status == DatasetStatus.UNPUBLISHED
    assert AuditEntry.objects.filter(action="opendata.dataset.unpublish").count() == 1
    assert table not in connection.introspection.table_names()


def test_an_unknown_builder_is_refused():
    with pytest.raises(services.UnknownDatasetError):
        services.dataset_publish(actor=None, name="no-such-dataset")
