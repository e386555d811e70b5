"""Health, readiness, metrics, request ids, JSON logs."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from codi.core.logging import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def _client() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


def test_healthz():
    assert _client().get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_the_database():
    response = _client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_readyz_is_503_when_migrations_are_missing(monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("fake", False)])
    response = _client().get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail_en"] == "1 migrations not applied"


def test_metrics_count_requests():
    client = _client()
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    assert "codi_http_requests_total" in body
    assert 'codi_http_request_seconds_bucket{le="0.1",method="GET"}' in body


def test_request_id_is_echoed_or_generated():
    client = _client()
    given = client.get("/healthz", HTTP_X_REQUEST_ID="abc12345-trace")
    assert given["X-Request-ID"] == "abc12345-trace"
    generated = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces")
    assert len(generated["X-Request-ID"]) == 32


def test_audit_entries_carry_the_request_id_and_ip():
    from codi.core.models import AuditEntry

    client = _client()
    client.post(
        "/accounts/login/", {"username": "nobody", "password": "x" * 12}, HTTP_X_REQUEST_ID="trace-login-1"
    )
    entry = AuditEntry.objects.filter(action="identity.login_failed").latest("id")
    assert entry.request_id == "trace-login-1"
    assert entry.ip == "127.0.0.1"


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord("codi.test", logging.INFO, __file__, 1, "สวัสดี %s", ("ครับ",), None)
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "สวัสดี ครับ"
    assert line["level"] == "INFO" and len(line["request_id"]) == 32


def test_nul_characters_are_refused_before_they_reach_the_database():
    client = _client()
    assert client.get("/api/v1/areas/provinces?q=a%00b").status_code == 400
    response = client.post(
        "/accounts/login/", "username=a%00b&password=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    response = client.post(
        "/api/v1/communities/organizations", '{"name_th": "a\\u0000b"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail_en"] == "The request contains a NUL character, which is not allowed"
    assert client.post("/accounts/login/", {"username": "a\x00b", "password": "x"}).status_code == 400
    assert client.post("/accounts/login/", {"username": "ก%b", "password": "x"}).status_code == 401
