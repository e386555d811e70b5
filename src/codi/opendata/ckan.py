"""A CKAN-compatible Action API at ``/opendata/api/action/<name>`` and ``/opendata/api/3/action/<name>``.

Enough of CKAN's API for ``ckanapi.RemoteCKAN("https://HOST/opendata")`` and data.go.th-style
harvesters: ``package_list``, ``package_show``, ``package_search``, ``organization_list``,
``organization_show``, ``resource_show``, ``datastore_search``, ``status_show``. GET (query
parameters; ``filters`` as JSON text) and POST (a JSON body, or a form). Answers use CKAN's
envelope ``{"help", "success", "result" | "error": {"__type", "message", ...}}`` and its status
codes: 400 for an unreadable request, 404 "Not Found Error", 409 "Validation Error".

Limits: ``datastore_search`` ``limit`` is at most 32,000 (CKAN's default ``rows_max``); a larger
limit is refused with a Validation Error naming ``limit`` (never clamped silently), as is an
unknown field in ``filters``, ``fields`` or ``sort``. ``package_search`` ``rows`` is at most 1,000.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from codi.opendata import selectors
from codi.opendata.datastore import DatastoreInputError
from codi.opendata.models import Dataset, Resource

DOWNLOAD_FORMATS = ("csv", "json", "xlsx", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
DATA_TYPE_TH = {
    "statistics": "ข้อมูลสถิติ",
    "record": "ข้อมูลระเบียน",
    "geographic": "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
    "other": "ข้อมูลประเภทอื่นๆ",
}
FREQUENCY_TH = {
    "daily": "วัน",
    "weekly": "สัปดาห์",
    "monthly": "เดือน",
    "quarterly": "ไตรมาส",
    "yearly": "ปี",
    "on_change": "เมื่อมีการเปลี่ยนแปลง",
}


class ActionError(Exception):
    def __init__(self, status: int, kind: str, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.extra = extra or {}


def _iso(value: Any) -> str:
    return value.replace(tzinfo=None).isoformat() if value else ""


def download_url(request: HttpRequest, resource: Resource, fmt: str) -> str:
    return request.build_absolute_uri(
        reverse(
            "opendata:download",
            kwargs={"name": resource.dataset.name, "resource_id": resource.ckan_id, "fmt": fmt},
        )
    )


def resource_dict(request: HttpRequest, resource: Resource, position: int = 0) -> dict[str, Any]:
    return {
        "id": str(resource.ckan_id),
        "package_id": str(resource.dataset.ckan_id),
        "name": resource.name,
        "description": resource.dataset.description,
        "format": "CSV",
        "mimetype": "text/csv",
        "url": download_url(request, resource, "csv"),
        "url_type": "datastore",
        "datastore_active": True,
        "created": _iso(resource.created),
        "last_modified": _iso(resource.last_modified),
        "metadata_modified": _iso(resource.last_modified),
        "position": position,
        "state": "active",
        "row_count": resource.row_count,
        "fields": resource.fields,
        "downloads": {fmt: download_url(request, resource, fmt) for fmt in DOWNLOAD_FORMATS},
    }


def package_dict(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    """A dataset in CKAN's package schema, plus the Thai government data-catalog fields."""
    title, url = selectors.LICENSES.get(dataset.license_id, (dataset.license_id, ""))
    resources = [r for r in dataset.resources.all() if r.table_name]
    dga = {
        "data_type": DATA_TYPE_TH.get(dataset.data_type, dataset.data_type),
        "objective": dataset.objective,
        "geo_coverage": dataset.geographic_coverage,
        "data_category": dataset.data_category,
        "update_frequency_unit": FREQUENCY_TH.get(dataset.update_frequency, dataset.update_frequency),
        "update_frequency_interval": "1",
        "data_source": selectors.ORGANIZATION["title"],
        "data_format": ["CSV", "JSON", "XLSX", "Parquet"],
        "data_language": ["ไทย"],
        "allow_harvest": "yes" if dataset.harvest_permission else "no",
        "accessible_condition": "",
    }
    return {
        "id": str(dataset.ckan_id),
        "name": dataset.name,
        "title": dataset.title_th,
        "title_en": dataset.title_en,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": False,
        "version": str(dataset.version),
        "metadata_created": _iso(dataset.metadata_created),
        "metadata_modified": _iso(dataset.metadata_modified),
        "license_id": dataset.license_id,
        "license_title": title,
        "license_url": url,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "author": selectors.ORGANIZATION["title"],
        "author_email": dataset.contact_email,
        "owner_org": selectors.ORGANIZATION["name"],
        "organization": {
            **selectors.ORGANIZATION,
            "id": selectors.ORGANIZATION["name"],
            "type": "organization",
        },
        "url": request.build_absolute_uri(reverse("opendata:dataset", args=[dataset.name])),
        "tags": [{"name": k, "display_name": k} for k in dataset.keywords],
        "num_tags": len(dataset.keywords),
        "resources": [resource_dict(request, r, i) for i, r in enumerate(resources)],
        "num_resources": len(resources),
        **dga,
        "extras": [
            {"key": k, "value": v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}
            for k, v in dga.items()
        ],
    }


