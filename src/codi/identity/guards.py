"""The permission guard of the pages: one way to refuse a request (403) for want of a permission.

``need(request, Perm.X)`` passes when the user holds the permission anywhere (area scope is then
checked by the selectors and services the page calls); ``need(request, check)`` passes when
``check(user)`` is true (e.g. ``privacy.selectors.can_manage_privacy``). The API uses the same
guard through ``codi.api.kit.need``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from codi.identity.selectors import user_has_perm


def need(request: HttpRequest, perm: str | Callable[[Any], bool]) -> None:
    user = request.user
    allowed = perm(user) if callable(perm) else user_has_perm(user, perm)
    if not allowed:
        raise PermissionDenied
