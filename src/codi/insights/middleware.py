"""Notes when a person completes a task in a module: a successful form post (answered with a
redirect) on one of the module's pages. The satisfaction survey is considered on the next page only
then, so ordinary page views cost no query (``codi.insights.context``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from codi.insights import satisfaction as survey

PENDING_KEY = "insights:satisfaction:pending"


class SatisfactionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "POST" and response.status_code in (302, 303):
            user = getattr(request, "user", None)
            match = getattr(request, "resolver_match", None)
            if user is not None and user.is_authenticated and match is not None:
                module = survey.module_for_app(match.app_name or "")
                if module and hasattr(request, "session"):
                    request.session[PENDING_KEY] = module
        return response
