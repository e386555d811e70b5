"""Editors and moderators per sub-site: a regional office's staff edit and publish their own section only.

Identity says who is what and where (role + scope). A role held country-wide puts the person in
Wagtail's own *Editors* or *Moderators* group, whose page permissions sit on the root (every page).
A role held in one region (or in a province, district or subdistrict of it) puts them instead in that
region's groups, ``Editors: <region>`` / ``Moderators: <region>``: the same permissions as the
country-wide group, but granted on the region's ``SubsiteHomePage`` only, and the sub-site gets its own
approval workflow whose task the region's moderators (and the country-wide ones) may act on. So an
editor of the north cannot open, add to or submit a page of the south, and a moderator of the north
cannot approve one.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from codi.areas import selectors as areas
from codi.identity.roles import ScopeLevel
from codi.identity.selectors import Grant

EDITORS = "Editors"
MODERATORS = "Moderators"
KINDS = (EDITORS, MODERATORS)
SEPARATOR = ": "


def unit_group_name(kind: str, region: str) -> str:
    return f"{kind}{SEPARATOR}{region}"


def is_managed_group(name: str) -> bool:
    return name in KINDS or any(name.startswith(kind + SEPARATOR) for kind in KINDS)


def region_of_grant(grant: Grant) -> str | None:
    """The CODI region a scoped grant lies in; ``None`` for a country-wide one or an unknown area."""
    if grant.scope_level == ScopeLevel.COUNTRY:
        return None
    if grant.scope_level == ScopeLevel.REGION:
        return grant.scope_code or None
    province = grant.scope_code[:2]
    return areas.province_region_code(province_code=province) if province else None


def _subsite(region: str) -> Page | None:
    # app registry: the page models import this module's callers
    from codi.website.models import SubsiteHomePage

    return SubsiteHomePage.objects.filter(region_code=region).order_by("path").first()


@transaction.atomic
def unit_group(kind: str, region: str) -> Group | None:
    """The region's editors' or moderators' group, made on first use from the country-wide one.

    ``None`` when the region has no sub-site yet: the person then gets no CMS rights from that grant.
    """
    subsite = _subsite(region)
    if subsite is None:
        return None
    name = unit_group_name(kind, region)
    group, created = Group.objects.get_or_create(name=name)
    if not created:
        return group
    model = Group.objects.get(name=kind)
    group.permissions.set(model.permissions.all())
    for row in GroupPagePermission.objects.filter(group=model).select_related("permission"):
        GroupPagePermission.objects.get_or_create(group=group, page=subsite, permission=row.permission)
    for row in GroupCollectionPermission.objects.filter(group=model):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=row.collection, permission=row.permission
        )
    if kind == MODERATORS:
        _subsite_workflow(subsite, group)
    return group


def _subsite_workflow(subsite: Page, regional: Group) -> None:
    """The sub-site's own approval workflow: its moderators and the country-wide ones approve."""
    task = GroupApprovalTask.objects.create(name=f"อนุมัติโดยผู้ตรวจ{subsite.title}"[:255])
    task.groups.set([regional, *Group.objects.filter(name=MODERATORS)])
    workflow = Workflow.objects.create(name=f"ขั้นตอนอนุมัติ {subsite.title}"[:255])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=subsite, defaults={"workflow": workflow})


def groups_for_grants(
    grants: list[Grant], *, editor_roles: frozenset[str], moderator_roles: frozenset[str]
) -> set[str]:
    """The CMS group names the person's grants give (country-wide or per region)."""
    groups: set[str] = set()
    for grant in grants:
        kinds = []
        if grant.role in moderator_roles:
            kinds.append(MODERATORS)
        if grant.role in editor_roles:
            kinds.append(EDITORS)
        for kind in kinds:
            region = region_of_grant(grant)
            if grant.scope_level == ScopeLevel.COUNTRY:
                groups.add(kind)
            elif region and unit_group(kind, region) is not None:
                groups.add(unit_group_name(kind, region))
    return groups
