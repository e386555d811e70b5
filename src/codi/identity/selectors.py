"""Reads about users and their grants, and the area-scope filter every module uses.

``scope_filter`` is the one place where "what may this user see" becomes a
query condition; selectors of other apps call it rather than repeat it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Substr
from django.db.models.lookups import In

from codi.areas.selectors import province_region_code, region_province_codes
from codi.identity.models import ApiKey, RoleAssignment, User
from codi.identity.roles import EXTERNAL_ROLES, ROLE_PERMISSIONS, Perm, ScopeLevel

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Grant:
    role: str
    scope_level: str
    scope_code: str
    permissions: frozenset[str]


def user_grants(user: AnyUser) -> list[Grant]:
    """The user's role assignments, loaded once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Grant] | None = getattr(user, "_codi_grants", None)
    if cached is None:
        cached = [
            Grant(a.role, a.scope_level, a.scope_code, ROLE_PERMISSIONS.get(a.role, frozenset()))
            for a in RoleAssignment.objects.filter(user_id=user.pk)
        ]
        user.__dict__["_codi_grants"] = cached
    return cached


def user_roles(user: AnyUser) -> set[str]:
    return {g.role for g in user_grants(user)}


def user_has_perm(user: AnyUser, perm: str) -> bool:
    """True when any of the user's grants carries ``perm`` (anywhere)."""
    return any(perm in g.permissions for g in user_grants(user))


def user_needs_mfa(user: AnyUser) -> bool:
    """Staff roles must use a second factor; community leaders and partner systems need not."""
    grants = user_grants(user)
    return user.is_authenticated and (user.is_superuser or any(g.role not in EXTERNAL_ROLES for g in grants))


def scope_filter(user: AnyUser, perm: str, *, subdistrict_field: str = "subdistrict") -> Q | None:
    """A condition on ``subdistrict_field`` that admits only areas where the user holds ``perm``.

    Returns ``None`` when the user holds it nowhere (callers return an empty
    queryset), and an empty ``Q()`` for a country-wide grant.
    """
    condition: Q | None = None
    for grant in user_grants(user):
        if perm not in grant.permissions:
            continue
        if grant.scope_level == ScopeLevel.COUNTRY:
            return Q()
        if grant.scope_level == ScopeLevel.REGION:
            # The subdistrict code's first two digits are its province: no join through
            # district and province, which made every region-scoped page scan and sort.
            provinces = region_province_codes(region_code=grant.scope_code)
            part = Q(In(Substr(F(f"{subdistrict_field}_id"), 1, 2), provinces))
        elif grant.scope_level == ScopeLevel.SUBDISTRICT:
            part = Q(**{f"{subdistrict_field}_id": grant.scope_code})
        else:  # province or district: the DOPA code is a prefix of the subdistrict's
            part = Q(**{f"{subdistrict_field}__code__startswith": grant.scope_code})
        condition = part if condition is None else condition | part
    return condition


def scoped(
    queryset: QuerySet, user: AnyUser, perm: str, *, subdistrict_field: str = "subdistrict"
) -> QuerySet:
    condition = scope_filter(user, perm, subdistrict_field=subdistrict_field)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def user_can_in_area(user: AnyUser, perm: str, *, subdistrict_code: str) -> bool:
    """Whether the user holds ``perm`` over one subdistrict."""
    for grant in user_grants(user):
        if perm not in grant.permissions:
            continue
        level, code = grant.scope_level, grant.scope_code
        if level == ScopeLevel.COUNTRY:
            return True
        if level == ScopeLevel.REGION:
            if province_region_code(province_code=subdistrict_code[:2]) == code:
                return True
        elif subdistrict_code.startswith(code):
            return True
    return False


def scope_province_codes(user: AnyUser, perm: str) -> list[str] | None:
    """Province codes the user may act in for ``perm``; ``None`` means all."""
    codes: set[str] = set()
    for grant in user_grants(user):
        if perm not in grant.permissions:
            continue
        if grant.scope_level == ScopeLevel.COUNTRY:
            return None
        if grant.scope_level == ScopeLevel.REGION:
            codes.update(region_province_codes(region_code=grant.scope_code))
        else:
            codes.add(grant.scope_code[:2])
    return sorted(codes)


def user_list(*, actor: AnyUser, search: str = "") -> QuerySet[User]:
    if not user_has_perm(actor, Perm.USERS_MANAGE):
        return User.objects.none()
    users = User.objects.select_related("org_unit").prefetch_related("role_assignments").order_by("username")
    if search:
        users = users.filter(
            Q(username__icontains=search) | Q(name_th__icontains=search) | Q(name_en__icontains=search)
        )
    return users


def api_key_list(*, actor: AnyUser) -> QuerySet[ApiKey]:
    if user_has_perm(actor, Perm.USERS_MANAGE):
        return ApiKey.objects.select_related("user")
    if not actor.is_authenticated:
        return ApiKey.objects.none()
    return ApiKey.objects.filter(user_id=actor.pk)


def user_can_manage_areas(user: AnyUser) -> bool:
    """System administrators with a country-wide grant edit CODI regions (reference data for everyone)."""
    return user_has_perm(user, Perm.AREAS_MANAGE) and scope_province_codes(user, Perm.AREAS_MANAGE) is None
