"""Data-quality rules: a small registry, and the rules CODI checks today.

A rule belongs to one dataset (``app_label.Model``, as in the catalog) and one dimension
(completeness, validity, consistency, timeliness). Its function returns how many records
it checked and which failed. The runner (``services.quality_run``) knows nothing about any
rule: it runs whatever is registered. Another module adds a rule with::

    from codi.governance.quality import Dimension, register_rule, condition_rule

    register_rule(condition_rule(key=..., dataset="projects.Project", dimension=Dimension.VALIDITY,
                                 description=..., failing=Q(...)))

A rule whose model or field does not exist (an app being written, a renamed field) is
recorded as an error of that rule in the run; it never stops the other rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from stdnum.th import pin

from codi.governance.models import Dimension

MAX_FAILURES_PER_RULE = 200


@dataclass(frozen=True)
class Failure:
    object_id: str
    message: str
    subdistrict_id: str | None = None


@dataclass
class Outcome:
    checked: int
    failed: int
    failures: list[Failure] = field(default_factory=list)  # at most MAX_FAILURES_PER_RULE


@dataclass(frozen=True)
class Rule:
    key: str
    dataset: str
    dimension: str
    description: str
    check: Callable[[], Outcome]


_RULES: dict[str, Rule] = {}


def register_rule(rule: Rule) -> Rule:
    if rule.dimension not in Dimension.values:
        raise ValueError(f"unknown quality dimension {rule.dimension!r}")
    _RULES[rule.key] = rule
    return rule


def unregister_rule(key: str) -> None:
    _RULES.pop(key, None)


def rules() -> list[Rule]:
    return sorted(_RULES.values(), key=lambda r: (r.dataset, r.key))


# --- building blocks --------------------------------------------------------------------------


def _model(dataset: str) -> type[models.Model]:
    return apps.get_model(dataset)


def _area_field(model: type[models.Model]) -> str | None:
    try:
        f = model._meta.get_field("subdistrict")
    except FieldDoesNotExist:
        return None
    return "subdistrict_id" if f.is_relation else None


def _failures(queryset: models.QuerySet[Any], message: str | Callable[[Any], str]) -> list[Failure]:
    area = _area_field(queryset.model)
    columns = ["pk", area] if area else ["pk"]
    out = []
    for row in queryset.order_by("pk").values(*columns)[:MAX_FAILURES_PER_RULE]:
        text = message(row) if callable(message) else message
        out.append(Failure(str(row["pk"]), text, row.get(area) if area else None))
    return out


def condition_rule(
    *,
    key: str,
    dataset: str,
    dimension: str,
    description: str,
    failing: Callable[[], Q] | Q,
    scope: Callable[[], Q] | Q | None = None,
    message: str = "",
    annotate: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] | None = None,
) -> Rule:
    """A rule expressed as a query: records in ``scope`` (all by default) that match ``failing`` fail."""

    def check() -> Outcome:
        queryset = _model(dataset)._base_manager.all()
        if annotate is not None:
            queryset = annotate(queryset)
        if scope is not None:
            queryset = queryset.filter(scope() if callable(scope) else scope)
        bad = queryset.filter(failing() if callable(failing) else failing)
        failed = bad.count()
        return Outcome(queryset.count(), failed, _failures(bad, message or description) if failed else [])

    return Rule(key, dataset, dimension, description, check)


def completeness_rule(*, key: str, dataset: str, fields: list[str], description: str) -> Rule:
    """Records where any of ``fields`` is empty (NULL or blank text) fail."""

    def failing() -> Q:
        model = _model(dataset)
        condition = Q()
        for name in fields:
            f = model._meta.get_field(name)
            part = Q(**{f"{name}__isnull": True})
            if isinstance(f, models.CharField | models.TextField) and not f.is_relation:
                part |= Q(**{name: ""})
            condition |= part
        return condition

    return condition_rule(
        key=key,
        dataset=dataset,
        dimension=Dimension.COMPLETENESS,
        description=description,
        failing=failing,
        message="missing: " + ", ".join(fields),
    )


def python_rule(
    *,
    key: str,
    dataset: str,
    dimension: str,
    description: str,
    columns: list[str],
    is_valid: Callable[[dict[str, Any]], bool],
    message: str,
    scope: Q | None = None,
) -> Rule:
    """A rule checked in Python row by row (e.g. an encrypted national ID's check digit)."""

    def check() -> Outcome:
        model = _model(dataset)
        area = _area_field(model)
        queryset = model._base_manager.all()
        if scope is not None:
            queryset = queryset.filter(scope)
        outcome = Outcome(0, 0)
        loaded = [*columns, *(["subdistrict"] if area else [])]
        rows: Iterator[Any] = queryset.order_by("pk").only(*loaded).iterator(chunk_size=2000)
        for obj in rows:
            outcome.checked += 1
            values = {c: getattr(obj, c) for c in columns}
            if not is_valid(values):
                outcome.failed += 1
                if len(outcome.failures) < MAX_FAILURES_PER_RULE:
                    outcome.failures.append(
                        Failure(str(obj.pk), message, getattr(obj, area) if area else None)
                    )
        return outcome

    return Rule(key, dataset, dimension, description, check)


# --- the rules CODI checks ---------------------------------------------------------------------


def _valid_national_id(values: dict[str, Any]) -> bool:

    return bool(pin.is_valid(str(values["national_id"] or "")))


def _valid_email(field_name: str) -> Callable[[dict[str, Any]], bool]:
    def check(values: dict[str, Any]) -> bool:
        value = values[field_name] or ""
        if not value:
            return True
        try:
            validate_email(value)
        except ValidationError:
            return False
        return True

    return check


def _disbursed_per_project(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    disbursement = apps.get_model("projects", "Disbursement")
    paid = (
        disbursement._base_manager.filter(installment__project=OuterRef("pk"))
        .order_by()
        .values("installment__project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return queryset.annotate(
        disbursed_total=Coalesce(Subquery(paid), models.Value(0), output_field=models.DecimalField())
    )


def _disbursed_per_budget_line(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    disbursement = apps.get_model("projects", "Disbursement")
    paid = (
        disbursement._base_manager.filter(budget_line=OuterRef("pk"))
        .order_by()
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return queryset.annotate(
        paid_total=Coalesce(Subquery(paid), models.Value(0), output_field=models.DecimalField())
    )


def _open_ticket() -> Q:
    return Q(status__in=["new", "triaged", "assigned", "in_progress"])


def _now_q(build: Callable[[Any], Q]) -> Callable[[], Q]:
    return lambda: build(timezone.now())


DEFAULT_RULES: list[Rule] = [
    # communities
    completeness_rule(
        key="communities.organization.contact",
        dataset="communities.Organization",
        fields=["address"],
        description="Organization has an address",
    ),
    python_rule(
        # The phone is encrypted: it cannot be filtered in SQL, so this one is checked row by row.
        key="communities.organization.reachable",
        dataset="communities.Organization",
        dimension=Dimension.COMPLETENESS,
        description="Organization has a phone, e-mail or LINE ID",
        columns=["phone", "email", "line_id"],
        is_valid=lambda v: bool(v["phone"] or v["email"] or v["line_id"]),
        message="no phone, e-mail or LINE ID",
    ),
    condition_rule(
        key="communities.organization.location_inside",
        dataset="communities.Organization",
        dimension=Dimension.VALIDITY,
        description="Organization's map point lies inside its subdistrict",
        failing=Q(location_flag="outside_subdistrict"),
    ),
    python_rule(
        key="communities.organization.email_valid",
        dataset="communities.Organization",
        dimension=Dimension.VALIDITY,
        description="Organization e-mail address is well formed",
        columns=["email"],
        is_valid=_valid_email("email"),
        message="e-mail address is not valid",
        scope=~Q(email=""),
    ),
    condition_rule(
        key="communities.organization.timely",
        dataset="communities.Organization",
        dimension=Dimension.TIMELINESS,
        description="Active organization's record was updated in the last 2 years",
        scope=Q(status="active"),
        failing=_now_q(lambda now: Q(updated_at__lt=now - timedelta(days=730))),
    ),
    python_rule(
        key="communities.person.national_id_checksum",
        dataset="communities.Person",
        dimension=Dimension.VALIDITY,
        description="National ID has 13 digits and a correct check digit",
        columns=["national_id"],
        is_valid=_valid_national_id,
        message="national ID check digit is wrong",
    ),
    completeness_rule(
        key="communities.person.birth_year",
        dataset="communities.Person",
        fields=["birth_year", "gender"],
        description="Person has a birth year and gender (for beneficiary statistics)",
    ),
    condition_rule(
        key="communities.membership.dates",
        dataset="communities.Membership",
        dimension=Dimension.CONSISTENCY,
        description="Membership does not end before it starts",
        failing=Q(ended_on__lt=F("started_on")),
    ),
    # feedback
    completeness_rule(
        key="feedback.ticket.area",
        dataset="feedback.Ticket",
        fields=["subdistrict"],
        description="Ticket has a subdistrict (otherwise only country-wide staff see it)",
    ),
    python_rule(
        key="feedback.ticket.reporter_email_valid",
        dataset="feedback.Ticket",
        dimension=Dimension.VALIDITY,
        description="Reporter e-mail address is well formed",
        columns=["reporter_email"],
        is_valid=_valid_email("reporter_email"),
        message="reporter e-mail address is not valid",
        scope=~Q(reporter_email=""),
    ),
    condition_rule(
        key="feedback.ticket.resolved_in_time",
        dataset="feedback.Ticket",
        dimension=Dimension.TIMELINESS,
        description="Open ticket is within its resolution deadline",
        scope=_open_ticket,
        failing=_now_q(lambda now: Q(resolve_due_at__lt=now)),
        message="open past its resolution deadline",
    ),
    condition_rule(
        key="feedback.ticket.closed_has_date",
        dataset="feedback.Ticket",
        dimension=Dimension.CONSISTENCY,
        description="Resolved or closed ticket has a resolution time",
        scope=Q(status__in=["resolved", "closed"]),
        failing=Q(resolved_at__isnull=True),
    ),
    # projects
    condition_rule(
        key="projects.project.disbursed_within_approved",
        dataset="projects.Project",
        dimension=Dimension.CONSISTENCY,
        description="Money disbursed to a project is not more than its approved amount",
        annotate=_disbursed_per_project,
        scope=Q(disbursed_total__gt=0),
        failing=Q(approved_amount__isnull=True) | Q(disbursed_total__gt=F("approved_amount")),
        message="disbursed more than approved",
    ),
    condition_rule(
        key="projects.project.dates",
        dataset="projects.Project",
        dimension=Dimension.CONSISTENCY,
        description="Project ends on or after its start date",
        scope=Q(start_date__isnull=False, end_date__isnull=False),
        failing=Q(end_date__lt=F("start_date")),
    ),
    completeness_rule(
        key="projects.project.proposal",
        dataset="projects.Project",
        fields=["objectives", "start_date", "end_date"],
        description="Project has objectives and planned dates",
    ),
    condition_rule(
        key="projects.budgetline.disbursed_total",
        dataset="projects.BudgetLine",
        dimension=Dimension.CONSISTENCY,
        description="Budget line's running disbursed total equals the sum of its disbursements",
        annotate=_disbursed_per_budget_line,
        failing=~Q(disbursed=F("paid_total")),
        message="running total differs from the disbursements",
    ),
    condition_rule(
        key="projects.projectstep.on_time",
        dataset="projects.ProjectStep",
        dimension=Dimension.TIMELINESS,
        description="Open approval step is not past its due date",
        scope=Q(completed_at__isnull=True, due_date__isnull=False),
        failing=lambda: Q(due_date__lt=timezone.localdate()),
        message="step overdue",
    ),
]

for _rule in DEFAULT_RULES:
    register_rule(_rule)
