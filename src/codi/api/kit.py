"""The kit every app's ``api.py`` imports: error responses, pagination, authentication, the guard.

``need(request, perm)`` is the API's permission guard (403 problem+json when the caller lacks
``perm``); it is the pages' guard too (``codi.identity.guards``), so both refuse alike.

``codi.api.main`` only assembles the routers; apps never import it (that made the API package
both the top and the bottom of the house). This module imports nothing from any app but
``identity`` (who the caller is and what they may do).
"""

from __future__ import annotations

from codi.api.auth import RateLimitedError, api_key_auth, session_auth
from codi.api.pagination import Pages
from codi.api.schemas import ERRORS
from codi.identity.guards import need

__all__ = ["ERRORS", "Pages", "RateLimitedError", "api_key_auth", "need", "session_auth"]
