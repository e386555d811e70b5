"""URLs of the OIDC provider, mounted under ``/o/`` by ``codi.urls``.

Only what single sign-on needs: authorize, token, revoke, introspect,
discovery, JWKS and userinfo. django-oauth-toolkit's application-management
pages, device flow and dynamic registration are left out on purpose: clients
are registered by an administrator with ``manage.py oidc_client_create``.
"""

from __future__ import annotations

from csp.decorators import csp_replace
from django.urls import path, re_path
from django.utils.decorators import method_decorator
from oauth2_provider import views

app_name = "oauth2_provider"  # django-oauth-toolkit reverses its own URL names in this namespace


# The consent form posts here and is answered with a redirect to the client's own site; browsers
# hold that redirect to form-action, so this one page leaves it out (scripts stay 'self' only).
@method_decorator(csp_replace({"form-action": None}), name="dispatch")
class CodiAuthorizationView(views.AuthorizationView):
    template_name = "identity/oidc_authorize.html"


urlpatterns = [
    path("authorize/", CodiAuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", views.UserInfoView.as_view(), name="user-info"),
]
