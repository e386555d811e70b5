"""Community-project facts for the analytics store (read-only; only the projects app's tables).

``disbursements``: each installment paid to a project (paid once, never edited: the mart grows by
id). ``project_budget``: each program's allocation per CODI region and fiscal year with what is
committed, disbursed and returned (small and mutable: rebuilt when it changes). ``programs``: the
program dimension. See ``codi.core.marts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from codi.core.marts import MartSource, columns_of, fingerprint
from codi.projects.models import ZERO, BudgetLine, Disbursement, Installment, Program, Project

_DISB = (
    ("id", "int", "projects.Disbursement.id", "id"),
    ("paid_on", "date", "projects.Disbursement.paid_at (date in Thailand)", "paid_at"),
    ("project", "str", "projects.Project.code via Installment.project", "installment__project__code"),
    ("installment", "int", "projects.Installment.number via Disbursement.installment", "installment__number"),
    ("program", "str", "projects.Program.code via Project.program", "installment__project__program__code"),
    ("project_fiscal_year", "int", "projects.Project.fiscal_year", "installment__project__fiscal_year"),
    ("subdistrict", "str", "projects.Project.subdistrict", "installment__project__subdistrict_id"),
    ("region", "str", "projects.BudgetLine.region via Disbursement.budget_line", "budget_line__region_id"),
    ("amount", "decimal", "projects.Disbursement.amount", "amount"),
)


def disbursements(after: Any) -> Iterator[tuple[Any, ...]]:
    rows = Disbursement.objects.order_by("id")
    if after is not None:
        rows = rows.filter(id__gt=after)
    for row in rows.values_list(*[f[3] for f in _DISB]).iterator(chunk_size=5000):
        yield (row[0], timezone.localdate(row[1]), *row[2:])


_BUDGET = (
    ("id", "int", "projects.BudgetLine.id", "id"),
    ("fiscal_year", "int", "projects.BudgetLine.fiscal_year", "fiscal_year"),
    ("program", "str", "projects.Program.code via BudgetLine.program", "program__code"),
    ("region", "str", "projects.BudgetLine.region", "region_id"),
    ("allocated", "decimal", "projects.BudgetLine.allocated", "allocated"),
    ("committed", "decimal", "projects.BudgetLine.committed", "committed"),
    ("disbursed", "decimal", "projects.BudgetLine.disbursed", "disbursed"),
    ("returned", "decimal", "projects.BudgetLine.returned", "returned"),
)


def project_budget(after: Any) -> Iterator[tuple[Any, ...]]:
    return BudgetLine.objects.order_by("id").values_list(*[f[3] for f in _BUDGET]).iterator()


def project_budget_fingerprint() -> str:
    return fingerprint(
        BudgetLine.objects, a=Sum("allocated"), c=Sum("committed"), d=Sum("disbursed"), r=Sum("returned")
    )


_PROGRAMS = (
    ("code", "str", "projects.Program.code", "code"),
    ("kind", "str", "projects.Program.kind", "kind"),
    ("name_th", "str", "projects.Program.name_th", "name_th"),
    ("name_en", "str", "projects.Program.name_en", "name_en"),
    ("is_active", "bool", "projects.Program.is_active", "is_active"),
)


def programs(after: Any) -> Iterator[tuple[Any, ...]]:
    return Program.objects.order_by("code").values_list(*[f[3] for f in _PROGRAMS]).iterator()


_PROJECTS = (
    ("id", "int", "projects.Project.id", "id"),
    ("code", "str", "projects.Project.code", "code"),
    ("title", "str", "projects.Project.title", "title"),
    ("fiscal_year", "int", "projects.Project.fiscal_year", "fiscal_year"),
    ("program", "str", "projects.Program.code via Project.program", "program__code"),
    ("status", "str", "projects.Project.status", "status"),
    ("subdistrict", "str", "projects.Project.subdistrict", "subdistrict_id"),
    ("requested", "decimal", "projects.Project.requested_amount", "requested_amount"),
    ("approved", "decimal", "projects.Project.approved_amount (0 while not approved)", "approved_amount"),
    ("disbursed", "decimal", "projects.Installment.amount of the project's disbursed installments", ""),
)


def projects(after: Any) -> Iterator[tuple[Any, ...]]:
    """One row per project with what the executive board reads: approved and disbursed amounts."""
    paid = Sum("installments__amount", filter=Q(installments__status="disbursed"))
    rows = Project.objects.order_by("id").annotate(paid=paid)
    fields = [f[3] for f in _PROJECTS if f[3]]
    for row in rows.values_list(*fields, "paid").iterator(chunk_size=5000):
        *head, approved, paid_total = row
        yield (*head, approved or ZERO, paid_total or ZERO)


def projects_fingerprint() -> str:
    states = sorted(Project.objects.values_list("status").annotate(n=Count("id")))
    paid = Installment.objects.filter(status="disbursed").aggregate(n=Count("id"), s=Sum("amount"))
    return fingerprint(Project.objects, states, paid["n"], paid["s"], a=Sum("approved_amount"))


MARTS = [
    MartSource(
        name="disbursements",
        title_en="Project disbursements",
        app_label="projects",
        selector="codi.projects.marts.disbursements",
        columns=columns_of(_DISB),
        rows=disbursements,
        watermark="id",
        date_column="paid_on",
        measures=("amount",),
    ),
    MartSource(
        name="projects",
        title_en="Community projects",
        app_label="projects",
        selector="codi.projects.marts.projects",
        columns=columns_of(_PROJECTS),
        rows=projects,
        measures=("requested", "approved", "disbursed"),
        fingerprint=projects_fingerprint,
    ),
    MartSource(
        name="project_budget",
        title_en="Program budget per region",
        app_label="projects",
        selector="codi.projects.marts.project_budget",
        columns=columns_of(_BUDGET),
        rows=project_budget,
        measures=("allocated", "committed", "disbursed", "returned"),
        fingerprint=project_budget_fingerprint,
    ),
    MartSource(
        name="programs",
        title_en="Programs",
        app_label="projects",
        selector="codi.projects.marts.programs",
        columns=columns_of(_PROGRAMS),
        rows=programs,
        key="code",
        kind="dimension",
    ),
]
