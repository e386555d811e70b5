"""RFC 7807 problem details with a Thai and an English message."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES: dict[int, tuple[str, str]] = {
    400: ("คำขอไม่ถูกต้อง", "Bad request"),
    401: ("กรุณาเข้าสู่ระบบ", "Authentication required"),
    403: ("ไม่มีสิทธิ์เข้าถึง", "Permission denied"),
    404: ("ไม่พบข้อมูล", "Not found"),
    405: ("ไม่รองรับวิธีเรียกนี้", "Method not allowed"),
    409: ("ข้อมูลขัดแย้ง", "Conflict"),
    413: ("ข้อมูลที่ส่งมีขนาดใหญ่เกินไป", "Request too large"),
    422: ("ข้อมูลไม่ผ่านการตรวจสอบ", "Validation failed"),
    429: ("เรียกใช้บ่อยเกินไป กรุณารอสักครู่", "Too many requests"),
    500: ("ระบบขัดข้อง", "Internal server error"),
    503: ("ระบบยังไม่พร้อมให้บริการ", "Service unavailable"),
}


def problem(
    status: int,
    *,
    detail_th: str | None = None,
    detail_en: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    type_: str = "about:blank",
) -> JsonResponse:
    """A problem+json response; ``title`` is Thai, ``title_en`` English, likewise ``detail``."""
    title_th, title_en = TITLES.get(status, ("เกิดข้อผิดพลาด", "Error"))
    body: dict[str, Any] = {
        "type": type_,
        "title": title_th,
        "title_en": title_en,
        "status": status,
        "detail": detail_th or title_th,
        "detail_en": detail_en or title_en,
    }
    if errors:
        body["errors"] = errors
    response = JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Language"] = "th"
    for key, value in (headers or {}).items():
        response[key] = value
    return response
