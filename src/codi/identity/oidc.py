"""Single sign-on: CODI as an OpenID Connect provider (django-oauth-toolkit).

Other CODI systems sign their users in through the platform with the
authorization-code flow and PKCE (S256; settings refuse "plain" and flows
without a verifier). The id_token is signed with RS256 by the key from
``codi.config`` and carries, besides the standard claims, the user's roles and
the areas each role covers, so a client system can apply the same area scoping.

Claims by scope:
- ``openid``: ``sub`` (the user's id, as a string)
- ``profile``: ``name``, ``preferred_username``, ``given_name``, ``family_name``,
  ``position``, ``org_unit`` (unit code or null), ``locale``
- ``email``: ``email``, ``email_verified`` (false: the platform does not verify addresses)
- ``roles``: ``roles`` (sorted role codes) and ``area_scopes`` (a list of
  ``{"role", "level", "code"}``; ``code`` is "" for the whole country)
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)
from oauth2_provider.oauth2_validators import OAuth2Validator

from codi.core.audit import audit_record
from codi.identity.models import OidcCodeExchange, RoleAssignment, User

log = logging.getLogger("codi.identity.oidc")
SIGNING_ALGORITHM = "RS256"  # the only one offered: HS256 would sign with a secret the client also holds
EXCHANGES_KEPT = timedelta(days=1)  # codes live a minute; a replay a day later still revokes

ROLE_CLAIMS_SCOPE = "roles"
RELEASED_CLAIMS = (
    "name",
    "preferred_username",
    "given_name",
    "family_name",
    "position",
    "org_unit",
    "locale",
    "email",
    "email_verified",
    "roles",
    "area_scopes",
)


def user_oidc_claims(user: User) -> dict[str, Any]:
    """Every claim the provider can release about ``user`` (before filtering by scope)."""
    assignments = list(
        RoleAssignment.objects.filter(user_id=user.pk)
        .order_by("role", "scope_level", "scope_code")
        .values_list("role", "scope_level", "scope_code")
    )
    org_unit_code = None
    if user.org_unit_id is not None:
        org_unit_code = user.org_unit.code  # type: ignore[union-attr]
    return {
        "name": user.display_name,
        "preferred_username": user.get_username(),
        "given_name": user.first_name,
        "family_name": user.last_name,
        "position": user.position,
        "org_unit": org_unit_code,
        "locale": "th",
        "email": user.email,
        "email_verified": False,
        "roles": sorted({role for role, _, _ in assignments}),
        "area_scopes": [{"role": role, "level": level, "code": code} for role, level, code in assignments],
    }


class CodiOAuth2Validator(OAuth2Validator):
    """Adds CODI's profile, role and area-scope claims to id_tokens and userinfo."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "position": "profile",
        "org_unit": "profile",
        "roles": ROLE_CLAIMS_SCOPE,
        "area_scopes": ROLE_CLAIMS_SCOPE,
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        return user_oidc_claims(request.user)

    def get_discovery_claims(self, request: Any) -> list[str]:
        return ["sub", *RELEASED_CLAIMS]

    def save_bearer_token(self, token: dict[str, Any], request: Any, *args: Any, **kwargs: Any) -> None:
        super().save_bearer_token(token, request, *args, **kwargs)
        if request.grant_type == "authorization_code" and getattr(request, "code", None):
            code_exchange_record(
                client_id=request.client_id, code=request.code, access_token=token["access_token"]
            )

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        valid = bool(super().validate_code(client_id, code, client, request, *args, **kwargs))
        if not valid:
            code_replay_revoke(client_id=client.client_id if client is not None else client_id, code=code)
        return valid


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def code_exchange_record(*, client_id: str, code: str, access_token: str) -> None:
    """Remember which tokens ``code`` was exchanged for (and forget exchanges older than a day)."""
    token = (
        get_access_token_model()
        .objects.filter(token_checksum=hashlib.sha256(access_token.encode()).hexdigest())
        .first()
    )
    refresh = get_refresh_token_model().objects.filter(access_token=token).first() if token else None
    OidcCodeExchange.objects.filter(exchanged_at__lt=timezone.now() - EXCHANGES_KEPT).delete()
    OidcCodeExchange.objects.update_or_create(
        code_sha256=_code_hash(code),
        defaults={
            "client_id": client_id,
            "access_token_id": token.pk if token else None,
            "refresh_token_family": getattr(refresh, "token_family", None),
        },
    )


