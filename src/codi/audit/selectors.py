"""e-Audit reads: the exception queue, auditor and risk-owner inboxes, findings, evidence (the
source record and its audit-trail entries), risk registers and the heat map, key risk indicators.

Internal audit is organization-wide: ``eaudit.view`` reads everything of this app. Without it a
user sees only the findings they must answer or act on and the risks they own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from codi.audit import analytics
from codi.audit.models import (
    AnalyticsRun,
    AuditException,
    ExceptionStatus,
    Finding,
    FindingStatus,
    Risk,
    RuleSetting,
    band,
)
from codi.core.models import AuditEntry
from codi.identity.roles import Perm, ScopeLevel
from codi.identity.selectors import user_grants

AnyUser = Any


def _country_wide(user: AnyUser, perm: str) -> bool:
    return any(perm in g.permissions and g.scope_level == ScopeLevel.COUNTRY for g in user_grants(user))


def can_view(user: AnyUser) -> bool:
    """Audit results are read organization-wide only: a region-scoped grant (a regional director)
    sees the findings it must answer and the risks it owns, not other units' audit work."""
    return _country_wide(user, Perm.EAUDIT_VIEW)


def can_audit(user: AnyUser) -> bool:
    return _country_wide(user, Perm.EAUDIT_AUDIT)


def can_manage_risk(user: AnyUser) -> bool:
    return _country_wide(user, Perm.RISK_MANAGE)


@dataclass(frozen=True)
class RuleRow:
    rule: analytics.Rule
    enabled: bool
    params: dict[str, Decimal]
    open: int
    false_positives: int

    @property
    def param_rows(self) -> list[tuple[str, analytics.Param, Decimal]]:
        return [(key, param, self.params[key]) for key, param in self.rule.params.items()]


def rule_table() -> list[RuleRow]:
    settings = {s.rule: s for s in RuleSetting.objects.all()}
    counts: dict[tuple[str, str], int] = {
        (r["rule"], r["status"]): r["n"]
        for r in AuditException.objects.values("rule", "status").annotate(n=Count("id")).order_by()
    }
    rows = []
    for name, rule in analytics.RULES.items():
        setting = settings.get(name)
        try:
            params = rule.resolve(setting.params if setting else {})
        except analytics.AnalyticsError:
            params = rule.resolve({})
        rows.append(
            RuleRow(
                rule,
                setting.enabled if setting else True,
                params,
                counts.get((name, ExceptionStatus.OPEN), 0),
                counts.get((name, ExceptionStatus.FALSE_POSITIVE), 0),
            )
        )
    return rows


def exception_queue(
    *, actor: AnyUser, status: str = ExceptionStatus.OPEN, rule: str = "", source: str = ""
) -> QuerySet[AuditException]:
    """The queue; ``source`` ("app.Model:pk") narrows it to the exceptions of one source record."""
    if not can_view(actor):
        return AuditException.objects.none()
    rows = AuditException.objects.select_related("finding__engagement", "decided_by")
    if status:
        rows = rows.filter(status=status)
    if rule:
        rows = rows.filter(rule=rule)
    if source:
        source_type, _sep, source_id = source.partition(":")
        rows = rows.filter(source_type=source_type, source_id=source_id)
    return rows


def exception_counts_for_source(*, actor: AnyUser, source_type: str, source_id: str) -> dict[str, int]:
    """Exceptions raised on one source record, by status (empty for a viewer without audit rights)."""
    if not can_view(actor):
        return {}
    rows = AuditException.objects.filter(source_type=source_type, source_id=source_id)
    return dict(rows.values_list("status").annotate(n=Count("id")).order_by())


def exception_get(*, actor: AnyUser, exception_id: int) -> AuditException | None:
    return exception_queue(actor=actor, status="").filter(pk=exception_id).first()


def last_run() -> AnalyticsRun | None:
    return AnalyticsRun.objects.order_by("-started_at").first()


# Where a source record opens (URL name, keyword).
SOURCE_PAGES = {
    "finance.PaymentVoucher": ("finance:voucher_detail", "voucher_id"),
    "procurement.Requisition": ("procurement:requisition_detail", "requisition_id"),
    "projects.Project": ("projects:project_detail", "project_id"),
    "people.Employee": ("people:employee_detail", "employee_id"),
}


@dataclass(frozen=True)
class Evidence:
    exception: AuditException
    group: list[AuditException]
    trail: list[AuditEntry]


def evidence(exception: AuditException) -> Evidence:
    """The flagged record with the rest of its group, and the audit-trail entries of every record."""
    group = [exception]
    if exception.group_id:
        group = list(
            AuditException.objects.filter(rule=exception.rule, group_id=exception.group_id).order_by(
                "record_id"
            )
        )
    keys = {(e.source_type, e.source_id) for e in group if e.source_type and e.source_id}
    condition = Q(pk__in=[])
    for kind, pk in keys:
        condition |= Q(object_type=kind, object_id=pk)
    trail = list(AuditEntry.objects.filter(condition).order_by("created_at", "id")[:200]) if keys else []
    return Evidence(exception, group, trail)


