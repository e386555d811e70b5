"""Request id, client address, size limit and metrics for every request."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from codi.core import context, metrics
from codi.core.problems import problem

log = logging.getLogger("codi.request")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

Handler = Callable[[HttpRequest], HttpResponse]


def client_ip(request: HttpRequest) -> str | None:
    # Behind a proxy the operator sets SECURE_SSL_REDIRECT and passes X-Forwarded-For;
    # the first address is the client's. Without a proxy, REMOTE_ADDR is the truth.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and settings.SECURE_PROXY_SSL_HEADER:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        token = context.bind(context.RequestContext(request_id=request_id, ip=client_ip(request)))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        duration = time.perf_counter() - started
        response["X-Request-ID"] = request_id
        if not request.path.startswith(("/static/", "/healthz", "/metrics")):
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                    "request_id": request_id,
                },
            )
        return response


_TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded", "text/")


def _has_nul(request: HttpRequest) -> bool:
    """NUL never belongs in text input, and PostgreSQL refuses it in text columns (a 500 otherwise)."""
    if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.path:
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method in {"POST", "PUT", "PATCH"} and content_type.startswith(_TEXT_BODIES):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if 0 < length <= settings.MAX_REQUEST_BYTES:
            body = request.body
            if content_type.startswith("application/x-www-form-urlencoded"):
                return b"%00" in body
            return b"\x00" in body or b"\\u0000" in body
    if request.method == "POST" and content_type.startswith("multipart/form-data"):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            # Keep the raw body readable for the API (django-ninja reads request.body after us);
            # parsing the form from the stream would leave it unreadable and answer 500.
            request.body  # noqa: B018
        return any("\x00" in value for values in request.POST.lists() for value in values[1])
    return False


class RequestSizeLimitMiddleware:
    """Refuse oversized bodies (and NUL characters) before anything reads them."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return problem(400, detail_th="Content-Length ไม่ถูกต้อง", detail_en="Invalid Content-Length")
        if length > settings.MAX_REQUEST_BYTES:
            limit_mb = settings.MAX_REQUEST_BYTES / (1024 * 1024)
            return problem(
                413,
                detail_th=f"ข้อมูลที่ส่งต้องไม่เกิน {limit_mb:.1f} MB",
                detail_en=f"The request body must not exceed {limit_mb:.1f} MB",
            )
        if _has_nul(request):
            return problem(
                400,
                detail_th="ข้อมูลมีอักขระ NUL ซึ่งไม่อนุญาต",
                detail_en="The request contains a NUL character, which is not allowed",
            )
        return self.get_response(request)


class ApiProblemMiddleware:
    """API answers are problem+json even when Django itself refuses the method (405 is HTML otherwise)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith(
                ("application/json", "application/problem+json")
            )
        ):
            allowed = response.get("Allow", "")
            replaced = problem(
                405,
                detail_th=f"ใช้ได้เฉพาะ {allowed}" if allowed else None,
                detail_en=f"Allowed: {allowed}" if allowed else None,
            )
            if allowed:
                replaced["Allow"] = allowed
            return replaced
        return response


class PermissionsPolicyMiddleware:
    """Say which powerful browser features a page may use (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class MetricsMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.LATENCY.labels(request.method).observe(time.perf_counter() - started)
        metrics.REQUESTS.labels(request.method, str(response.status_code)).inc()
        return response
