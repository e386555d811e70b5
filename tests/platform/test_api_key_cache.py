"""API key → user → grants, cached for a short time in the shared cache (issue 14, item 5).

Runs with the platform's cache as configured for the test run (per-process) with the cache
switched on, and against a real Redis (``scripts/with-redis.sh`` sets REDIS_URL; skipped
without it). Every change that alters what a key may do must take effect on the next call:
revoking the key, deactivating its user, revoking or granting a role.
"""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from codi.api import keycache
from codi.identity import services
from codi.identity.models import RoleAssignment
from tests.factories import OrganizationFactory
from tests.permissions import Matrix

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="no redis-server (run under scripts/with-redis.sh)")


@pytest.fixture(params=["locmem", pytest.param("redis", marks=needs_redis)])
def shared_cache(request, settings):
    if request.param == "redis":
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        }
    settings.API_KEY_CACHE_SECONDS = 60
    cache.clear()
    yield request.param
    cache.clear()


def _key(role: str = "partner_agency", scope: tuple[str, str] = ("province", "40")):
    user = Matrix().user(role, *scope)
    key, raw = services.api_key_create(actor=None, user=user, name="อบจ.ขอนแก่น")
    return key, raw, Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY=raw)


def _identity_queries(client: Client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as seen:
        status = client.get(path).status_code
    tables = [
        q["sql"]
        for q in seen.captured_queries
        if "identity_apikey" in q["sql"] or "identity_roleassignment" in q["sql"]
    ]
    return status, tables


def test_the_second_call_reads_no_key_and_no_grants(shared_cache):
    _, _, client = _key()
    status, first = _identity_queries(client, "/api/v1/identity/me")
    assert status == 200 and first  # the first call reads the key and the grants
    status, second = _identity_queries(client, "/api/v1/identity/me")
    assert status == 200 and second == []


def test_without_a_shared_cache_nothing_is_cached(settings):
    settings.API_KEY_CACHE_SECONDS = 0
    _, _, client = _key()
    client.get("/api/v1/identity/me")
    status, second = _identity_queries(client, "/api/v1/identity/me")
    assert status == 200 and second  # read from the database every time


def test_revoking_the_key_refuses_the_next_call(shared_cache):
    key, _, client = _key()
    assert client.get("/api/v1/identity/me").status_code == 200
    services.api_key_revoke(actor=None, key=key)
    assert client.get("/api/v1/identity/me").status_code == 401


def test_deactivating_the_user_refuses_the_next_call(shared_cache):
    key, _, client = _key()
    assert client.get("/api/v1/identity/me").status_code == 200
    services.user_set_active(actor=None, user=key.user, is_active=False)
    assert client.get("/api/v1/identity/me").status_code == 401


def test_a_role_change_changes_the_scope_on_the_next_call(shared_cache):
    key, _, client = _key()
    khon_kaen = OrganizationFactory(subdistrict_id="400104")
    bangkok = OrganizationFactory(subdistrict_id="100101")

    def ids() -> set[int]:
        response = client.get("/api/v1/communities/organizations?page_size=200")
        assert response.status_code == 200
        return {item["id"] for item in response.json()["items"]}

    assert khon_kaen.pk in ids() and bangkok.pk not in ids()
    services.role_assign(
        actor=None, user=key.user, role="partner_agency", scope_level="province", scope_code="10"
    )
    assert bangkok.pk in ids()
    for assignment in RoleAssignment.objects.filter(user=key.user):
        services.role_revoke(actor=None, assignment=assignment)
    response = client.get("/api/v1/communities/organizations")
    assert response.status_code == 403 or response.json()["items"] == []


def test_a_wrong_secret_with_a_cached_prefix_is_refused(shared_cache):
    _, raw, client = _key()
    assert client.get("/api/v1/identity/me").status_code == 200
    forged = raw[: raw.rindex("_") + 1] + "x" * len(raw.rsplit("_", 1)[1])
    response = Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY=forged).get("/api/v1/identity/me")
    assert response.status_code == 401


@needs_redis
def test_revocation_deletes_the_entry_in_redis_for_every_process(shared_cache):
    import redis

    if shared_cache != "redis":
        pytest.skip("Redis case only")
    key, _, client = _key()
    assert client.get("/api/v1/identity/me").status_code == 200
    raw_redis = redis.Redis.from_url(REDIS_URL)
    stored = cache.make_key(keycache._cache_key(key.prefix))
    assert raw_redis.exists(stored) == 1  # what another app process would read
    services.api_key_revoke(actor=None, key=key)
    assert raw_redis.exists(stored) == 0


# --- the page count ---------------------------------------------------------------------------


def _count_queries(client: Client, path: str) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(path)
    assert response.status_code == 200, response.content
    counts = [q for q in seen.captured_queries if "COUNT(" in q["sql"].upper()]
    return response.json(), len(counts)


def test_a_short_page_needs_no_count_query_and_reports_the_right_total(shared_cache):
    _, _, client = _key()
    for _ in range(7):
        OrganizationFactory(subdistrict_id="400104")
    base = "/api/v1/communities/organizations?page_size=5"
    full, full_counts = _count_queries(client, base + "&page=1")
    last, last_counts = _count_queries(client, base + "&page=2")
    past, past_counts = _count_queries(client, base + "&page=3")
    assert (full["count"], len(full["items"]), full_counts) == (7, 5, 1)
    assert (last["count"], len(last["items"]), last_counts) == (7, 2, 0)
    assert (past["count"], past["items"], past_counts) == (7, [], 1)
    single, single_counts = _count_queries(client, "/api/v1/communities/organizations?page_size=50")
    assert (single["count"], len(single["items"]), single_counts) == (7, 7, 0)
