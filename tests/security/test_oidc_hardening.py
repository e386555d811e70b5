"""Issue 12, item 8: single sign-on hardening.

A replayed authorization code revokes the tokens issued from it; a code whose exchange fails
(wrong PKCE verifier) cannot be tried again; userinfo refuses a token in the query string;
discovery offers RS256 only and id_tokens are signed with it.
"""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from codi.core.models import AuditEntry
from codi.identity.oidc import oidc_client_create
from tests.factories import UserFactory
from tests.identity.test_oidc import REDIRECT_URI, _browser, _code, _pkce_pair, _token

pytestmark = pytest.mark.django_db


def _userinfo(access_token: str):  # type: ignore[no-untyped-def]
    return Client().get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {access_token}")


def _refresh(client, refresh_token: str):  # type: ignore[no-untyped-def]
    basic = base64.b64encode(f"{client.client_id}:{client.client_secret}".encode()).decode()
    return Client().post(
        "/o/token/",
        {"grant_type": "refresh_token", "refresh_token": refresh_token},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )


def test_a_replayed_code_revokes_the_tokens_issued_from_it():
    # given a code exchanged once, whose access token works and whose refresh token was rotated once
    client = oidc_client_create(actor=None, name="PMS", redirect_uris=[REDIRECT_URI])
    verifier, challenge = _pkce_pair()
    code = _code(_browser(UserFactory()), client.client_id, challenge)
    first = _token(client, code, verifier).json()
    assert _userinfo(first["access_token"]).status_code == 200
    rotated = _refresh(client, first["refresh_token"]).json()
    assert _userinfo(rotated["access_token"]).status_code == 200

    # when the same code is presented again
    replay = _token(client, code, verifier)

    # then it is refused and every token that came from it stops working
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert _userinfo(first["access_token"]).status_code == 401
    assert _userinfo(rotated["access_token"]).status_code == 401
    assert _refresh(client, rotated["refresh_token"]).status_code == 400
    assert AccessToken.objects.count() == 0
    assert not RefreshToken.objects.filter(revoked__isnull=True).exists()
    assert AuditEntry.objects.filter(action="identity.oidc_code.replayed").count() == 1


def test_a_code_whose_pkce_check_failed_cannot_be_tried_again():
    # given a code bound to a PKCE challenge
    client = oidc_client_create(actor=None, name="PMS", redirect_uris=[REDIRECT_URI])
    verifier, challenge = _pkce_pair()
    code = _code(_browser(UserFactory()), client.client_id, challenge)

    # when it is exchanged with a wrong verifier
    wrong = _token(client, code, "x" * 43)

    # then that try fails and the code is gone: the right verifier no longer helps
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    assert not Grant.objects.exists()
    retry = _token(client, code, verifier)
    assert retry.status_code == 400 and retry.json()["error"] == "invalid_grant"
    assert AccessToken.objects.count() == 0


def test_userinfo_refuses_a_token_in_the_query_string():
    client = oidc_client_create(actor=None, name="PMS", redirect_uris=[REDIRECT_URI])
    verifier, challenge = _pkce_pair()
    tokens = _token(client, _code(_browser(UserFactory()), client.client_id, challenge), verifier).json()

    in_query = Client().get(f"/o/userinfo/?access_token={tokens['access_token']}")

    assert in_query.status_code == 400
    assert in_query.json()["error"] == "invalid_request"
    assert _userinfo(tokens["access_token"]).status_code == 200  # the header still works


def test_discovery_offers_rs256_only_and_id_tokens_use_it():
    discovery = Client().get("/o/.well-known/openid-configuration").json()
    assert discovery["id_token_signing_alg_values_supported"] == ["RS256"]

    client = oidc_client_create(actor=None, name="PMS", redirect_uris=[REDIRECT_URI])
    verifier, challenge = _pkce_pair()
    tokens = _token(client, _code(_browser(UserFactory()), client.client_id, challenge), verifier).json()
    header = json.loads(base64.urlsafe_b64decode(tokens["id_token"].split(".")[0] + "=="))
    assert header["alg"] == "RS256"
