"""Reads for security operations; every list is for holders of the security-operations right only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from codi.identity.models import User
from codi.identity.roles import ROLE_PERMISSIONS, Perm
from codi.identity.selectors import scope_province_codes, user_has_perm
from codi.insights.models import Alert, Incident, SiemCursor


def can_operate(user: Any) -> bool:
    """Security operations watch the whole platform, so the right counts only when held country-wide
    (a system administrator scoped to one region is refused)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user_has_perm(user, Perm.SECURITY_OPS)
        and scope_province_codes(user, Perm.SECURITY_OPS) is None
    )


def can_view_insights(user: Any) -> bool:
    """Satisfaction results cover every module and unit, so the right counts only country-wide."""
    return bool(
        user is not None
        and user.is_authenticated
        and user_has_perm(user, Perm.INSIGHTS_VIEW)
        and scope_province_codes(user, Perm.INSIGHTS_VIEW) is None
    )


def operators() -> QuerySet[User]:
    """Active users whose role carries the security-operations right (they receive alerts)."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.SECURITY_OPS in perms]
    return User.objects.filter(is_active=True, role_assignments__role__in=roles).distinct().order_by("id")


def incident_list(*, actor: Any) -> QuerySet[Incident]:
    if not can_operate(actor):
        return Incident.objects.none()
    return Incident.objects.select_related("created_by")


def alert_list(*, actor: Any) -> QuerySet[Alert]:
    if not can_operate(actor):
        return Alert.objects.none()
    return Alert.objects.select_related("incident")


def siem_state() -> SiemCursor | None:
    return SiemCursor.objects.filter(name="default").first()