def findings(*, actor: AnyUser, status: str = "") -> QuerySet[Finding]:
    rows = Finding.objects.select_related("engagement", "owner")
    if not can_view(actor):
        rows = rows.filter(Q(owner=actor) | Q(responses__action_owner=actor)).distinct()
    if status:
        rows = rows.filter(status=status)
    return rows


def finding_get(*, actor: AnyUser, finding_id: int) -> Finding | None:
    return findings(actor=actor).filter(pk=finding_id).first()


@dataclass(frozen=True)
class AuditorInbox:
    open_by_rule: list[tuple[str, str, int]]
    to_follow_up: list[Finding]
    overdue: list[Finding]
    awaiting_response: list[Finding]


def auditor_inbox(*, actor: AnyUser) -> AuditorInbox:
    if not can_view(actor):
        return AuditorInbox([], [], [], [])
    counts = dict(
        AuditException.objects.filter(status=ExceptionStatus.OPEN)
        .values_list("rule")
        .annotate(n=Count("id"))
        .order_by()
    )
    open_by_rule = [
        (name, rule.title_th, counts[name]) for name, rule in analytics.RULES.items() if counts.get(name)
    ]
    open_findings = Finding.objects.select_related("engagement", "owner").exclude(status=FindingStatus.CLOSED)
    today = timezone.localdate()
    return AuditorInbox(
        open_by_rule,
        list(open_findings.filter(current_step="follow_up")[:100]),
        list(open_findings.filter(due_date__lt=today)[:100]),
        list(open_findings.filter(current_step="respond")[:100]),
    )


@dataclass(frozen=True)
class OwnerInbox:
    to_respond: list[Finding]
    actions: list[Finding]
    risks: list[Risk]


def owner_inbox(*, actor: AnyUser) -> OwnerInbox:
    open_findings = Finding.objects.select_related("engagement").exclude(status=FindingStatus.CLOSED)
    return OwnerInbox(
        list(open_findings.filter(owner=actor, current_step="respond")),
        list(open_findings.filter(responses__action_owner=actor).distinct()),
        list(Risk.objects.filter(owner=actor).select_related("unit")),
    )


def risks(*, actor: AnyUser, unit_code: str = "") -> QuerySet[Risk]:
    rows = Risk.objects.select_related("unit", "owner")
    if not (can_view(actor) or can_manage_risk(actor)):
        rows = rows.filter(owner=actor)
    if unit_code == "-":
        rows = rows.filter(unit__isnull=True)
    elif unit_code:
        rows = rows.filter(unit__code=unit_code)
    return rows


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    score: int
    band: str
    risks: list[Risk]


def heat_map(rows: list[Risk], *, residual: bool = False) -> list[list[HeatCell]]:
    """Rows from impact 5 (top) to 1, columns likelihood 1 to 5."""
    grid = []
    for impact in range(5, 0, -1):
        line = []
        for likelihood in range(1, 6):
            members = [
                r for r in rows
                if ((r.residual_likelihood, r.residual_impact) if residual else (r.likelihood, r.impact))
                == (likelihood, impact)
            ]  # fmt: skip
            line.append(HeatCell(likelihood, impact, likelihood * impact, band(likelihood * impact), members))
        grid.append(line)
    return grid


# --- key risk indicators read from platform data ----------------------------------------------------


def _open_exceptions() -> Decimal:
    return Decimal(AuditException.objects.filter(status=ExceptionStatus.OPEN).count())


def _overdue_findings() -> Decimal:
    today = timezone.localdate()
    return Decimal(Finding.objects.exclude(status=FindingStatus.CLOSED).filter(due_date__lt=today).count())


def _rule_count(rule: str) -> Callable[[], Decimal]:
    def count() -> Decimal:
        return Decimal(
            AuditException.objects.filter(rule=rule).exclude(status=ExceptionStatus.FALSE_POSITIVE).count()
        )

    return count


KRIS: dict[str, tuple[str, Callable[[], Decimal]]] = {
    "open_exceptions": ("รายการผิดปกติที่รอตรวจ", _open_exceptions),
    "overdue_findings": ("ข้อตรวจพบที่เกินกำหนดแก้ไข", _overdue_findings),
    **{
        f"rule:{name}": (f"จำนวนรายการ: {rule.title_th}", _rule_count(name))
        for name, rule in analytics.RULES.items()
    },
}


@dataclass(frozen=True)
class KriValue:
    name: str
    label: str
    value: Decimal
    limit: Decimal | None

    @property
    def breached(self) -> bool:
        return self.limit is not None and self.value > self.limit


def kri_values(rows: list[Risk]) -> dict[int, KriValue]:
    cache: dict[str, Decimal] = {}
    values = {}
    for risk in rows:
        if risk.kri not in KRIS:
            continue
        label, fn = KRIS[risk.kri]
        if risk.kri not in cache:
            cache[risk.kri] = fn()
        values[risk.pk] = KriValue(risk.kri, label, cache[risk.kri], risk.kri_limit)
    return values
