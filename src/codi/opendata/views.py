"""Open-data pages: public list, dataset page with preview, downloads, DCAT; the staff publishing page."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.opendata import ckan, datastore, exporting, selectors, services
from codi.opendata.datastore import Query
from codi.opendata.dcat import catalog_graph

PREVIEW_ROWS = 20


@require_GET
def dataset_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    datasets = selectors.dataset_search_public(q=q)
    page = Paginator(datasets, 20).get_page(request.GET.get("page"))
    return render(request, "opendata/dataset_list.html", {"page": page, "q": q})


@require_GET
def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    dataset = selectors.dataset_get_public(name_or_id=name)
    if dataset is None or dataset.name != name:
        raise Http404
    resources = [r for r in dataset.resources.all() if r.table_name]
    preview = None
    if resources:
        resource = resources[0]
        paginator = Paginator(range(resource.row_count), PREVIEW_ROWS)
        page = paginator.get_page(request.GET.get("page"))
        result = datastore.search(
            table=resource.table_name,
            fields=resource.fields,
            row_count=resource.row_count,
            query=Query(
                filters={},
                q="",
                limit=PREVIEW_ROWS,
                offset=(page.number - 1) * PREVIEW_ROWS,
                fields=[],
                sort=[],
            ),
        )
        columns = [f["id"] for f in resource.fields]
        preview = {
            "resource": resource,
            "page": page,
            "rows": [[record[c] for c in columns] for record in result.records],
            "downloads": [
                (fmt.upper(), ckan.download_url(request, resource, fmt)) for fmt in ckan.DOWNLOAD_FORMATS
            ],
        }
    package = ckan.package_dict(request, dataset)
    return render(
        request,
        "opendata/dataset_detail.html",
        {
            "dataset": dataset,
            "package": package,
            "preview": preview,
            "page": preview["page"] if preview else None,
        },
    )


@require_GET
def download(request: HttpRequest, name: str, resource_id: str, fmt: str) -> HttpResponseBase:
    resource = selectors.resource_get_public(resource_id=resource_id)
    if resource is None or resource.dataset.name != name or fmt not in ckan.DOWNLOAD_FORMATS:
        raise Http404
    filename = f"{name}.{fmt}"
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            exporting.csv_chunks(resource), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "json":
        response = StreamingHttpResponse(exporting.json_chunks(resource), content_type="application/json")
    elif fmt == "xlsx":
        response = FileResponse(exporting.xlsx_file(resource), content_type=ckan.MEDIA_TYPES["xlsx"])
    else:
        response = FileResponse(exporting.parquet_file(resource), content_type=ckan.MEDIA_TYPES["parquet"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def catalog_jsonld(request: HttpRequest) -> HttpResponse:

    text = catalog_graph(request).serialize(format="json-ld", auto_compact=True)
    return HttpResponse(text, content_type="application/ld+json; charset=utf-8")


@require_GET
def catalog_ttl(request: HttpRequest) -> HttpResponse:

    text = catalog_graph(request).serialize(format="turtle")
    return HttpResponse(text, content_type="text/turtle; charset=utf-8")


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    overview = selectors.staff_dataset_overview(actor=request.user)
    return render(request, "opendata/manage.html", {"overview": overview})


@login_required
@require_POST
def manage_action(request: HttpRequest, name: str, verb: str) -> HttpResponse:
    if not user_has_perm(request.user, Perm.OPENDATA_MANAGE):
        raise PermissionDenied
    try:
        if verb == "publish":
            outcome = services.dataset_publish(actor=request.user, name=name)
            messages.success(
                request,
                _("Published %(title)s, version %(version)s (%(rows)s rows).")
                % {
                    "title": outcome.dataset.title_th,
                    "version": outcome.dataset.version,
                    "rows": outcome.rows,
                },
            )
        elif verb == "unpublish":
            services.dataset_unpublish(actor=request.user, name=name)
            messages.success(request, _("Unpublished %(name)s.") % {"name": name})
        else:
            raise Http404
    except services.UnknownDatasetError:
        raise Http404 from None
    except services.PublishRefusedError as refused:
        messages.error(
            request,
            _("Publishing was refused: %(reason)s") % {"reason": refused.message}
            + " "
            + json.dumps(refused.reason, ensure_ascii=False),
        )
    return redirect("opendata:manage")
