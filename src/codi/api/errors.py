"""Every API error becomes RFC 7807 problem+json with Thai and English text."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from codi.api.auth import RateLimitedError
from codi.core.problems import problem

log = logging.getLogger("codi.api")


def _validation(request: HttpRequest, exc: Any) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", [])]
        errors.append({"field": ".".join(loc), "message": err.get("msg", ""), "type": err.get("type", "")})
    if any(e["type"] == "json_invalid" for e in errors):
        return problem(
            400, detail_th="ข้อมูล JSON ไม่ถูกต้อง", detail_en="The request body is not valid JSON", errors=errors
        )
    return problem(422, detail_th="กรุณาแก้ไขข้อมูลในช่องที่ระบุ", detail_en="Fix the fields listed", errors=errors)


def _django_validation(request: HttpRequest, exc: Any) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": f, "message": " ".join(m for e in es for m in e.messages)}
            for f, es in exc.error_dict.items()
        ]
    else:
        errors = [{"field": "", "message": m} for m in exc.messages]
    return problem(422, detail_th="ข้อมูลไม่ผ่านการตรวจสอบ", detail_en="Validation failed", errors=errors)


def _http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    if isinstance(exc, RateLimitedError):
        return problem(429, headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, AuthenticationError):
        return problem(
            401,
            detail_th="กรุณาเข้าสู่ระบบหรือส่ง API key ที่ใช้งานได้",
            detail_en="Sign in, or send a valid, unrevoked API key in X-API-Key",
            headers={"WWW-Authenticate": 'ApiKey header="X-API-Key"'},
        )
    if isinstance(exc, AuthorizationError):
        return problem(403)
    if exc.status_code == 403 and "CSRF" in str(exc):
        return problem(403, detail_th="โทเคน CSRF ไม่ถูกต้อง", detail_en="CSRF check failed")
    return problem(exc.status_code, detail_en=str(exc) or None)


def _not_found(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(404)


def _forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
    message = str(exc)
    if " / " in message:
        thai, english = message.split(" / ", 1)
        return problem(403, detail_th=thai, detail_en=english)
    return problem(403)


def _server_error(request: HttpRequest, exc: Any) -> HttpResponse:
    log.exception("unhandled API error", exc_info=exc)
    return problem(500)


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(DjangoValidationError, _django_validation)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(PermissionDenied, _forbidden)
    api.add_exception_handler(Exception, _server_error)