def _int_arg(data: dict[str, Any], name: str, default: int, maximum: int) -> int:
    value = data.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(str(value))
    except ValueError:
        raise ActionError(
            409, "Validation Error", f"{name}: must be a whole number", {name: ["Invalid integer"]}
        ) from None
    if number < 0 or number > maximum:
        raise ActionError(
            409,
            "Validation Error",
            f"{name}: must be between 0 and {maximum}",
            {name: [f"Must be between 0 and {maximum}"]},
        )
    return number


def _package_list(request: HttpRequest, data: dict[str, Any]) -> Any:
    """Names of the published datasets (limit, offset)."""
    names = list(selectors.published_datasets().values_list("name", flat=True))
    offset = _int_arg(data, "offset", 0, 10**9)
    limit = _int_arg(data, "limit", len(names), 10**9)
    return names[offset : offset + limit]


def _package_show(request: HttpRequest, data: dict[str, Any]) -> Any:
    """One published dataset by name or id, with its resources and the DGA catalog fields."""
    key = data.get("id") or data.get("name_or_id")
    if not key or not isinstance(key, str):
        raise ActionError(409, "Validation Error", "id: Missing value", {"id": ["Missing value"]})
    dataset = selectors.dataset_get_public(name_or_id=key)
    if dataset is None:
        raise ActionError(404, "Not Found Error", "Not found")
    return package_dict(request, dataset)


def _package_search(request: HttpRequest, data: dict[str, Any]) -> Any:
    """Search published datasets: q (words in title, description, tags), fq (key:value; keys name, tags, organization, res_format, license_id, data_type, data_category), rows (at most 1,000), start."""
    q = data.get("q") or ""
    fq = data.get("fq") or ""
    if not isinstance(q, str) or not isinstance(fq, str):
        raise ActionError(409, "Validation Error", "q and fq must be text", {"q": ["Must be text"]})
    if q.strip() in {"*:*", "*"}:
        q = ""
    rows = _int_arg(data, "rows", 10, selectors.MAX_ROWS)
    start = _int_arg(data, "start", 0, 10**9)
    datasets = selectors.dataset_search_public(q=q, fq=fq)
    count = len(datasets)
    page = datasets[start : start + rows]
    return {
        "count": count,
        "sort": "name asc",
        "results": [package_dict(request, d) for d in page],
        "facets": {},
        "search_facets": {},
    }


def _organization_list(request: HttpRequest, data: dict[str, Any]) -> Any:
    """The publishing organizations (all_fields for details)."""
    all_fields = str(data.get("all_fields", "")).lower() in {"true", "1", "yes"}
    if all_fields:
        count = selectors.published_datasets().count()
        return [{**selectors.ORGANIZATION, "id": selectors.ORGANIZATION["name"], "package_count": count}]
    return [selectors.ORGANIZATION["name"]]


def _organization_show(request: HttpRequest, data: dict[str, Any]) -> Any:
    """One publishing organization by id."""
    if data.get("id") != selectors.ORGANIZATION["name"]:
        raise ActionError(404, "Not Found Error", "Organization not found")
    count = selectors.published_datasets().count()
    return {**selectors.ORGANIZATION, "id": selectors.ORGANIZATION["name"], "package_count": count}


def _resource_show(request: HttpRequest, data: dict[str, Any]) -> Any:
    """One resource of a published dataset by id."""
    key = data.get("id")
    if not key or not isinstance(key, str):
        raise ActionError(409, "Validation Error", "id: Missing value", {"id": ["Missing value"]})
    resource = selectors.resource_get_public(resource_id=key)
    if resource is None:
        raise ActionError(404, "Not Found Error", "Resource was not found.")
    return resource_dict(request, resource)


