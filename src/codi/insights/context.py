"""Context processor: which module's satisfaction survey to offer on this page, if any.

Considered only right after the person completed a task in a module (a successful form post there,
noted by ``codi.insights.middleware``): then one check (a task this quarter, no answer yet) decides,
and the prompt stays on that module's pages until answered or put off. Every other page view costs
no query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from codi.insights import satisfaction as survey
from codi.insights.middleware import PENDING_KEY

ASK_KEY = "insights:satisfaction:ask"


def session_key(module: str) -> str:
    """Where the decision for ``module`` is kept: the module while the prompt shows, else nothing."""
    return ASK_KEY


def satisfaction(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    session = getattr(request, "session", None)
    if (
        request.method != "GET"
        or user is None
        or not user.is_authenticated
        or match is None
        or session is None
    ):
        return {}
    pending = session.get(PENDING_KEY)
    if pending:
        del session[PENDING_KEY]
        if survey.eligible(user, str(pending)):
            session[ASK_KEY] = str(pending)
    module = session.get(ASK_KEY)
    if not module or module != survey.module_for_app(match.app_name or "") or module not in survey.MODULES:
        return {}
    return {"satisfaction_module": module, "satisfaction_label": survey.MODULES[module].label}
