"""API authentication: the browser's session, or a partner's API key with a rate limit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyHeader, SessionAuth

from codi.api import keycache
from codi.core import ratelimit


class RateLimitedError(HttpError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(429, "rate limit exceeded")
        self.retry_after = retry_after


class ApiKeyAuth(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key:
            return None
        # key → user → grants: from the shared cache for a minute, cleared on revocation (keycache)
        api_key = keycache.authenticate(key)
        if api_key is None:
            return None
        limit = api_key.rate_limit_per_minute or settings.API_RATE_LIMIT_PER_MINUTE
        # Counted once for all app processes (Redis or the database: codi.core.ratelimit).
        try:
            usage = ratelimit.hit("api-key", api_key.prefix, limit=limit, window_seconds=60)
        except ratelimit.RateLimitUnavailableError as exc:
            raise HttpError(503, "rate limit store unavailable") from exc
        if usage.is_exceeded:
            raise RateLimitedError(retry_after=usage.reset_in)
        request.user = api_key.user
        request.api_key = api_key  # type: ignore[attr-defined]
        return api_key.user


class VerifiedSessionAuth(SessionAuth):
    """Django's session; staff sessions must have passed MFA (enforced by middleware)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if user.is_authenticated:
            return user
        return None


api_key_auth = ApiKeyAuth()
session_auth = VerifiedSessionAuth()
