"""Error pages in Thai (English when chosen), with the request id and a way back; problem+json under /api/."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from codi.core import context
from codi.core.problems import problem

log = logging.getLogger(__name__)


def _request_id() -> str:
    try:
        return context.current().request_id
    except Exception:  # an error page must render even without a request context
        return ""


def _same_site_referer(request: HttpRequest) -> str:
    """The page the person came from, only when it is on this site (never a link elsewhere)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except Exception:  # a host outside ALLOWED_HOSTS: offer no link back rather than fail again
        host = ""
    if referer.startswith("/") and not referer.startswith("//"):
        return referer
    for scheme in ("http://", "https://"):
        if host and referer.startswith(f"{scheme}{host}/"):
            return referer
    return ""


def _page(request: HttpRequest, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem(status)
    return render(
        request,
        "web/error.html",
        {"status": status, "request_id": _request_id(), "back": _same_site_referer(request)},
        status=status,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors or the database: whatever broke may be among them."""
    if request.path.startswith("/api/"):
        return problem(500)
    try:
        body = loader.get_template("web/500.html").render(
            {"request_id": _request_id(), "back": _same_site_referer(request)}
        )
    except Exception:  # pragma: no cover - last resort when templates themselves are broken
        log.exception("the 500 page could not be rendered")
        body = "<h1>ระบบขัดข้อง / Server error</h1><p><a href='/'>กลับหน้าแรก / Home</a></p>"
    return HttpResponse(body, status=500)