def _datastore_search(request: HttpRequest, data: dict[str, Any]) -> Any:
    """Rows of a resource: resource_id, filters (JSON object field: value or list), q (words, prefix match), fields, sort ('field desc, other'), limit (at most 32,000; more is a Validation Error), offset. Returns fields, records, total, _links."""
    try:
        answer = selectors.datastore_search(data=data)
    except LookupError as missing:
        raise ActionError(404, "Not Found Error", str(missing)) from None
    except DatastoreInputError as bad:
        raise ActionError(
            409, "Validation Error", f"{bad.field}: {bad.message}", {bad.field: [bad.message]}
        ) from None
    query, result = answer.query, answer.result
    resource_id = str(answer.resource.ckan_id)
    base = request.path
    args: dict[str, Any] = {"resource_id": resource_id}
    if query.q:
        args["q"] = query.q
    if query.filters:
        args["filters"] = json.dumps(
            {k: v if len(v) > 1 else v[0] for k, v in query.filters.items()}, ensure_ascii=False
        )
    if query.sort:
        args["sort"] = ", ".join(f"{n} {d.lower()}" for n, d in query.sort)
    if query.fields:
        args["fields"] = ",".join(query.fields)
    if query.limit != 100:
        args["limit"] = query.limit
    links = {
        "start": f"{base}?{urlencode(args)}",
        "next": f"{base}?{urlencode({**args, 'offset': query.offset + query.limit})}",
    }
    labels = {f["id"]: f for f in answer.resource.fields}
    fields = []
    for f in result.fields:
        info = labels.get(f["id"])
        fields.append({**f, "info": {"label": info["label_th"], "label_en": info["label_en"]}} if info else f)
    return {
        "resource_id": resource_id,
        "fields": fields,
        "records": result.records,
        "total": result.total,
        "total_was_estimated": False,
        "limit": query.limit,
        "offset": query.offset,
        "q": query.q,
        "filters": {k: v if len(v) > 1 else v[0] for k, v in query.filters.items()},
        "sort": ", ".join(f"{n} {d.lower()}" for n, d in query.sort) or "_id asc",
        "_links": links,
    }


def _status_show(request: HttpRequest, data: dict[str, Any]) -> Any:
    """The site and API version."""
    return {
        "site_title": "ข้อมูลเปิด พอช. (CODI Open Data)",
        "site_url": request.build_absolute_uri("/opendata/"),
        "ckan_version": "2.10.0",
        "api_version": 3,
        "extensions": ["datastore"],
        "locale_default": "th",
    }


def _help_show(request: HttpRequest, data: dict[str, Any]) -> Any:
    """The documentation of an action (name)."""
    name = data.get("name")
    if name not in ACTIONS:
        raise ActionError(404, "Not Found Error", "Action not found")
    return (ACTIONS[name].__doc__ or "").strip() or f"{name}: see the CKAN Action API documentation"


ACTIONS: dict[str, Callable[[HttpRequest, dict[str, Any]], Any]] = {
    "package_list": _package_list,
    "package_show": _package_show,
    "package_search": _package_search,
    "organization_list": _organization_list,
    "organization_show": _organization_show,
    "resource_show": _resource_show,
    "datastore_search": _datastore_search,
    "status_show": _status_show,
    "help_show": _help_show,
}


def _request_data(request: HttpRequest) -> dict[str, Any]:
    if request.method == "POST":
        content_type = request.content_type or ""
        if content_type.startswith("application/x-www-form-urlencoded") or content_type.startswith(
            "multipart/"
        ):
            return {k: request.POST.get(k) for k in request.POST}
        body = request.body
        if not body.strip():
            return {}
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise ActionError(
                400, "Validation Error", "Bad request - JSON Error: the body is not JSON"
            ) from None
        if not isinstance(data, dict):
            raise ActionError(
                400, "Validation Error", "Bad request - JSON Error: the body must be a JSON object"
            )
        return data
    return {k: request.GET.get(k) for k in request.GET}


def _envelope(request: HttpRequest, name: str, payload: dict[str, Any], status: int = 200) -> JsonResponse:
    help_url = (
        request.build_absolute_uri(reverse("opendata:ckan_action", args=["help_show"])) + f"?name={name}"
    )
    response = JsonResponse(
        {"help": help_url, **payload}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
def action(request: HttpRequest, name: str) -> JsonResponse:
    """One CKAN action; public, no login, no CSRF token (it changes nothing)."""
    if request.method not in {"GET", "POST"}:
        return _envelope(
            request,
            name,
            {"success": False, "error": {"__type": "Validation Error", "message": "Use GET or POST"}},
            405,
        )
    handler = ACTIONS.get(name)
    if handler is None:
        return _envelope(
            request,
            name,
            {
                "success": False,
                "error": {
                    "__type": "Validation Error",
                    "message": f"Bad request - Action name not known: {name[:100]}",
                },
            },
            400,
        )
    try:
        data = _request_data(request)
        result = handler(request, data)
    except ActionError as error:
        return _envelope(
            request,
            name,
            {"success": False, "error": {**error.extra, "__type": error.kind, "message": error.message}},
            error.status,
        )
    except DatastoreInputError as bad:
        return _envelope(
            request,
            name,
            {
                "success": False,
                "error": {
                    bad.field: [bad.message],
                    "__type": "Validation Error",
                    "message": f"{bad.field}: {bad.message}",
                },
            },
            409,
        )
    return _envelope(request, name, {"success": True, "result": result})
