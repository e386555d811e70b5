"""Issue 12, item 9: a method the API does not offer answers problem+json, not an HTML page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_wrong_method_on_an_api_path_is_problem_json(client):
    response = client.delete("/api/v1/identity/me")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 405
    assert body["title_en"] == "Method not allowed"
    assert "GET" in response["Allow"]


def test_pages_keep_their_own_405(client):
    response = client.get("/accounts/logout/")  # sign-out takes POST only
    assert response.status_code == 405
    assert not response["Content-Type"].startswith("application/problem+json")
