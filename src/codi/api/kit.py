"""The kit every app's ``api.py`` imports: error responses, pagination, authentication, the guard.

``codi.api.main`` only assembles the routers; apps never import it (that made the API package
both the top and the bottom of the house). This module imports nothing from any app but
``identity`` (who the caller is and what they may do).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from codi.api.auth import RateLimitedError, api_key_auth, session_auth
from codi.api.pagination import Pages
from codi.api.schemas import ERRORS
from codi.identity.selectors import user_has_perm

__all__ = ["ERRORS", "Pages", "RateLimitedError", "api_key_auth", "need", "session_auth"]


def need(request: HttpRequest, perm: str) -> None:
    """The API's permission guard: the caller holds ``perm`` somewhere, or the request is refused (403).

    Area scope is checked by the selectors and services the endpoint calls.
    """
    if not user_has_perm(request.user, perm):
        raise PermissionDenied
