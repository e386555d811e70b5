"""Writes of open data: publish (and refresh), unpublish. Each is audited.

Publishing runs a registered builder, checks disclosure (no personal column; for record-level data
k-anonymity over the declared quasi-identifiers), materialises the rows into a fresh table and
swaps it in, so readers see the old version or the new one, never half of one. A refused publish
leaves nothing readable: the dataset is marked ``refused`` (its table dropped), the refusal is
audited, and ``PublishRefusedError`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.opendata import builders, datastore
from codi.opendata.builders import DatasetBuilder
from codi.opendata.disclosure import personal_columns, quasi_identifier_problems
from codi.opendata.models import Dataset, DatasetStatus, Resource


class PublishRefusedError(Exception):
    """The dataset may not be published; ``reason`` is a machine-readable explanation."""

    def __init__(self, message: str, reason: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


class UnknownDatasetError(Exception):
    pass


@dataclass(frozen=True)
class PublishOutcome:
    dataset: Dataset
    resource: Resource
    rows: int


def _metadata(builder: DatasetBuilder) -> dict[str, Any]:
    return {
        "title_th": builder.title_th,
        "title_en": builder.title_en,
        "description": builder.description,
        "objective": builder.objective,
        "data_type": builder.data_type,
        "data_category": builder.data_category,
        "geographic_coverage": builder.geographic_coverage,
        "update_frequency": builder.update_frequency,
        "license_id": builder.license_id,
        "harvest_permission": builder.harvest_permission,
        "contact_name": builder.contact_name,
        "contact_email": builder.contact_email,
        "keywords": list(builder.keywords),
        "quasi_identifiers": list(builder.quasi_identifiers),
        "k_threshold": builder.k_threshold,
    }


def _fields(builder: DatasetBuilder) -> list[dict[str, str]]:
    return [
        {"id": c.id, "type": c.type, "label_th": c.label_th, "label_en": c.label_en} for c in builder.columns
    ]


def _refusal_before_build(builder: DatasetBuilder) -> tuple[str, dict[str, Any]] | None:
    personal = personal_columns(builder.columns)
    if personal:
        return (
            f"columns hold personal data and may not be published: {', '.join(personal)}",
            {"code": "personal_columns", "columns": personal},
        )
    if builder.data_type == "record":
        if not builder.quasi_identifiers:
            return (
                "record-level data needs its quasi-identifiers declared for the k-anonymity check",
                {"code": "no_quasi_identifiers"},
            )
        unknown = quasi_identifier_problems(builder.quasi_identifiers, builder.columns)
        if unknown:
            return (
                f"quasi-identifiers are not columns of the dataset: {', '.join(unknown)}",
                {"code": "unknown_quasi_identifiers", "columns": unknown},
            )
        if builder.k_threshold < 5:
            return ("k must be at least 5", {"code": "k_too_small", "k": builder.k_threshold})
    return None


def _record_refusal(*, actor: Any, builder: DatasetBuilder, message: str, reason: dict[str, Any]) -> None:
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().filter(name=builder.name).first()
        now = timezone.now()
        old_tables: list[str] = []
        if dataset is None:
            dataset = Dataset(name=builder.name, metadata_created=now, status=DatasetStatus.REFUSED)
        else:
            old_tables = list(dataset.resources.exclude(table_name="").values_list("table_name", flat=True))
        for key, value in _metadata(builder).items():
            setattr(dataset, key, value)
        dataset.status = DatasetStatus.REFUSED
        dataset.refusal = {"message": message, **reason}
        dataset.metadata_modified = now
        dataset.save()
        dataset.resources.update(table_name="", row_count=0, last_modified=now)
        for table in old_tables:
            datastore.drop(table)
        audit_record(
            actor=actor,
            action="opendata.dataset.refuse",
            object_type="opendata.Dataset",
            object_id=dataset.pk,
            changes={"name": builder.name, "reason": dataset.refusal},
        )


def dataset_publish(*, actor: Any, name: str) -> PublishOutcome:
    """Build, check and publish the dataset of builder ``name`` (also how a dataset is refreshed).

    Raises ``UnknownDatasetError`` for a name no builder has, ``PublishRefusedError`` when the columns are
    personal or the record-level rows fail k-anonymity (then the dataset is marked refused and
    nothing of it stays public).
    """
    builder = builders.get(name)
    if builder is None:
        raise UnknownDatasetError(name)
    early = _refusal_before_build(builder)
    if early is not None:
        _record_refusal(actor=actor, builder=builder, message=early[0], reason=early[1])
        raise PublishRefusedError(*early)
    try:
        outcome = _publish(actor=actor, builder=builder)
    except PublishRefusedError as refused:
        _record_refusal(actor=actor, builder=builder, message=refused.message, reason=refused.reason)
        raise
    return outcome


def _publish(*, actor: Any, builder: DatasetBuilder) -> PublishOutcome:
    with transaction.atomic():
        table = datastore.new_table_name()
        rows = datastore.create_and_load(table, builder.columns, builder.rows())
        if builder.data_type == "record":
            size, combination, classes = datastore.smallest_class(table, builder.quasi_identifiers)
            if rows and size < builder.k_threshold:
                # Raising rolls back the new table with everything else in this transaction.
                raise PublishRefusedError(
                    f"k-anonymity fails: the smallest group over {', '.join(builder.quasi_identifiers)}"
                    f" has {size} row(s), fewer than k = {builder.k_threshold}",
                    {
                        "code": "k_anonymity",
                        "k": builder.k_threshold,
                        "smallest_class_size": size,
                        "quasi_identifiers": list(builder.quasi_identifiers),
                        "combination": {k: str(v) for k, v in combination.items()},
                        "classes": classes,
                    },
                )
        now = timezone.now()
        dataset = Dataset.objects.select_for_update().filter(name=builder.name).first()
        created = dataset is None
        if dataset is None:
            dataset = Dataset(name=builder.name, metadata_created=now)
        previous_status = dataset.status
        for key, value in _metadata(builder).items():
            setattr(dataset, key, value)
        dataset.status = DatasetStatus.PUBLISHED
        dataset.refusal = {}
        dataset.version += 1
        dataset.metadata_modified = now
        dataset.save()
        resource = dataset.resources.first()
        old_table = ""
        if resource is None:
            resource = Resource(dataset=dataset, created=now)
        else:
            old_table = resource.table_name
        resource.name = builder.title_th
        resource.table_name = table
        resource.fields = _fields(builder)
        resource.row_count = rows
        resource.last_modified = now
        resource.save()
        datastore.drop(old_table)
        transaction.on_commit(lambda: datastore.vacuum(table))
        audit_record(
            actor=actor,
            action="opendata.dataset.publish"
            if created or previous_status != DatasetStatus.PUBLISHED
            else "opendata.dataset.refresh",
            object_type="opendata.Dataset",
            object_id=dataset.pk,
            changes={"name": dataset.name, "version": dataset.version, "rows": rows},
        )
    return PublishOutcome(dataset=dataset, resource=resource, rows=rows)


def dataset_unpublish(*, actor: Any, name: str) -> Dataset:
    """Withdraw a dataset: it disappears from every public view and its rows are dropped."""
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().filter(name=name).first()
        if dataset is None:
            raise UnknownDatasetError(name)
        tables = list(dataset.resources.exclude(table_name="").values_list("table_name", flat=True))
        dataset.status = DatasetStatus.UNPUBLISHED
        dataset.metadata_modified = timezone.now()
        dataset.save(update_fields=["status", "metadata_modified"])
        dataset.resources.update(table_name="", row_count=0)
        for table in tables:
            datastore.drop(table)
        audit_record(
            actor=actor,
            action="opendata.dataset.unpublish",
            object_type="opendata.Dataset",
            object_id=dataset.pk,
            changes={"name": name},
        )
    return dataset
