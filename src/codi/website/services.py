"""Writes of the website outside Wagtail's own: audit of publishing, CMS roles from identity."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from codi.core.audit import audit_record
from codi.identity.roles import Role
from codi.identity.selectors import user_grants
from codi.search import services as search
from codi.website import rights
from codi.website.indexing import SOURCE

log = logging.getLogger(__name__)

EDITORS = rights.EDITORS  # Wagtail's own groups (made by its migrations): page add/edit, submit for review
MODERATORS = rights.MODERATORS  # ... and publish, approve in the "Moderators approval" workflow

# Which identity roles edit and which moderate the website. Editors write and submit for review;
# moderators review and publish (and may edit). Everyone else has no CMS access.
EDITOR_ROLES = frozenset({Role.KNOWLEDGE_OFFICER, Role.PROJECT_OFFICER})
MODERATOR_ROLES = frozenset({Role.EXECUTIVE, Role.REGIONAL_DIRECTOR, Role.SYSTEM_ADMIN})


@transaction.atomic
def sync_cms_roles(user: Any) -> set[str]:
    """Put the user in exactly the CMS groups their identity roles give; audit any change.

    A country-wide role gives the site-wide group; a role held in a region (or an area within it)
    gives that region's sub-site group only (``rights``).
    """
    wanted = rights.groups_for_grants(
        user_grants(user), editor_roles=EDITOR_ROLES, moderator_roles=MODERATOR_ROLES
    )
    current = {name for name in user.groups.values_list("name", flat=True) if rights.is_managed_group(name)}
    if current == wanted:
        return wanted
    groups = {g.name: g for g in Group.objects.filter(name__in=current | wanted)}
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


def search_index_now(*, page_ids: Sequence[int], remove: bool = False) -> int:
    """(Re)index pages in the shared search service (or remove them); a failure is logged, not raised."""
    ids = [str(pk) for pk in page_ids]
    try:
        if remove:
            return search.index_remove(source=SOURCE, object_ids=ids)
        return search.index_update(source=SOURCE, object_ids=ids)
    except Exception:  # the index is a derived copy: publishing must not fail because of it
        log.exception("website search indexing failed for pages %s", ids)
        return 0


def search_index_after_commit(*, page_ids: Sequence[int], remove: bool = False) -> None:
    """Index published pages once the publishing transaction commits (one page: milliseconds)."""
    ids = list(page_ids)
    transaction.on_commit(lambda: search_index_now(page_ids=ids, remove=remove))
