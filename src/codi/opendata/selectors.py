"""Reads of open data. The public sees published datasets only; every public read goes through here.

Open data is public by definition, so the public reads take no acting user; the staff list takes
one and checks ``Perm.OPENDATA_MANAGE``.
"""

from __future__ import annotations

import contextlib
import json
import shlex
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.opendata import builders, datastore
from codi.opendata.datastore import DatastoreInputError, Query, SearchResult
from codi.opendata.models import Dataset, DatasetStatus, Resource

ORGANIZATION = {
    "name": "codi",
    "title": "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
    "title_en": "Community Organizations Development Institute (CODI)",
    "description": "หน่วยงานผู้เผยแพร่ชุดข้อมูลเปิดของ พอช.",
}
LICENSES = {
    "cc-by-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "odc-by": ("Open Data Commons Attribution License", "https://opendatacommons.org/licenses/by/"),
    "open-data-common": ("Open Data Common", "https://data.go.th/pages/open-data-common"),
}
FQ_KEYS = {"name", "tags", "organization", "res_format", "license_id", "data_type", "data_category"}
MAX_ROWS = 1000


def published_datasets() -> QuerySet[Dataset]:
    return Dataset.objects.filter(status=DatasetStatus.PUBLISHED)


def dataset_get_public(*, name_or_id: str) -> Dataset | None:
    """A published dataset by its name or CKAN id (a UUID)."""
    condition = Q(name=name_or_id)
    with contextlib.suppress(ValueError):
        condition |= Q(ckan_id=UUID(str(name_or_id)))
    return published_datasets().filter(condition).prefetch_related("resources").first()


def resource_get_public(*, resource_id: str) -> Resource | None:
    """A resource of a published dataset that has rows published, by its CKAN id."""
    try:
        key = UUID(str(resource_id))
    except ValueError:
        return None
    return (
        Resource.objects.filter(ckan_id=key, dataset__status=DatasetStatus.PUBLISHED)
        .exclude(table_name="")
        .select_related("dataset")
        .first()
    )


def dataset_search_public(*, q: str = "", fq: str = "") -> list[Dataset]:
    """Published datasets whose title, description, name or keywords contain every word of ``q``.

    Matched in Python: a catalog holds tens of datasets, and keywords are a JSON list (stored
    with escaped Thai on SQLite, so a database ``LIKE`` over it would miss them).
    """
    datasets = list(published_datasets().prefetch_related("resources").order_by("name"))
    words = [w.casefold() for w in q.split()]
    if words:
        datasets = [d for d in datasets if all(w in _haystack(d) for w in words)]
    for key, value in parse_fq(fq):
        wanted = value.casefold()
        if key == "name":
            datasets = [d for d in datasets if d.name == value]
        elif key == "tags":
            datasets = [d for d in datasets if wanted in {k.casefold() for k in d.keywords}]
        elif key == "organization":
            datasets = datasets if value == ORGANIZATION["name"] else []
        elif key == "res_format":
            datasets = datasets if value.upper() in {"CSV", "JSON", "XLSX", "PARQUET"} else []
        else:
            datasets = [d for d in datasets if str(getattr(d, key)).casefold() == wanted]
    return datasets


def _haystack(dataset: Dataset) -> str:
    parts = [dataset.name, dataset.title_th, dataset.title_en, dataset.description, *dataset.keywords]
    return " ".join(parts).casefold()


def parse_fq(fq: str) -> list[tuple[str, str]]:
    """``key:value`` pairs of a Solr-like filter query; a value may be "quoted"."""
    if not fq.strip():
        return []
    try:
        parts = shlex.split(fq)
    except ValueError:
        raise DatastoreInputError("fq", "fq could not be read (unbalanced quotes)") from None
    pairs = []
    for part in parts:
        if part.upper() in {"AND", "+"}:
            continue
        key, sep, value = part.lstrip("+").partition(":")
        if not sep or not value:
            raise DatastoreInputError("fq", f"fq term {part!r} is not key:value")
        if key not in FQ_KEYS:
            raise DatastoreInputError("fq", f'fq field "{key}" is not one of {", ".join(sorted(FQ_KEYS))}')
        pairs.append((key, value.strip('"')))
    return pairs


