"""The home page as a workspace: what this person's roles have to do today, read through the apps' selectors.

Each role contributes panels; a person with several roles sees each role's panels once. Lists are
short (the first few by urgency) and link to the full page where the work is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from codi.feedback import selectors as feedback
from codi.feedback.models import Status as TicketStatus
from codi.identity.roles import Perm, Role
from codi.identity.selectors import user_has_perm, user_roles
from codi.privacy import selectors as privacy
from codi.projects import reporting
from codi.projects import selectors as projects
from codi.scoring import selectors as scoring

LIST_LENGTH = 6


@dataclass
class Panel:
    """One box on the home page: a title, a few rows, and the page where the rest is."""

    key: str
    title: str
    rows: list[Any] = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    more_label: str = ""
    kind: str = "list"  # list | steps | tickets | clocks | kpis | installments
    empty: str = ""


def _steps_panel(key: str, title: str, steps: Any, more_url: str, empty: str) -> Panel:
    return Panel(
        key=key,
        title=title,
        rows=list(steps[:LIST_LENGTH]),
        total=steps.count(),
        more_url=more_url,
        more_label=_("All of them"),
        kind="steps",
        empty=empty,
    )


def _tickets_panel(user: Any, title: str, *, status: str = "", overdue: bool = False) -> Panel:
    tickets = feedback.ticket_list(
        user=user, filters=feedback.TicketFilters(status=status, is_overdue=overdue)
    ).order_by("-created_at", "-id")
    query = f"?status={status}" if status else ""
    return Panel(
        key="tickets-overdue" if overdue else "tickets",
        title=title,
        rows=list(tickets[:LIST_LENGTH]),
        total=tickets.count(),
        more_url=reverse("feedback:ticket_list") + query,
        more_label=_("All reports"),
        kind="tickets",
        empty=_("No reports here."),
    )


def leader_panels(user: Any) -> list[Panel]:
    due = projects.portal_due_next(actor=user)
    mine = projects.project_list_for_page(actor=user).filter(
        lead_organization_id__in=projects.portal_organization_ids(user)
    )
    panels = [
        _steps_panel(
            "leader-due",
            _("What my organization must do next"),
            due,
            reverse("projects:portal"),
            _("Nothing is due. New steps appear here when CODI asks your organization for something."),
        ),
        Panel(
            key="leader-projects",
            title=_("My organization's projects"),
            rows=list(mine[:LIST_LENGTH]),
            total=mine.count(),
            more_url=reverse("projects:portal"),
            more_label=_("Open my organization's portal"),
            kind="projects",
            empty=_("Your organization has no project yet."),
        ),
        Panel(
            key="leader-installments",
            title=_("Payments to come"),
            rows=list(projects.portal_upcoming_installments(actor=user)[:LIST_LENGTH]),
            more_url=reverse("projects:portal"),
            more_label=_("Open my organization's portal"),
            kind="installments",
            empty=_("No payment is planned."),
        ),
    ]
    corrections = scoring.portal_open_corrections(user=user)
    panels.append(
        Panel(
            key="leader-scoring",
            title=_("My organization's community-strength score"),
            total=corrections,
            more_url=reverse("scoring:portal"),
            more_label=_("See the score and its parts, answer the survey or ask for a correction"),
            empty=_(
                "The score is advice read from the platform's data; tell CODI when a part of it is wrong."
            ),
        )
    )
    if user_has_perm(user, Perm.FEEDBACK_VIEW):
        panels.append(_tickets_panel(user, _("Reports and complaints in my area")))
    return panels


def officer_panels(user: Any, today: date) -> list[Panel]:
    panels = [
        _steps_panel(
            "officer-tasks",
            _("My tasks, the earliest due first"),
            projects.task_inbox(actor=user),
            reverse("projects:inbox"),
            _("Nothing waits for you."),
        ),
        _steps_panel(
            "officer-overdue",
            _("Overdue in my area"),
            projects.overdue_steps(actor=user, today=today),
            reverse("projects:overdue"),
            _("Nothing is overdue."),
        ),
    ]
    if user_has_perm(user, Perm.FEEDBACK_VIEW):
        panels.append(_tickets_panel(user, _("New reports and complaints"), status=TicketStatus.NEW))
    return panels


def finance_panels(user: Any, today: date) -> list[Panel]:
    return [
        _steps_panel(
            "finance-pay",
            _("Payments to make"),
            projects.task_inbox(actor=user),
            reverse("projects:inbox"),
            _("No payment waits for you."),
        ),
        _steps_panel(
            "finance-overdue",
            _("Overdue steps"),
            projects.overdue_steps(actor=user, today=today),
            reverse("projects:overdue"),
            _("Nothing is overdue."),
        ),
    ]


def executive_panels(user: Any) -> tuple[list[Panel], dict[str, Any]]:
    board = reporting.dashboard(actor=user)
    total = board.total
    kpis = [
        {"label": _("Projects"), "value": total.projects, "kind": "count"},
        {"label": _("Approved budget"), "value": total.approved, "kind": "baht"},
        {"label": _("Disbursed"), "value": total.disbursed, "kind": "baht"},
        {"label": _("Reported spending"), "value": total.reported, "kind": "baht"},
        {"label": _("Overdue steps"), "value": total.overdue, "kind": "count"},
    ]
    chart = {
        "regions": {
            "labels": [r.label for r in board.by_region],
            "approved": [float(r.figures.approved) for r in board.by_region],
            "disbursed": [float(r.figures.disbursed) for r in board.by_region],
            "title": _("Approved and disbursed by region (baht)"),
            "approved_label": _("Approved"),
            "disbursed_label": _("Disbursed"),
        },
        "status": {
            "labels": [label for _key, label, n in board.by_status if n],
            "values": [n for _key, _label, n in board.by_status if n],
            "title": _("Projects by step"),
        },
    }
    panel = Panel(
        key="executive-kpis",
        title=_("Key figures in your scope"),
        rows=kpis,
        more_url=reverse("projects:dashboard"),
        more_label=_("Open the project dashboard"),
        kind="kpis",
    )
    return [panel], chart


def dpo_panels(user: Any) -> list[Panel]:
    board = privacy.dashboard(actor=user)
    clocks = board.get("clocks", [])
    return [
        Panel(
            key="dpo-clocks",
            title=_("Legal clocks: requests and breaches"),
            rows=clocks[:LIST_LENGTH],
            total=len(clocks),
            more_url=reverse("privacy:dashboard"),
            more_label=_("Open the privacy dashboard"),
            kind="clocks",
            empty=_("No clock is running."),
        )
    ]


def auditor_panels(user: Any, today: date) -> list[Panel]:
    panels = [
        _steps_panel(
            "auditor-overdue",
            _("Exceptions: project steps past their due date"),
            projects.overdue_steps(actor=user, today=today),
            reverse("projects:overdue"),
            _("No exception found."),
        )
    ]
    if user_has_perm(user, Perm.FEEDBACK_VIEW):
        panels.append(_tickets_panel(user, _("Exceptions: reports past their deadline"), overdue=True))
    return panels


def workspace(user: Any) -> dict[str, Any]:
    """Panels for each of the person's roles, in the order a working day reads them."""
    today = timezone.localdate()
    roles = user_roles(user)
    panels: list[Panel] = []
    chart: dict[str, Any] | None = None
    seen: set[str] = set()

    def add(new: list[Panel]) -> None:
        for panel in new:
            if panel.key not in seen:
                seen.add(panel.key)
                panels.append(panel)

    if projects.is_portal_user(user):
        add(leader_panels(user))
    if roles & {Role.PROJECT_OFFICER, Role.REGIONAL_DIRECTOR}:
        add(officer_panels(user, today))
    if Role.FINANCE_OFFICER in roles:
        add(finance_panels(user, today))
    if roles & {Role.EXECUTIVE, Role.REGIONAL_DIRECTOR, Role.SYSTEM_ADMIN} and user_has_perm(
        user, Perm.PROJECTS_VIEW
    ):
        new, chart = executive_panels(user)
        add(new)
    if Role.DATA_PROTECTION_OFFICER in roles and privacy.can_manage_privacy(user):
        add(dpo_panels(user))
    if Role.INTERNAL_AUDITOR in roles:
        add(auditor_panels(user, today))
    return {"panels": panels, "chart": chart, "today": today}
