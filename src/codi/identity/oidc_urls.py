"""URLs of the OIDC provider, mounted under ``/o/`` by ``codi.urls``.

Only what single sign-on needs: authorize, token, revoke, introspect,
discovery, JWKS and userinfo. django-oauth-toolkit's application-management
pages, device flow and dynamic registration are left out on purpose: clients
are registered by an administrator with ``manage.py oidc_client_create``.
"""

from __future__ import annotations

import json
from typing import Any

from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path, re_path
from django.utils.decorators import method_decorator
from oauth2_provider import views

from codi.identity.oidc import SIGNING_ALGORITHM, code_burn

app_name = "oauth2_provider"  # django-oauth-toolkit reverses its own URL names in this namespace


# The consent form posts here and is answered with a redirect to the client's own site; browsers
# hold that redirect to form-action, so this one page leaves it out (scripts stay 'self' only).
@method_decorator(csp_replace({"form-action": None}), name="dispatch")
class CodiAuthorizationView(views.AuthorizationView):
    template_name = "identity/oidc_authorize.html"


class CodiTokenView(views.TokenView):
    """The token endpoint; a code whose exchange is refused is burnt (one try per code)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        code = request.POST.get("code", "")
        if response.status_code == 400 and request.POST.get("grant_type") == "authorization_code" and code:
            code_burn(code=code)
        return response


class CodiDiscoveryView(views.ConnectDiscoveryInfoView):
    """Discovery that offers only RS256 for id_tokens (django-oauth-toolkit also lists HS256)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            document = json.loads(response.content)
            document["id_token_signing_alg_values_supported"] = [SIGNING_ALGORITHM]
            response.content = json.dumps(document).encode()
        return response


class CodiUserInfoView(views.UserInfoView):
    """Userinfo takes the token from the Authorization header (or a form body), never the URL:
    a token in a query string ends up in logs and browser history (RFC 6750 §2.3, RFC 9700)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "access_token" in request.GET:
            response = JsonResponse(
                {
                    "error": "invalid_request",
                    "error_description": "The access token must be sent in the Authorization header.",
                },
                status=400,
            )
            response["WWW-Authenticate"] = 'Bearer error="invalid_request"'
            response["Cache-Control"] = "no-store"
            return response
        return super().dispatch(request, *args, **kwargs)


urlpatterns = [
    path("authorize/", CodiAuthorizationView.as_view(), name="authorize"),
    path("token/", CodiTokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        CodiDiscoveryView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", CodiUserInfoView.as_view(), name="user-info"),
]
