"""Context processor: which module's satisfaction survey to offer on this page, if any.

Asked only on a staff GET page of a module the person completed a task in this quarter and has not
answered; the decision is kept in the session for 10 minutes so ordinary pages pay no query."""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest

from codi.insights import satisfaction as survey

RECHECK_SECONDS = 600


def session_key(module: str) -> str:
    return f"insights:satisfaction:{module}"


def satisfaction(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if request.method != "GET" or user is None or not user.is_authenticated or match is None:
        return {}
    module = survey.module_for_app(match.app_name or "")
    if not module:
        return {}
    cached = request.session.get(session_key(module))
    now = time.time()
    if isinstance(cached, list) and len(cached) == 2 and now - float(cached[0]) < RECHECK_SECONDS:
        ask = bool(cached[1])
    else:
        ask = survey.eligible(user, module)
        request.session[session_key(module)] = [now, ask]
    if not ask:
        return {}
    return {"satisfaction_module": module, "satisfaction_label": survey.MODULES[module].label}