def staff_dataset_overview(*, actor: Any) -> list[dict[str, Any]]:
    """Every registered builder with its dataset (if any), for the publishing page."""
    if not user_has_perm(actor, Perm.OPENDATA_MANAGE):
        raise PermissionDenied
    datasets = {d.name: d for d in Dataset.objects.prefetch_related("resources")}
    overview = []
    for builder in builders.all_builders():
        overview.append({"builder": builder, "dataset": datasets.pop(builder.name, None)})
    overview.extend({"builder": None, "dataset": d} for d in datasets.values())
    return overview


# --- datastore_search --------------------------------------------------------------------------


@dataclass(frozen=True)
class DatastoreAnswer:
    resource: Resource
    query: Query
    result: SearchResult


def _as_int(name: str, value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise DatastoreInputError(name, f"{name} must be a whole number")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise DatastoreInputError(name, f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise DatastoreInputError(name, f"{name} must not be negative")
    return number


def _as_list(name: str, value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                raise DatastoreInputError(name, f"{name} is not a JSON list") from None
        else:
            return [part.strip() for part in text.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DatastoreInputError(name, f"{name} must be a list of field names")
    return [v.strip() for v in value]


def _check_field(argument: str, name: str, known: set[str]) -> str:
    if name not in known:
        raise DatastoreInputError(argument, f'field "{name[:100]}" not in resource')
    return name


def datastore_search(*, data: dict[str, Any]) -> DatastoreAnswer:
    """Answer a CKAN ``datastore_search`` over a published resource.

    Raises ``LookupError`` when there is no such published resource and ``DatastoreInputError``
    (naming the argument and, where it applies, the field) for any argument it cannot answer.
    """
    resource_id = data.get("resource_id") or data.get("id")
    if not resource_id or not isinstance(resource_id, str):
        raise DatastoreInputError("resource_id", "resource_id is required")
    resource = resource_get_public(resource_id=resource_id)
    if resource is None:
        raise LookupError(f"Resource not found: {resource_id[:100]}")
    known = {f["id"] for f in resource.fields}
    limit = _as_int("limit", data.get("limit"), datastore.DEFAULT_LIMIT)
    if limit > datastore.MAX_LIMIT:
        raise DatastoreInputError("limit", f"limit must be at most {datastore.MAX_LIMIT}, not {limit}")
    offset = _as_int("offset", data.get("offset"), 0)
    if offset >= 2**62:
        raise DatastoreInputError("offset", "offset is too large")
    filters_raw = data.get("filters") or {}
    if isinstance(filters_raw, str):
        try:
            filters_raw = json.loads(filters_raw)
        except ValueError:
            raise DatastoreInputError("filters", "filters is not a JSON object") from None
    if not isinstance(filters_raw, dict):
        raise DatastoreInputError("filters", "filters must be a JSON object of field: value")
    filters: dict[str, list[Any]] = {}
    for name, value in filters_raw.items():
        _check_field("filters", str(name), known | {"_id"})
        values = value if isinstance(value, list) else [value]
        if not values or len(values) > 1000:
            raise DatastoreInputError("filters", f'field "{name}" needs 1 to 1000 values')
        filters[name] = values
    q = data.get("q") or ""
    if not isinstance(q, str):
        raise DatastoreInputError("q", "q must be text (searching single fields is not supported)")
    if len(q) > 500:
        raise DatastoreInputError("q", "q must be at most 500 characters")
    fields = [
        _check_field("fields", name, known | {"_id"}) for name in _as_list("fields", data.get("fields"))
    ]
    sort: list[tuple[str, str]] = []
    sort_raw = data.get("sort") or ""
    if not isinstance(sort_raw, str):
        raise DatastoreInputError("sort", "sort must be text such as 'field desc, other'")
    for part in sort_raw.split(","):
        words = part.split()
        if not words:
            continue
        name = words[0].strip('"')
        direction = words[1].lower() if len(words) > 1 else "asc"
        if len(words) > 2 or direction not in {"asc", "desc"}:
            raise DatastoreInputError("sort", f"sort term {part.strip()[:100]!r} is not 'field [asc|desc]'")
        sort.append((_check_field("sort", name, known | {"_id"}), direction.upper()))
    query = Query(filters=filters, q=q, limit=limit, offset=offset, fields=fields, sort=sort)
    result = datastore.search(
        table=resource.table_name, fields=resource.fields, row_count=resource.row_count, query=query
    )
    return DatastoreAnswer(resource=resource, query=query, result=result)
