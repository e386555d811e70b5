"""The project's URLs plus two bare endpoints for the API-overhead benchmark.

- ``/bench/bare``: a view that returns a fixed JSON body, touching no database (the server's floor).
- ``/bench/api/one``: the fair baseline (issue 14, item 5): an API endpoint on the same
  authentication as the list (``X-API-Key``: key → user → grants, the shared rate counter) that
  reads ONE organization row through the same area scope. What the list costs above it is the
  list's own work: the page query, the count and serialising 50 rows.
- ``/bench/api/list-schema``: the organization list as it was before it wrote its page from
  ``.values()`` rows — the same query through django-ninja's ``@paginate`` and a schema object per
  row (``OrganizationOut``) — so the change is measured against it in the same run.
"""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path
from ninja import NinjaAPI
from ninja.pagination import paginate

from codi.api.auth import api_key_auth
from codi.api.pagination import Pages
from codi.communities.api import OrganizationOut
from codi.communities.selectors import organization_list
from codi.urls import handler403, handler404, handler500
from codi.urls import urlpatterns as project_urlpatterns

# About the size of one page of the organization list (50 items), so both responses cost similar bytes.
FIXED_ITEMS = [
    {
        "id": i,
        "name_th": f"องค์กรชุมชนตัวอย่าง {i}",
        "name_en": "",
        "org_type": "community_org",
        "registration_no": "",
        "subdistrict_code": "400101",
        "founded_on": None,
        "status": "active",
        "is_demo": False,
    }
    for i in range(1, 51)
]


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"items": FIXED_ITEMS, "count": len(FIXED_ITEMS), "page": 1, "page_size": 50})


bench_api = NinjaAPI(title="bench", urls_namespace="bench_api", auth=[api_key_auth], docs_url=None)


@bench_api.get("/one")
def one_row(request: HttpRequest) -> dict[str, Any]:
    row = organization_list(actor=request.user).values("id", "name_th", "subdistrict_id").first()
    return {"item": row}


@bench_api.get("/list-schema", response=list[OrganizationOut])
@paginate(Pages)
def list_schema(request: HttpRequest) -> Any:
    return organization_list(actor=request.user)


urlpatterns = [
    path("bench/bare", bare, name="bench_bare"),
    path("bench/api/", bench_api.urls),
    *project_urlpatterns,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
