"""A short-lived, shared cache of API key → user → grants (issue 14, item 5).

Without it every API call reads the key with its user (one query), the user's role
assignments (another) and may write ``last_used_at``. With a shared cache (Redis:
``CACHE_URL=redis://…``) the first call of a key fills one cache entry, and the next
calls for ``API_KEY_CACHE_SECONDS`` (60 s) read it instead.

The entry is keyed by the key's public prefix and holds the stored hash, so a wrong
secret with a right prefix is still refused (compared in constant time). Anything that
changes what a key may do deletes the entry through the same cache, so every app
process sees it on its next call:

- the key is saved or deleted (revoked, rate limit changed),
- its user is saved (deactivated, password or profile changed) or deleted,
- one of the user's role assignments is saved or deleted.

The deletions run on Django's ``post_save`` / ``post_delete`` signals (connected in
``codi.api.apps``), once right away and once more after the transaction commits, so a
call that filled the entry from the old rows in between does not keep it.

With a per-process cache (``locmem://``, the default of ``make run``) a deletion could not
reach the other processes, so nothing is cached there (``API_KEY_CACHE_SECONDS`` is 0).
``last_used_at`` is then written at most once a minute as before; with the cache, when the
entry is filled (so at most about once a minute per key as well).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from codi.identity.models import ApiKey, RoleAssignment, User
from codi.identity.selectors import Grant, user_grants
from codi.identity.services import _hash_key as api_key_hash
from codi.identity.services import api_key_authenticate

log = logging.getLogger(__name__)
_PREFIX = "codi:api-key:v1:"


@dataclass(frozen=True)
class Entry:
    key: ApiKey  # with ``key.user`` loaded
    grants: tuple[Grant, ...]


def _cache_key(prefix: str) -> str:
    return _PREFIX + prefix


def ttl_seconds() -> int:
    return int(getattr(settings, "API_KEY_CACHE_SECONDS", 0))


def _prefix_of(raw: str) -> str | None:
    parts = raw.split("_")
    if len(parts) < 3 or parts[0] != "codi" or not parts[1]:
        return None
    return parts[1]


def _cache_get(name: str) -> Any:
    try:
        return cache.get(name)
    except Exception:  # Redis down: read the database as if nothing were cached
        log.warning("api key cache unavailable (read)", exc_info=True)
        return None


def _cache_set(name: str, value: Any, ttl: int) -> None:
    try:
        cache.set(name, value, ttl)
    except Exception:
        log.warning("api key cache unavailable (write)", exc_info=True)


def authenticate(raw: str) -> ApiKey | None:
    """The active key matching ``raw`` with ``key.user`` whose grants are loaded, or None."""
    ttl = ttl_seconds()
    prefix = _prefix_of(raw)
    if prefix is None:
        return None
    if ttl > 0:
        entry = _cache_get(_cache_key(prefix))
        if isinstance(entry, Entry) and secrets.compare_digest(entry.key.key_hash, api_key_hash(raw)):
            user = entry.key.user
            user.__dict__["_codi_grants"] = list(entry.grants)
            return entry.key
    key = api_key_authenticate(raw=raw)
    if key is None:
        return None
    grants = user_grants(key.user)  # loaded onto the user; kept in the entry too
    if ttl > 0:
        _cache_set(_cache_key(prefix), Entry(key=key, grants=tuple(grants)), ttl)
    return key


# --- invalidation ---------------------------------------------------------------------------------


def forget(prefixes: Iterable[str]) -> None:
    """Delete the entries of these key prefixes now and again after the current transaction commits."""
    names = [_cache_key(p) for p in prefixes if p]
    if not names:
        return

    def delete() -> None:
        try:
            cache.delete_many(names)
        except Exception:  # Redis down: the entries expire on their own within the TTL
            log.error("api key cache unavailable: entries not deleted %s", names, exc_info=True)

    delete()
    transaction.on_commit(delete)


def forget_user(user_id: int | None) -> None:
    if user_id is None:
        return
    forget(ApiKey.objects.filter(user_id=user_id).values_list("prefix", flat=True))


def _on_key_change(sender: Any, instance: ApiKey, **kwargs: Any) -> None:
    forget([instance.prefix])


def _on_user_change(sender: Any, instance: User, **kwargs: Any) -> None:
    if ttl_seconds() > 0:
        forget_user(instance.pk)


def _on_role_change(sender: Any, instance: RoleAssignment, **kwargs: Any) -> None:
    if ttl_seconds() > 0:
        forget_user(instance.user_id)


def connect() -> None:
    """Connect the invalidation receivers (``codi.api.apps.ApiConfig.ready``; idempotent)."""
    post_save.connect(_on_key_change, sender=ApiKey, dispatch_uid="codi.api.keycache.key_save")
    post_delete.connect(_on_key_change, sender=ApiKey, dispatch_uid="codi.api.keycache.key_delete")
    post_save.connect(_on_user_change, sender=User, dispatch_uid="codi.api.keycache.user_save")
    # A deleted user's keys are deleted with it (cascade), each sending its own post_delete.
    post_save.connect(_on_role_change, sender=RoleAssignment, dispatch_uid="codi.api.keycache.role_save")
    post_delete.connect(_on_role_change, sender=RoleAssignment, dispatch_uid="codi.api.keycache.role_delete")
