"""Optional sign-in against LDAP / Active Directory (django-auth-ldap).

Off unless ``CODI_LDAP_URI`` is set; ``codi.settings`` then puts
``CodiLDAPBackend`` before the password backend. The user is found with
``CODI_LDAP_USER_SEARCH_BASE`` + ``CODI_LDAP_USER_FILTER`` (for AD:
``(sAMAccountName=%(user)s)``), groups under ``CODI_LDAP_GROUP_SEARCH_BASE``
(``CODI_LDAP_GROUP_TYPE``: ``groupOfNames``, ``posix`` or ``ad``).

``CODI_LDAP_ROLE_MAP`` maps LDAP groups to CODI roles, entries separated by
``;``, each ``role[@level[:code]]=group DN``, for example::

    project_officer@province:40=cn=kk-officers,ou=groups,dc=codi,dc=or,dc=th;
    system_admin=cn=it-admins,ou=groups,dc=codi,dc=or,dc=th

At every LDAP sign-in the roles named in the map are made to match the
user's groups: granted when the user is in the group, revoked when not.
Roles the map does not name (granted by hand in CODI) are left alone.
Second-factor rules are unchanged: staff roles still need TOTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django_auth_ldap.backend import LDAPBackend
from django_auth_ldap.config import (
    GroupOfNamesType,
    LDAPSearch,
    NestedActiveDirectoryGroupType,
    PosixGroupType,
)

from codi.core.audit import audit_record
from codi.identity.models import RoleAssignment, User
from codi.identity.roles import Role, ScopeLevel


@dataclass(frozen=True)
class RoleMapping:
    group_dn: str
    role: str
    scope_level: str
    scope_code: str


def parse_role_map(raw: str) -> list[RoleMapping]:
    """Read ``CODI_LDAP_ROLE_MAP``; a role or scope CODI does not know is an error, not a silent skip."""
    mappings: list[RoleMapping] = []
    for entry in (part.strip() for part in raw.split(";")):
        if not entry:
            continue
        target, sep, group_dn = entry.partition("=")
        if not sep or not group_dn.strip():
            raise ValueError(f"CODI_LDAP_ROLE_MAP entry needs role=group DN: {entry!r}")
        role, _, scope = target.strip().partition("@")
        level, _, code = scope.partition(":")
        level = level or ScopeLevel.COUNTRY
        if role not in Role.values:
            raise ValueError(f"CODI_LDAP_ROLE_MAP names an unknown role: {role!r}")
        if level not in ScopeLevel.values:
            raise ValueError(f"CODI_LDAP_ROLE_MAP names an unknown scope level: {level!r}")
        if (level == ScopeLevel.COUNTRY) != (code == ""):
            raise ValueError(
                f"CODI_LDAP_ROLE_MAP: scope {level!r} needs an area code only when not country-wide"
            )
        mappings.append(RoleMapping(group_dn.strip().lower(), role, level, code))
    return mappings


def ldap_roles_sync(*, user: User, group_dns: set[str], mappings: list[RoleMapping]) -> dict[str, list[str]]:
    """Make the mapped roles of ``user`` match the LDAP groups they are in; returns what changed."""
    member_of = {dn.lower() for dn in group_dns}
    granted: list[str] = []
    revoked: list[str] = []
    with transaction.atomic():
        for mapping in mappings:
            label = f"{mapping.role}@{mapping.scope_level}:{mapping.scope_code}"
            existing = RoleAssignment.objects.filter(
                user=user, role=mapping.role, scope_level=mapping.scope_level, scope_code=mapping.scope_code
            )
            if mapping.group_dn in member_of:
                if not existing.exists():
                    RoleAssignment.objects.create(
                        user=user,
                        role=mapping.role,
                        scope_level=mapping.scope_level,
                        scope_code=mapping.scope_code,
                    )
                    granted.append(label)
            elif existing.exists():
                # Another mapping may grant the same role and scope through another group.
                also_granted = any(
                    m.group_dn in member_of
                    and (m.role, m.scope_level, m.scope_code)
                    == (mapping.role, mapping.scope_level, mapping.scope_code)
                    for m in mappings
                )
                if not also_granted:
                    existing.delete()
                    revoked.append(label)
        if granted or revoked:
            audit_record(
                actor=None,
                action="identity.ldap.roles_sync",
                object_type="identity.user",
                object_id=user.pk,
                changes={"granted": granted, "revoked": revoked},
            )
    user.__dict__.pop("_codi_grants", None)
    return {"granted": granted, "revoked": revoked}


_GROUP_TYPES = {
    "groupofnames": GroupOfNamesType,
    "posix": PosixGroupType,
    "ad": NestedActiveDirectoryGroupType,
}


class CodiLDAPBackend(LDAPBackend):
    """django-auth-ldap with searches built from CODI's settings and groups mapped to roles."""

    @property
    def default_settings(self) -> dict[str, Any]:
        import ldap  # heavy: python-ldap, loaded only where LDAP is configured

        group_type = _GROUP_TYPES.get(settings.CODI_LDAP_GROUP_TYPE.lower())
        if group_type is None:
            raise ValueError(f"CODI_LDAP_GROUP_TYPE must be one of {sorted(_GROUP_TYPES)}")
        values: dict[str, Any] = {
            "USER_SEARCH": LDAPSearch(
                settings.CODI_LDAP_USER_SEARCH_BASE, ldap.SCOPE_SUBTREE, settings.CODI_LDAP_USER_FILTER
            ),
            "ALWAYS_UPDATE_USER": True,
            "CACHE_TIMEOUT": 0,
        }
        if settings.CODI_LDAP_GROUP_SEARCH_BASE:
            values["GROUP_SEARCH"] = LDAPSearch(settings.CODI_LDAP_GROUP_SEARCH_BASE, ldap.SCOPE_SUBTREE)
            values["GROUP_TYPE"] = group_type()
        return values

    def authenticate_ldap_user(self, ldap_user: Any, password: str) -> User | None:
        user: User | None = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            mappings = parse_role_map(settings.CODI_LDAP_ROLE_MAP)
            if mappings:
                ldap_roles_sync(user=user, group_dns=set(ldap_user.group_dns), mappings=mappings)
        return user


def ldap_authenticate(*, username: str, password: str) -> User | None:
    """Check a username and password against the directory (None when LDAP is off or refuses).

    For ``identity.services.login_check`` to call before the local password
    check when ``settings.LDAP_ENABLED``; a successful bind creates or updates
    the CODI user and syncs the mapped roles.
    """
    if not settings.LDAP_ENABLED or not password:
        return None
    user: User | None = CodiLDAPBackend().authenticate(None, username=username, password=password)
    return user
