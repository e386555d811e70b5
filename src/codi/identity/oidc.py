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

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from oauth2_provider.models import get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator

from codi.core.audit import audit_record
from codi.identity.models import RoleAssignment, User

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
    from oauth2_provider.generators import generate_client_secret

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
            algorithm=application_model.RS256_ALGORITHM,
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
