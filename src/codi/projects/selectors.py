"""Reads of community projects, always limited to what the acting user may see.

Who sees which projects:

- staff: ``Perm.PROJECTS_VIEW`` in the project's main subdistrict (``scoped``);
- community leaders (the ``community_leader`` role and no staff role that views projects):
  only the projects their ``PortalAccount`` organizations lead or take part in — never
  by area, so a leader never sees another organization's project in the same tambon.

A task inbox holds the open steps (``ProjectStep`` with no ``completed_at``) whose role the
user holds over the project's area; a community leader's steps are those of their
organizations' projects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.db.models.lookups import In
from django.utils import timezone

from codi.areas.models import Province
from codi.areas.selectors import region_province_codes
from codi.communities.models import Organization
from codi.core.models import AuditEntry
from codi.identity.roles import Perm, Role, ScopeLevel
from codi.identity.selectors import (
    AnyUser,
    Grant,
    scope_filter,
    scope_province_codes,
    scoped,
    user_can_in_area,
    user_grants,
    user_has_perm,
    user_roles,
)
from codi.projects import workflow
from codi.projects.models import (
    BudgetLine,
    Disbursement,
    FundReturn,
    Installment,
    PortalAccount,
    ProgressReport,
    Project,
    ProjectOrganization,
    ProjectStep,
)
from codi.projects.workflow import STEPS

OPEN_STATUSES = ("submitted", "screening", "committee", "approval", "revision")
ACTIVE_STATUSES = ("approved", "agreement_signed", "in_progress", "final_report")


# --- who sees what -------------------------------------------------------------------------------


def is_portal_user(user: AnyUser) -> bool:
    """A community leader who sees projects through their organizations only (no staff role)."""
    grants = [g for g in user_grants(user) if Perm.PROJECTS_VIEW in g.permissions]
    return bool(grants) and all(g.role == Role.COMMUNITY_LEADER for g in grants)


def portal_organization_ids(user: AnyUser) -> list[int]:
    """The organizations a community-leader account acts for."""
    if not user.is_authenticated:
        return []
    cached: list[int] | None = getattr(user, "_codi_portal_orgs", None)
    if cached is None:
        cached = list(
            PortalAccount.objects.filter(user_id=user.pk)
            .order_by("organization_id")
            .values_list("organization_id", flat=True)
        )
        user.__dict__["_codi_portal_orgs"] = cached
    return cached


def _organization_condition(org_ids: list[int], prefix: str = "") -> Q:
    partner = ProjectOrganization.objects.filter(
        project_id=OuterRef(f"{prefix}pk"), organization_id__in=org_ids
    )
    return Q(**{f"{prefix}lead_organization_id__in": org_ids}) | Q(Exists(partner))


def visible_projects(user: AnyUser) -> QuerySet[Project]:
    """Every project the user may see (no filters, no ordering guarantees)."""
    projects = Project.objects.all()
    if not user_has_perm(user, Perm.PROJECTS_VIEW):
        return projects.none()
    if is_portal_user(user):
        org_ids = portal_organization_ids(user)
        if not org_ids:
            return projects.none()
        return projects.filter(_organization_condition(org_ids))
    return scoped(projects, user, Perm.PROJECTS_VIEW, subdistrict_field="subdistrict")


def can_view_project(user: AnyUser, project: Project) -> bool:
    return visible_projects(user).filter(pk=project.pk).exists()


# --- projects ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilters:
    fiscal_year: int | None = None
    program: int | None = None
    region: str = ""
    province: str = ""
    district: str = ""
    subdistrict: str = ""
    status: str = ""
    organization: int | None = None
    search: str = ""


def area_condition(
    *,
    region: str = "",
    province: str = "",
    district: str = "",
    subdistrict: str = "",
    field: str = "subdistrict",
) -> Q:
    """Rows whose subdistrict lies in a region and/or under a DOPA code (prefix of the code, no joins)."""
    condition = Q()
    if region:
        condition &= Q(In(Substr(F(f"{field}_id"), 1, 2), region_province_codes(region_code=region) or [""]))
    if subdistrict:
        condition &= Q(**{f"{field}_id": subdistrict})
    elif district:
        condition &= Q(**{f"{field}__code__startswith": district})
    elif province:
        condition &= Q(**{f"{field}__code__startswith": province})
    return condition


def project_list(*, actor: AnyUser, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """Projects the actor may see, filtered, newest first."""
    f = filters or ProjectFilters()
    projects = visible_projects(actor)
    if f.fiscal_year:
        projects = projects.filter(fiscal_year=f.fiscal_year)
    if f.program:
        projects = projects.filter(program_id=f.program)
    if f.status:
        projects = projects.filter(status=f.status)
    if f.organization:
        projects = projects.filter(_organization_condition([f.organization]))
    if f.region or f.province or f.district or f.subdistrict:
        projects = projects.filter(
            area_condition(
                region=f.region, province=f.province, district=f.district, subdistrict=f.subdistrict
            )
        )
    text = f.search.strip()
    if text:
        # Organizations are matched first (a few thousand rows), so the project rows need no join.
        orgs = Organization.objects.filter(name_th__icontains=text).values("pk")
        projects = projects.filter(
            Q(title__icontains=text) | Q(code__icontains=text) | Q(lead_organization_id__in=orgs)
        )
    return projects.order_by("-id")


def project_condition(*, actor: AnyUser, filters: ProjectFilters, prefix: str = "") -> Q | None:
    """The staff scope and the dashboard's filters (year, program, region, province) as one condition
    on ``prefix`` + project fields, so aggregates over installments or reports join the project
    instead of testing membership in a list of ids. ``None``: the actor sees no project this way
    (no ``PROJECTS_VIEW``, or a community leader, whose projects are their organizations')."""
    if is_portal_user(actor):
        return None
    condition = scope_filter(actor, Perm.PROJECTS_VIEW, subdistrict_field=f"{prefix}subdistrict")
    if condition is None:
        return None
    if filters.fiscal_year:
        condition &= Q(**{f"{prefix}fiscal_year": filters.fiscal_year})
    if filters.program:
        condition &= Q(**{f"{prefix}program_id": filters.program})
    if filters.region or filters.province:
        condition &= area_condition(
            region=filters.region, province=filters.province, field=f"{prefix}subdistrict"
        )
    return condition


def project_list_for_page(*, actor: AnyUser, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """The list with what a table row shows loaded in the same query."""
    return project_list(actor=actor, filters=filters).select_related(
        "program", "lead_organization", "subdistrict__district__province"
    )


def project_get(*, actor: AnyUser, project_id: int) -> Project | None:
    """One project in the actor's scope, with what its page header shows."""
    return (
        visible_projects(actor)
        .select_related(
            "program", "budget_line", "lead_organization", "contact_person", "subdistrict__district__province"
        )
        .filter(pk=project_id)
        .first()
    )


def project_installments(*, project: Project) -> list[Installment]:
    """The project's installments with their payment (if any), in order."""
    return list(Installment.objects.filter(project=project).select_related("disbursement").order_by("number"))


def project_reports(*, project: Project) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(project=project)
        .select_related("installment", "submitted_by", "reviewed_by")
        .prefetch_related("expenses", "photos", "indicator_values__indicator")
        .order_by("-id")
    )


def project_steps(*, project: Project) -> QuerySet[ProjectStep]:
    return (
        ProjectStep.objects.filter(project=project).select_related("completed_by").order_by("opened_at", "id")
    )


def project_diagram(*, project: Project) -> dict[str, list[str]]:
    """Current and completed BPMN task ids for the viewer: the engine's state, else the step history
    (demo and imported projects have no engine state)."""
    if project.workflow_state:
        state = workflow.diagram_state(project)
        return {"current": list(state["current"]), "completed": list(state["completed"])}
    steps = list(project_steps(project=project))
    completed: list[str] = []
    for step in steps:
        if step.completed_at is not None and step.task_key not in completed:
            completed.append(step.task_key)
    return {"current": [s.task_key for s in steps if s.completed_at is None], "completed": completed}


def project_history(*, actor: AnyUser, project: Project) -> QuerySet[AuditEntry]:
    """The audit entries about the project, newest first (empty when the actor may not see it)."""
    if not can_view_project(actor, project):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(object_type="projects.project", object_id=str(project.pk)).order_by(
        "-id"
    )


def project_disbursed_total(*, project: Project) -> Decimal:
    total = Disbursement.objects.filter(installment__project=project).aggregate(s=Sum("amount"))["s"]
    return total or Decimal("0.00")


# --- tasks ---------------------------------------------------------------------------------------


def _grant_area(grant: Grant, field: str) -> Q:
    if grant.scope_level == ScopeLevel.COUNTRY:
        return Q()
    if grant.scope_level == ScopeLevel.REGION:
        return Q(
            In(Substr(F(f"{field}_id"), 1, 2), region_province_codes(region_code=grant.scope_code) or [""])
        )
    if grant.scope_level == ScopeLevel.SUBDISTRICT:
        return Q(**{f"{field}_id": grant.scope_code})
    return Q(**{f"{field}__code__startswith": grant.scope_code})


def inbox_condition(user: AnyUser) -> Q | None:
    """Open steps the user must act on: their role over the project's area (leaders: their orgs)."""
    condition: Q | None = None
    for grant in user_grants(user):
        if grant.role == Role.COMMUNITY_LEADER:
            org_ids = portal_organization_ids(user)
            if not org_ids:
                continue
            part = Q(role=Role.COMMUNITY_LEADER) & _organization_condition(org_ids, prefix="project__")
        else:
            part = Q(role=grant.role) & _grant_area(grant, "project__subdistrict")
        condition = part if condition is None else condition | part
    return condition


def task_inbox(*, actor: AnyUser) -> QuerySet[ProjectStep]:
    """The actor's open tasks, the most urgent (earliest due) first."""
    condition = inbox_condition(actor)
    if condition is None:
        return ProjectStep.objects.none()
    return (
        ProjectStep.objects.filter(completed_at__isnull=True)
        .filter(condition)
        .select_related("project__program", "project__lead_organization", "project__subdistrict")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


def overdue_steps(*, actor: AnyUser, today: date | None = None) -> QuerySet[ProjectStep]:
    """Open steps past their due date on projects the actor may see, the oldest due first."""
    today = today or timezone.localdate()
    visible = visible_projects(actor)
    return (
        ProjectStep.objects.filter(
            completed_at__isnull=True, due_date__lt=today, project__in=visible.values("pk")
        )
        .select_related("project__program", "project__lead_organization", "project__subdistrict")
        .order_by("due_date", "id")
    )


# --- budget lines --------------------------------------------------------------------------------


def budget_line_list(
    *, actor: AnyUser, fiscal_year: int | None = None, program: int | None = None, region: str = ""
) -> QuerySet[BudgetLine]:
    """Budget lines of the regions where the actor views projects (leaders see none)."""
    lines = BudgetLine.objects.select_related("program", "region")
    if not user_has_perm(actor, Perm.PROJECTS_VIEW) or is_portal_user(actor):
        return lines.none()
    provinces = scope_province_codes(actor, Perm.PROJECTS_VIEW)
    if provinces is not None:
        regions = Province.objects.filter(code__in=provinces).values("region_id")
        lines = lines.filter(region_id__in=regions)
    if fiscal_year:
        lines = lines.filter(fiscal_year=fiscal_year)
    if program:
        lines = lines.filter(program_id=program)
    if region:
        lines = lines.filter(region_id=region)
    return lines.order_by("-fiscal_year", "program__code", "region__sort_order")


@dataclass(frozen=True)
class BalanceTotals:
    allocated: Decimal
    committed: Decimal
    disbursed: Decimal
    returned: Decimal

    @property
    def available(self) -> Decimal:
        return self.allocated - self.committed - self.disbursed + self.returned


def budget_totals(lines: QuerySet[BudgetLine]) -> BalanceTotals:
    zero = Decimal("0.00")
    sums = lines.aggregate(
        allocated=Sum("allocated"),
        committed=Sum("committed"),
        disbursed=Sum("disbursed"),
        returned=Sum("returned"),
    )
    return BalanceTotals(
        allocated=sums["allocated"] or zero,
        committed=sums["committed"] or zero,
        disbursed=sums["disbursed"] or zero,
        returned=sums["returned"] or zero,
    )


def fiscal_years() -> list[int]:
    """Fiscal years that have budget lines or projects, newest first."""
    years = set(BudgetLine.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    years.update(Project.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    return sorted(years, reverse=True)


# --- portal --------------------------------------------------------------------------------------


def portal_due_next(*, actor: AnyUser) -> QuerySet[ProjectStep]:
    """What the leader's organizations must do next (their open steps)."""
    return task_inbox(actor=actor).filter(role=Role.COMMUNITY_LEADER)


def portal_upcoming_installments(*, actor: AnyUser) -> QuerySet[Installment]:
    return (
        Installment.objects.filter(project__in=visible_projects(actor).values("pk"), status="planned")
        .select_related("project")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


def finance_feed() -> dict[str, list[dict[str, object]]]:
    """What codi.finance posts to the ledger (read by its projects_ledger_sync command): every PMS
    budget line, every disbursement and fund return, and the approved amount still to be paid
    for each active approved project. Plain values; no scope (a system job, not a page)."""
    return {
        "budget_lines": [
            dict(row)
            for row in BudgetLine.objects.values(
                "id", "fiscal_year", "allocated", "region_id", "program__code", "program__name_th"
            ).order_by("id")
        ],
        "disbursements": [
            dict(row)
            for row in Disbursement.objects.values(
                "id",
                "amount",
                "paid_at",
                "budget_line_id",
                "reference",
                "installment__project__code",
                province_id=F("installment__project__subdistrict__district__province_id"),
            ).order_by("id")
        ],
        "fund_returns": [
            dict(row)
            for row in FundReturn.objects.values(
                "id",
                "amount",
                "recorded_at",
                "budget_line_id",
                "project__code",
                province_id=F("project__subdistrict__district__province_id"),
            ).order_by("id")
        ],
        "open_projects": [
            dict(row)
            for row in Project.objects.filter(
                status__in=ACTIVE_STATUSES, approved_amount__isnull=False, budget_line__isnull=False
            )
            .annotate(paid=Sum("installments__disbursement__amount"))
            .values("id", "code", "approved_amount", "paid", "budget_line_id")
            .order_by("id")
        ],
    }


# --- who may act on which step -------------------------------------------------------------------

# A staff step's role acts with this permission in the project's area (the services check the same).
STEP_ROLE_PERMISSIONS: dict[str, str] = {
    Role.PROJECT_OFFICER: Perm.PROJECTS_MANAGE,
    Role.REGIONAL_DIRECTOR: Perm.PROJECTS_APPROVE,
    Role.FINANCE_OFFICER: Perm.PROJECTS_DISBURSE,
}


def holds_step_role(user: AnyUser, role: str, project: Project) -> bool:
    """Whether ``user`` acts as ``role`` on ``project``: the role, and its permission over the area
    (community steps: the role and a portal account of the lead organization)."""
    if role not in user_roles(user):
        return False
    if role == Role.COMMUNITY_LEADER:
        return project.lead_organization_id in portal_organization_ids(user)
    perm = STEP_ROLE_PERMISSIONS.get(role)
    return perm is not None and user_can_in_area(user, perm, subdistrict_code=project.subdistrict_id)


def actions_for(user: AnyUser, project: Project) -> list[str]:
    """The open steps of ``project`` that ``user`` may act on now (task keys, sorted).

    The one rule of who acts on which step: the project page shows these forms, the API reports
    them, and notifications go to the users for whom a step is in this list (``step_holders``).
    """
    open_steps = {s.task_key for s in project_steps(project=project) if s.completed_at is None}
    if not open_steps and project.current_step:
        open_steps = {project.current_step}
    return sorted(
        key for key in open_steps if key in STEPS and holds_step_role(user, STEPS[key].role, project)
    )
