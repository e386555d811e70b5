"""Single sign-on: CODI as an OpenID Connect provider.

The full login is driven by a real OIDC client library (authlib). Its HTTP
requests go to Django through a small ``requests`` transport adapter that
hands them to Django's test client, so no port is opened and the test shares
the test database (the session-wide areas survive; a live server would need a
flushed transactional database).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import warnings
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session

with warnings.catch_warnings():  # authlib.jose is deprecated in favour of joserfc (not installed)
    warnings.simplefilter("ignore")
    from authlib.jose import JsonWebKey, jwt
from django.core.management import call_command
from django.test import Client
from oauth2_provider.models import Application, Grant

from codi.core.models import AuditEntry
from codi.identity.models import OrgUnit, RoleAssignment
from codi.identity.oidc import oidc_client_create
from tests.factories import UserFactory
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1"
REDIRECT_URI = "https://pms.codi.example/oidc/callback"


class DjangoClientAdapter(requests.adapters.BaseAdapter):
    """A ``requests`` transport that serves requests with Django's test client."""

    def __init__(self, client: Client) -> None:
        super().__init__()
        self.client = client

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        url = urlparse(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in {"content-length", "host"}}
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        django_response = self.client.generic(
            request.method,
            path,
            data=body,
            content_type=headers.pop("Content-Type", "application/octet-stream"),
            headers=headers,
        )
        response = requests.Response()
        response.status_code = django_response.status_code
        response.headers.update(dict(django_response.items()))
        response._content = django_response.content
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


def _session(
    client_id: str, client_secret: str, *, scope: str = "openid profile email roles"
) -> OAuth2Session:
    session = OAuth2Session(
        client_id,
        client_secret,
        scope=scope,
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )
    session.mount(BASE, DjangoClientAdapter(Client(HTTP_HOST="127.0.0.1")))
    return session


def _user_with_roles():
    unit = OrgUnit.objects.create(code="KK-OFFICE", name_th="สำนักงานภาคอีสาน")
    user = UserFactory(
        username="somchai", first_name="Somchai", last_name="Jaidee", email="somchai@codi.example"
    )
    user.name_th = "สมชาย ใจดี"
    user.position = "นักพัฒนาชุมชน"
    user.org_unit = unit
    user.save()
    RoleAssignment.objects.create(user=user, role="project_officer", scope_level="province", scope_code="40")
    RoleAssignment.objects.create(
        user=user, role="regional_director", scope_level="region", scope_code="northeast"
    )
    return user


def _browser(user) -> Client:
    return signed_in_client(user)


def _authorize(browser: Client, authorization_url: str) -> str:
    """The signed-in user's browser follows the authorization URL; returns the redirect location."""
    response = browser.get(authorization_url.removeprefix(BASE))
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def _pkce_pair() -> tuple[str, str]:
    verifier = base64.urlsafe_b64encode(b"v" * 40).decode().rstrip("=")
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def test_authlib_completes_a_full_login_and_verifies_the_id_token_against_jwks():
    # given a registered client system and a signed-in CODI user with two roles
    client = oidc_client_create(actor=None, name="PMS", redirect_uris=[REDIRECT_URI])
    user = _user_with_roles()
    session = _session(client.client_id, client.client_secret)
    discovery = session.get(f"{BASE}/o/.well-known/openid-configuration", withhold_token=True).json()
    verifier = "k" * 64

    # when authlib builds the authorization URL (PKCE S256, nonce), the browser authorizes,
    # and authlib exchanges the code
    url, state = session.create_authorization_url(
        discovery["authorization_endpoint"], code_verifier=verifier, nonce="n-0S6_WzA2Mj"
    )
    callback = _authorize(_browser(user), url)
    token = session.fetch_token(
        discovery["token_endpoint"], authorization_response=callback, code_verifier=verifier
    )

    # then the id_token verifies against the published JWKS with authlib's JWT
    assert discovery["issuer"] == f"{BASE}/o"
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert discovery["response_types_supported"] == ["code"]
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]
    jwks = session.get(discovery["jwks_uri"], withhold_token=True).json()
    claims = jwt.decode(
        token["id_token"],
        JsonWebKey.import_key_set(jwks),
        claims_options={
            "iss": {"essential": True, "value": discovery["issuer"]},
            "aud": {"essential": True, "value": client.client_id},
            "nonce": {"essential": True, "value": "n-0S6_WzA2Mj"},
        },
    )
    claims.validate()
    assert claims.header["alg"] == "RS256"
    assert claims["sub"] == str(user.pk)
    assert claims["preferred_username"] == "somchai"
    assert claims["name"] == "สมชาย ใจดี"
    assert claims["org_unit"] == "KK-OFFICE"
    assert claims["roles"] == ["project_officer", "regional_director"]
    assert claims["area_scopes"] == [
        {"role": "project_officer", "level": "province", "code": "40"},
        {"role": "regional_director", "level": "region", "code": "northeast"},
    ]
    # and userinfo answers the access token with the same claims
    info = session.get(discovery["userinfo_endpoint"]).json()
    assert info["sub"] == str(user.pk)
    assert info["email"] == "somchai@codi.example"
    assert info["roles"] == ["project_officer", "regional_director"]
    assert info["position"] == "นักพัฒนาชุมชน"
    assert state in callback