def code_replay_revoke(*, client_id: str, code: str) -> bool:
    """A code presented after it was exchanged: revoke every token issued from it (RFC 6749 §4.1.2).

    The access token is removed and the refresh token family revoked, so tokens already rotated
    from it stop working too. Returns whether the code had been exchanged before.
    """
    with transaction.atomic():
        exchange = (
            OidcCodeExchange.objects.select_for_update()
            .filter(code_sha256=_code_hash(code))  # whoever presents it: the code has leaked
            .first()
        )
        if exchange is None:
            return False
        access_model, refresh_model = get_access_token_model(), get_refresh_token_model()
        if exchange.refresh_token_family is not None:
            refresh_model.revoke_family(exchange.refresh_token_family)
        if exchange.access_token_id is not None:
            for token in access_model.objects.filter(pk=exchange.access_token_id):
                token.revoke()
        exchange.replayed_at = timezone.now()
        exchange.save(update_fields=["replayed_at"])
        audit_record(
            actor=None,
            action="identity.oidc_code.replayed",
            object_type="identity.oidccodeexchange",
            object_id=exchange.pk,
            changes={
                "issued_to": exchange.client_id,
                "presented_by": client_id,
                "revoked_access_token": exchange.access_token_id,
            },
        )
    log.warning("OIDC authorization code replayed by client %s: its tokens were revoked", client_id)
    return True


def code_burn(*, code: str) -> int:
    """Delete an authorization code whose exchange failed (wrong PKCE verifier, wrong redirect URI...).

    A code gets one try: an attacker holding a stolen code cannot go on guessing the verifier.
    """
    deleted, _ = get_grant_model().objects.filter(code=code).delete()
    return deleted


@dataclass(frozen=True)
class CreatedClient:
    client_id: str
    # Shown once; the database keeps only a hash. Empty for public clients.
    client_secret: str
    name: str
    redirect_uris: list[str]


def oidc_client_create(
    *,
    actor: User | None,
    name: str,
    redirect_uris: list[str],
    confidential: bool = True,
    skip_consent: bool = True,
) -> CreatedClient:
    """Register a client system that signs users in through CODI (authorization code + PKCE, RS256).

    ``skip_consent`` suits CODI's own systems: users are not asked to approve
    each one. Redirect URIs are matched exactly by the provider.
    """
    if not name.strip():
        raise ValueError("a client needs a name")
    if not redirect_uris:
        raise ValueError("a client needs at least one redirect URI")
    for uri in redirect_uris:
        if not uri.startswith("https://") or " " in uri:
            raise ValueError(f"not an absolute https URI: {uri!r}")
    application_model = get_application_model()
    secret = generate_client_secret() if confidential else ""
    with transaction.atomic():
        application = application_model(
            name=name.strip(),
            redirect_uris=" ".join(redirect_uris),
            client_type=(
                application_model.CLIENT_CONFIDENTIAL if confidential else application_model.CLIENT_PUBLIC
            ),
            authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
            algorithm=SIGNING_ALGORITHM,
            skip_authorization=skip_consent,
            client_secret=secret,
            hash_client_secret=True,
        )
        try:
            application.full_clean(exclude=["user"])
        except ValidationError as exc:
            raise ValueError("; ".join(exc.messages)) from exc
        application.save()
        audit_record(
            actor=actor,
            action="identity.oidc_client.create",
            object_type="oauth2_provider.application",
            object_id=application.pk,
            changes={
                "name": application.name,
                "client_id": application.client_id,
                "redirect_uris": redirect_uris,
                "confidential": confidential,
                "skip_consent": skip_consent,
            },
        )
    return CreatedClient(
        client_id=application.client_id,
        client_secret=secret,
        name=application.name,
        redirect_uris=redirect_uris,
    )
