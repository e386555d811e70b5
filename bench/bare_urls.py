"""The project's URLs plus ``/bench/bare``: a view that returns a fixed JSON body, touching no database."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

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


urlpatterns = [path("bench/bare", bare, name="bench_bare"), *project_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