def test_claims_follow_the_granted_scopes():
    # given a client that asks for openid only
    client = oidc_client_create(actor=None, name="Website", redirect_uris=[REDIRECT_URI])
    user = _user_with_roles()
    session = _session(client.client_id, client.client_secret, scope="openid")
    verifier = "q" * 50
    url, _ = session.create_authorization_url(f"{BASE}/o/authorize/", code_verifier=verifier)

    # when it completes the login
    token = session.fetch_token(
        f"{BASE}/o/token/", authorization_response=_authorize(_browser(user), url), code_verifier=verifier
    )

    # then the id_token holds no profile, e-mail or role claims
    payload = json.loads(base64.urlsafe_b64decode(token["id_token"].split(".")[1] + "=="))
    assert payload["sub"] == str(user.pk)
    assert not {"roles", "area_scopes", "email", "name", "preferred_username"} & payload.keys()


def test_a_wrong_redirect_uri_is_refused_without_redirecting():
    # given a registered client
    client = oidc_client_create(actor=None, name="PMS", redirect_uris=[REDIRECT_URI])
    _, challenge = _pkce_pair()
    browser = _browser(UserFactory())

    # when an authorization request names another redirect URI
    query = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": "https://attacker.example/cb",
        "scope": "openid",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    response = browser.get("/o/authorize/?" + urlencode(query))

    # then the user sees a refusal page and is not sent anywhere; no code is issued
    assert response.status_code == 400
    assert "invalid_request" in response.content.decode()
    assert "Mismatching redirect URI" in response.content.decode()
    assert Grant.objects.count() == 0


def _code(browser: Client, client_id: str, challenge: str | None, method: str = "S256") -> str:
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI, "scope": "openid"}
    if challenge is not None:
        query |= {"code_challenge": challenge, "code_challenge_method": method}
    location = _authorize(browser, "/o/authorize/?" + urlencode(query))
    assert location.startswith(REDIRECT_URI), location
    return parse_qs(urlparse(location).query)["code"][0]


def _token(client, code: str, verifier: str | None):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    if verifier is not None:
        data["code_verifier"] = verifier
    basic = base64.b64encode(f"{client.client_id}:{client.client_secret}".encode()).decode()
    return Client().post("/o/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")


def test_a_replayed_authorization_code_is_refused():
    # given a code that was exchanged once
    client = oidc_client_create(actor=None, name="PMS", redirect_uris=[REDIRECT_URI])
    verifier, challenge = _pkce_pair()
    code = _code(_browser(UserFactory()), client.client_id, challenge)
    first = _token(client, code, verifier)
    assert first.status_code == 200

    # when it is presented again
    second = _token(client, code, verifier)

    # then it is refused as an invalid grant
    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"


