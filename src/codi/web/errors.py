"""Error pages in Thai (and problem+json under /api/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from codi.core.problems import problem


def _page(request: HttpRequest, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem(status)
    return render(request, "web/error.html", {"status": status}, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem(500)
    return HttpResponse(
        "<h1>ระบบขัดข้อง / Server error</h1><p>กรุณาลองใหม่อีกครั้ง / Please try again.</p>", status=500
    )
