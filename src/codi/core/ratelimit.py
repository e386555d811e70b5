"""Rate limits and counters shared by every process of the platform.

A counter must count once however many gunicorn workers and task workers run,
so nothing here lives in one process's memory:

* with Redis configured (``CACHE_URL=redis://…``, or ``RATELIMIT_URL``) each
  counter is one Redis key, incremented with ``INCRBY`` and expired at the end
  of its window;
* otherwise each counter is one row of ``core_ratecounter`` in the platform's
  database, incremented by a single ``INSERT … ON CONFLICT DO UPDATE …
  RETURNING`` statement (SQLite 3.35+ and PostgreSQL), which is atomic across
  processes and threads.

Windows are fixed and aligned to the epoch (a limit of 10 per hour allows at
most 20 in any 60 minutes that straddle two windows). Identifiers (addresses,
usernames, key prefixes) are hashed before they become keys, so the counter
store holds no personal data.

When the store cannot be reached, :class:`RateLimitUnavailableError` is raised: the
caller refuses the rate-limited call (503) rather than letting it through
uncounted or failing with a 500.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection

log = logging.getLogger("codi.ratelimit")


class RateLimitUnavailableError(Exception):
    """The shared counter store (Redis or the database) did not answer."""


@dataclass(frozen=True)
class Usage:
    """A counter's value in the current window, against its limit."""

    count: int
    limit: int
    reset_in: int  # seconds until the window ends

    @property
    def is_exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def is_reached(self) -> bool:
        return self.count >= self.limit


def _key(scope: str, ident: str, window_seconds: int, now: float) -> tuple[str, int]:
    window = int(now // window_seconds)
    digest = hashlib.sha256(f"{scope}\x00{ident}".encode()).hexdigest()[:32]
    window_end = (window + 1) * window_seconds
    return f"codi:rl:{scope}:{digest}:{window_seconds}:{window}", window_end


def backend_name() -> str:
    """``redis`` or ``database``: which store the counters live in."""
    return "redis" if _redis_url() else "database"


def _redis_url() -> str:
    return str(getattr(settings, "RATELIMIT_URL", "") or "")


@lru_cache(maxsize=4)
def _redis_client(url: str) -> Any:
    import redis  # imported only when Redis is configured

    return redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)


def hit(scope: str, ident: str, *, limit: int, window_seconds: int, amount: int = 1) -> Usage:
    """Add ``amount`` to the counter ``scope``/``ident`` and return its new value in this window."""
    now = time.time()
    key, window_end = _key(scope, ident, window_seconds, now)
    url = _redis_url()
    count = _redis_hit(url, key, window_end, amount) if url else _database_hit(key, window_end, amount)
    return Usage(count=count, limit=limit, reset_in=max(1, int(window_end - now)))


def peek(scope: str, ident: str, *, limit: int, window_seconds: int) -> Usage:
    """The counter's value in this window, without adding to it."""
    now = time.time()
    key, window_end = _key(scope, ident, window_seconds, now)
    url = _redis_url()
    count = _redis_peek(url, key) if url else _database_peek(key)
    return Usage(count=count, limit=limit, reset_in=max(1, int(window_end - now)))


def reset(scope: str, ident: str, *, window_seconds: int) -> None:
    """Forget the counter's current window (e.g. after a successful sign-in)."""
    key, _ = _key(scope, ident, window_seconds, time.time())
    url = _redis_url()
    try:
        if url:
            _redis_client(url).delete(key)
        else:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM core_ratecounter WHERE key = %s", [key])
    except Exception as exc:
        raise RateLimitUnavailableError(str(exc)) from exc


# --- Redis ---------------------------------------------------------------------------------


def _redis_hit(url: str, key: str, window_end: int, amount: int) -> int:
    try:
        pipe = _redis_client(url).pipeline(transaction=True)
        pipe.incrby(key, amount)
        # A second past the window's end, so a counter never outlives its window by much.
        pipe.expireat(key, window_end + 1)
        count, _ = pipe.execute()
        return int(count)
    except Exception as exc:  # redis.exceptions.RedisError and socket errors alike
        log.warning("rate-limit store (Redis) unavailable: %s", exc)
        raise RateLimitUnavailableError(str(exc)) from exc


def _redis_peek(url: str, key: str) -> int:
    try:
        value = _redis_client(url).get(key)
    except Exception as exc:
        log.warning("rate-limit store (Redis) unavailable: %s", exc)
        raise RateLimitUnavailableError(str(exc)) from exc
    return int(value or 0)


# --- database ------------------------------------------------------------------------------

_UPSERT = (
    "INSERT INTO core_ratecounter (key, count, expires_at) VALUES (%s, %s, %s) "
    "ON CONFLICT (key) DO UPDATE SET count = core_ratecounter.count + excluded.count "
    "RETURNING count"
)


def _database_hit(key: str, window_end: int, amount: int) -> int:
    expires = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(window_end + 1, tz=UTC))
    try:
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [key, amount, expires])
            count = int(cursor.fetchone()[0])
            if count == amount:
                # A new window began for this key: sweep the windows that have ended (indexed).
                now = connection.ops.adapt_datetimefield_value(datetime.now(tz=UTC))
                cursor.execute("DELETE FROM core_ratecounter WHERE expires_at < %s", [now])
    except DatabaseError as exc:
        log.warning("rate-limit store (database) unavailable: %s", exc)
        raise RateLimitUnavailableError(str(exc)) from exc
    return count


def _database_peek(key: str) -> int:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count FROM core_ratecounter WHERE key = %s", [key])
            row = cursor.fetchone()
    except DatabaseError as exc:
        raise RateLimitUnavailableError(str(exc)) from exc
    return int(row[0]) if row else 0
