"""Who is told what about a project, sent through the shared notification service after commit.

In-app and e-mail to: the people holding an opened step's role over the project's area
(assignment), the community's portal accounts (return for revision, approval, payment),
and the holders of an overdue step (reminder). LINE is a channel of the notification
service and follows the recipient's preference there.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from codi.areas.selectors import province_region_code
from codi.core.thaidate import english_date, thai_date
from codi.identity.models import RoleAssignment, User
from codi.identity.roles import Role, ScopeLevel
from codi.notifications.services import notification_send
from codi.projects import messages  # noqa: F401  (registers the templates)
from codi.projects.models import Project, ProjectStep
from codi.projects.selectors import holds_step_role
from codi.projects.workflow import STEPS

logger = logging.getLogger(__name__)
CHANNELS = ("in_app", "email")


def project_link(project: Project) -> str:
    return f"/projects/{project.pk}/"


def step_holders(*, role: str, project: Project) -> list[User]:
    """Users who hold ``role`` over the project's area (community steps: the organizations' portal accounts)."""
    if role == Role.COMMUNITY_LEADER:
        return community_users(project)
    code = project.subdistrict_id
    region = province_region_code(province_code=code[:2]) or ""
    covering = (
        Q(scope_level=ScopeLevel.COUNTRY)
        | Q(scope_level=ScopeLevel.REGION, scope_code=region)
        | Q(
            scope_level__in=[ScopeLevel.PROVINCE, ScopeLevel.DISTRICT, ScopeLevel.SUBDISTRICT],
            scope_code__in=[code[:2], code[:4], code],
        )
    )
    candidates = User.objects.filter(
        is_active=True, pk__in=RoleAssignment.objects.filter(covering, role=role).values("user_id")
    ).order_by("pk")
    # The rule of who acts on a step is decided once (``selectors.holds_step_role``, behind
    # ``actions_for``); the query above only narrows the candidates by area.
    return [user for user in candidates if holds_step_role(user, role, project)]


def community_users(project: Project) -> list[User]:
    organizations = {project.lead_organization_id} | set(
        project.partner_links.values_list("organization_id", flat=True)
    )
    return list(
        User.objects.filter(
            is_active=True,
            portal_accounts__organization_id__in=organizations,
            role_assignments__role=Role.COMMUNITY_LEADER,
        ).distinct()
    )


def _send(users: Sequence[User], template_key: str, context: dict[str, Any], link: str) -> int:
    sent = 0
    for user in users:
        for channel in CHANNELS:
            notification_send(
                recipient_user=user, template_key=template_key, context=context, channel=channel, link=link
            )
            sent += 1
    return sent


def _base(project: Project) -> dict[str, Any]:
    return {"code": project.code, "title": project.title}


def _step_context(step: ProjectStep) -> dict[str, Any]:
    step_def = STEPS.get(step.task_key)
    return {
        **_base(step.project),
        "step_th": step_def.name_th if step_def else step.name,
        "step_en": step_def.name_en if step_def else step.name,
        "due": thai_date(step.due_date) if step.due_date else "-",
        "due_en": english_date(step.due_date) if step.due_date else "-",
    }


def deliver(*, step_ids: Sequence[int], events: Sequence[tuple[str, int, dict[str, Any]]]) -> int:
    """Assignment messages for the opened steps, then the events' messages; returns messages sent."""
    sent = 0
    try:
        steps = ProjectStep.objects.filter(pk__in=step_ids, completed_at__isnull=True).select_related(
            "project"
        )
        for step in steps:
            users = step_holders(role=step.role, project=step.project)
            sent += _send(users, "projects.step_assigned", _step_context(step), project_link(step.project))
        for key, project_id, extra in events:
            project = Project.objects.get(pk=project_id)
            context = {**_base(project), **{k: str(v) for k, v in extra.items()}}
            if key == "projects.returned":
                step_def = STEPS.get(str(extra.get("step", "")))
                context["step_th"] = step_def.name_th if step_def else ""
                context["step_en"] = step_def.name_en if step_def else ""
            if key == "projects.approved":
                context["reason"] = project.reduction_reason
            sent += _send(community_users(project), key, context, project_link(project))
    except Exception:  # a message must never undo or break the committed change
        logger.exception("projects notifications failed")
    return sent


def deliver_overdue(*, step_ids: Sequence[int]) -> int:
    sent = 0
    try:
        for step in ProjectStep.objects.filter(pk__in=step_ids).select_related("project"):
            users = step_holders(role=step.role, project=step.project)
            sent += _send(users, "projects.step_overdue", _step_context(step), project_link(step.project))
    except Exception:
        logger.exception("projects overdue reminders failed")
    return sent
