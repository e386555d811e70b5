"""Reads of community organizations, always limited to the acting user's areas."""

from __future__ import annotations

from django.db.models import QuerySet

from codi.communities.models import Organization
from codi.identity.roles import Perm
from codi.identity.selectors import AnyUser, scoped


def organization_list(
    *,
    actor: AnyUser,
    province_code: str = "",
    subdistrict_code: str = "",
    org_type: str = "",
    status: str = "",
    search: str = "",
) -> QuerySet[Organization]:
    orgs = scoped(Organization.objects.all(), actor, Perm.ORGS_VIEW)
    if subdistrict_code:
        orgs = orgs.filter(subdistrict_id=subdistrict_code)
    elif province_code:
        orgs = orgs.filter(subdistrict__code__startswith=province_code)
    if org_type:
        orgs = orgs.filter(org_type=org_type)
    if status:
        orgs = orgs.filter(status=status)
    if search:
        orgs = orgs.filter(name_th__icontains=search)
    return orgs.order_by("id")


def organization_get(*, actor: AnyUser, org_id: int) -> Organization | None:
    return (
        organization_list(actor=actor)
        .select_related("subdistrict__district__province")
        .filter(pk=org_id)
        .first()
    )


def organization_count(*, actor: AnyUser) -> int:
    return organization_list(actor=actor).count()
