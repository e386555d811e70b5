"""Writes of the website outside Wagtail's own: audit of publishing, CMS roles from identity."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from codi.core.audit import audit_record
from codi.identity.roles import Role
from codi.identity.selectors import user_roles

EDITORS = "Editors"  # Wagtail's own groups (made by its migrations): page add/edit, submit for review
MODERATORS = "Moderators"  # ... and publish, approve in the "Moderators approval" workflow

# Which identity roles edit and which moderate the website. Editors write and submit for review;
# moderators review and publish (and may edit). Everyone else has no CMS access.
EDITOR_ROLES = frozenset({Role.KNOWLEDGE_OFFICER, Role.PROJECT_OFFICER})
MODERATOR_ROLES = frozenset({Role.EXECUTIVE, Role.REGIONAL_DIRECTOR, Role.SYSTEM_ADMIN})


def cms_groups_for(roles: set[str]) -> set[str]:
    groups = set()
    if roles & MODERATOR_ROLES:
        groups.add(MODERATORS)
    if roles & EDITOR_ROLES:
        groups.add(EDITORS)
    return groups


@transaction.atomic
def sync_cms_roles(user: Any) -> set[str]:
    """Put the user in exactly the CMS groups their identity roles give; audit any change."""
    wanted = cms_groups_for(user_roles(user))
    managed = {EDITORS, MODERATORS}
    current = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
    if current == wanted:
        return wanted
    groups = {g.name: g for g in Group.objects.filter(name__in=managed)}
    for name in current - wanted:
        user.groups.remove(groups[name])
    for name in wanted - current:
        if name in groups:
            user.groups.add(groups[name])
    audit_record(
        actor=None,
        action="website.cms_roles_synced",
        object_type="identity.User",
        object_id=user.pk,
        changes={"groups": [sorted(current), sorted(wanted)]},
    )
    return wanted


def record_page_event(*, actor: Any, action: str, page: Any, **extra: Any) -> None:
    """One audit entry for a publishing event of a page (published, unpublished, submitted, ...)."""
    changes = {"title": page.title, "url_path": page.url_path, "type": page.specific_class.__name__, **extra}
    audit_record(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=f"website.page_{action}",
        object_type="website.Page",
        object_id=page.pk,
        changes=changes,
    )