def test_a_missing_or_wrong_pkce_verifier_is_refused():
    # given a code bound to a PKCE challenge
    client = oidc_client_create(actor=None, name="PMS", redirect_uris=[REDIRECT_URI])
    verifier, challenge = _pkce_pair()
    browser = _browser(UserFactory())

    # when the exchange has no verifier, or another one
    missing = _token(client, _code(browser, client.client_id, challenge), None)
    wrong = _token(client, _code(browser, client.client_id, challenge), "x" * 43)

    # then both are refused
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_request"
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    # and the right verifier still works on a fresh code
    assert _token(client, _code(browser, client.client_id, challenge), verifier).status_code == 200


def test_an_authorization_request_without_pkce_or_with_plain_pkce_is_refused():
    # given a registered client
    client = oidc_client_create(actor=None, name="PMS", redirect_uris=[REDIRECT_URI])
    browser = _browser(UserFactory())
    base = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid",
    }

    # when the request carries no code challenge, or a "plain" one
    no_pkce = browser.get("/o/authorize/?" + urlencode(base))
    plain = browser.get(
        "/o/authorize/?" + urlencode(base | {"code_challenge": "a" * 43, "code_challenge_method": "plain"})
    )

    # then the client is sent back with an error and no code
    for response in (no_pkce, plain):
        assert response.status_code == 302
        query = parse_qs(urlparse(response["Location"]).query)
        assert query["error"] == ["invalid_request"]
        assert "code" not in query
    assert Grant.objects.count() == 0


def test_an_anonymous_authorization_request_goes_to_the_sign_in_page():
    client = oidc_client_create(actor=None, name="PMS", redirect_uris=[REDIRECT_URI])
    _, challenge = _pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }

    response = Client().get("/o/authorize/?" + urlencode(query))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/o/authorize/")


def test_a_client_that_asks_for_consent_shows_the_thai_consent_page():
    client = oidc_client_create(actor=None, name="ระบบบัญชี", redirect_uris=[REDIRECT_URI], skip_consent=False)
    _, challenge = _pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid roles",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }

    response = _browser(UserFactory()).get("/o/authorize/?" + urlencode(query))

    assert response.status_code == 200
    page = response.content.decode()
    assert "ระบบบัญชี" in page
    assert "CODI roles and the areas they cover" in page
    assert 'name="code_challenge"' in page


def test_userinfo_refuses_a_request_without_a_valid_token():
    assert Client().get("/o/userinfo/").status_code == 401
    assert Client().get("/o/userinfo/", HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401


def test_the_command_registers_a_client_and_prints_the_secret_once():
    # when an administrator registers a client
    out = io.StringIO()
    call_command("oidc_client_create", "--name", "EIS", "--redirect-uri", REDIRECT_URI, stdout=out)

    # then it is a confidential RS256 authorization-code client, its secret is stored hashed,
    # and the registration is in the audit trail
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines() if ": " in line)
    application = Application.objects.get(client_id=lines["client_id"])
    assert application.name == "EIS"
    assert application.algorithm == "RS256"
    assert application.authorization_grant_type == "authorization-code"
    assert application.client_type == "confidential"
    assert application.redirect_uris == REDIRECT_URI
    assert application.client_secret != lines["client_secret"]
    assert AuditEntry.objects.filter(
        action="identity.oidc_client.create", object_id=str(application.pk)
    ).exists()


def test_the_command_refuses_a_redirect_uri_that_is_not_absolute_https():
    from django.core.management.base import CommandError

    for uri in ("/relative", "http://pms.codi.example/cb"):
        with pytest.raises(CommandError, match="not an absolute https URI"):
            call_command("oidc_client_create", "--name", "X", "--redirect-uri", uri, stdout=io.StringIO())
    assert Application.objects.count() == 0
