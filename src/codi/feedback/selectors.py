"""Reads of the feedback module. Staff reads are area-scoped through ``codi.identity.selectors.scoped``;
the public reads (by secret link) return masked text only."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from codi.areas.models import Subdistrict
from codi.feedback.models import OPEN_STATUSES, Status, Ticket, TicketEvent, Topic
from codi.feedback.nlp.pii import mask_personal_data
from codi.identity.models import RoleAssignment, User
from codi.identity.roles import ROLE_PERMISSIONS, Perm, Role, ScopeLevel
from codi.identity.selectors import scope_filter, user_grants

AREA_CODE_LENGTHS = (2, 4, 6)


def subdistrict_with_province(*, code: str) -> Subdistrict | None:
    return Subdistrict.objects.select_related("district__province").filter(code=code).first()


def subdistrict_for_postal_code(*, postal_code: str) -> Subdistrict | None:
    """The first subdistrict (by code) served by a postal code; the province is what routing needs,
    and a postal code does not cross provinces."""
    if not (postal_code.isdigit() and len(postal_code) == 5):
        return None
    candidates = Subdistrict.objects.select_related("district__province").filter(
        postal_codes__contains=postal_code
    )
    for sub in candidates.order_by("code"):
        if postal_code in sub.postal_codes.replace(" ", "").split(","):
            return sub
    return None


def has_country_scope(user: Any, perm: str) -> bool:
    return any(g.scope_level == ScopeLevel.COUNTRY and perm in g.permissions for g in user_grants(user))


def _scope_rank(assignment: RoleAssignment, subdistrict_code: str, region_code: str | None) -> int | None:
    """How closely an assignment's scope fits a subdistrict: 0 is the subdistrict itself; None: not at all."""
    level, code = assignment.scope_level, assignment.scope_code
    if level == ScopeLevel.SUBDISTRICT and code == subdistrict_code:
        return 0
    if level == ScopeLevel.DISTRICT and subdistrict_code.startswith(code):
        return 1
    if level == ScopeLevel.PROVINCE and subdistrict_code.startswith(code):
        return 2
    if level == ScopeLevel.REGION and region_code is not None and code == region_code:
        return 3
    return None


def _staff_for_area(*, subdistrict_code: str, roles: tuple[str, ...]) -> list[tuple[int, int, User]]:
    sub = subdistrict_with_province(code=subdistrict_code)
    if sub is None:
        return []
    region_code = sub.district.province.region_id
    found = []
    assignments = RoleAssignment.objects.filter(role__in=roles, user__is_active=True).select_related("user")
    for assignment in assignments.exclude(scope_level=ScopeLevel.COUNTRY):
        rank = _scope_rank(assignment, subdistrict_code, region_code)
        if rank is not None and Perm.FEEDBACK_MANAGE in ROLE_PERMISSIONS.get(assignment.role, frozenset()):
            found.append((rank, roles.index(assignment.role), assignment.user))
    return sorted(found, key=lambda item: (item[0], item[1], item[2].pk))


def officer_for_area(*, subdistrict_code: str) -> User | None:
    """The project officer whose scope fits the area most closely (fewest open tickets first among
    equals); the regional director when no officer covers it."""
    staff = _staff_for_area(
        subdistrict_code=subdistrict_code, roles=(Role.PROJECT_OFFICER, Role.REGIONAL_DIRECTOR)
    )
    if not staff:
        return None
    best_rank = (staff[0][0], staff[0][1])
    closest = [user for rank, role, user in staff if (rank, role) == best_rank]
    if len(closest) == 1:
        return closest[0]
    load = Counter(
        Ticket.objects.filter(assigned_to__in=closest, status__in=OPEN_STATUSES).values_list(
            "assigned_to_id", flat=True
        )
    )
    return min(closest, key=lambda user: (load.get(user.pk, 0), user.pk))


def directors_for_area(*, subdistrict_code: str) -> list[User]:
    """Regional directors responsible for the area (escalation goes to them)."""
    seen: dict[int, User] = {}
    for _rank, _role, user in _staff_for_area(
        subdistrict_code=subdistrict_code, roles=(Role.REGIONAL_DIRECTOR,)
    ):
        seen.setdefault(user.pk, user)
    return list(seen.values())


# --- staff reads -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketFilters:
    area: str = ""
    status: str = ""
    topic: str = ""
    sentiment: str = ""
    is_urgent: bool = False
    is_overdue: bool = False
    search: str = ""


def ticket_list(
    *, user: Any, filters: TicketFilters | None = None, now: datetime | None = None
) -> QuerySet[Ticket]:
    """Tickets in the user's areas, filtered. A ticket without a subdistrict is seen by country-wide
    staff, and by region-wide staff of the region it was routed to (province named in the text)."""
    filters = filters or TicketFilters()
    condition = scope_filter(user, Perm.FEEDBACK_VIEW)
    regions = [
        g.scope_code
        for g in user_grants(user)
        if g.scope_level == ScopeLevel.REGION and Perm.FEEDBACK_VIEW in g.permissions
    ]
    if regions:
        routed = Q(subdistrict__isnull=True, region_id__in=regions)
        condition = routed if condition is None else condition | routed
    tickets = Ticket.objects.filter(condition) if condition is not None else Ticket.objects.none()
    if has_country_scope(user, Perm.FEEDBACK_VIEW):
        tickets = Ticket.objects.all()
    if filters.area and filters.area.isdigit() and len(filters.area) in AREA_CODE_LENGTHS:
        tickets = tickets.filter(subdistrict__code__startswith=filters.area)
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.topic:
        tickets = tickets.filter(category=filters.topic)
    if filters.sentiment:
        tickets = tickets.filter(sentiment=filters.sentiment)
    if filters.is_urgent:
        tickets = tickets.filter(is_urgent=True)
    if filters.is_overdue:
        tickets = tickets.filter(status__in=OPEN_STATUSES, resolve_due_at__lt=now or timezone.now())
    if filters.search:
        tickets = tickets.filter(Q(reference__icontains=filters.search) | Q(text__icontains=filters.search))
    return tickets.select_related("subdistrict__district__province", "assigned_to", "region")


def ticket_get(*, user: Any, ticket_id: int) -> Ticket | None:
    return ticket_list(user=user).filter(pk=ticket_id).first()


def ticket_events(*, ticket: Ticket) -> QuerySet[TicketEvent]:
    return ticket.events.select_related("actor")


# --- public reads (secret link) ------------------------------------------------------------------


@dataclass(frozen=True)
class PublicEvent:
    kind: str
    status: str
    note: str
    created_at: datetime


@dataclass(frozen=True)
class PublicTicket:
    """What the reporter sees: never the raw text or any contact detail."""

    reference: str
    status: str
    category: str
    text: str
    area: str
    created_at: datetime
    events: list[PublicEvent]


def public_ticket(*, token: str) -> PublicTicket | None:
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    ticket = (
        Ticket.objects.select_related("subdistrict__district__province").filter(token_hash=digest).first()
    )
    if ticket is None:
        return None
    area = ""
    if ticket.subdistrict is not None:
        area = f"ต.{ticket.subdistrict.name_th} จ.{ticket.subdistrict.district.province.name_th}"
    events = [
        PublicEvent(e.kind, e.to_status, mask_personal_data(e.note), e.created_at)
        for e in ticket.events.filter(is_public=True)
    ]
    return PublicTicket(
        reference=ticket.reference or "",
        status=ticket.status,
        category=ticket.category,
        text=mask_personal_data(ticket.text),
        area=area,
        created_at=ticket.created_at,
        events=events,
    )


# --- analytics ----------------------------------------------------------------------------------

# Reports of people who withdrew consent to analytics (or objected) are left out of statistics;
# the module that records consents (codi.privacy) registers the condition that finds them.
_analytics_exclusions: list[Callable[[], Q | None]] = []


def register_analytics_exclusion(condition: Callable[[], Q | None]) -> None:
    if condition not in _analytics_exclusions:
        _analytics_exclusions.append(condition)


def ticket_stats(*, user: Any, area: str = "") -> dict[str, Any]:
    """Volume by topic, sentiment, province and month; SLA compliance by region; top clusters."""
    tickets = ticket_list(user=user, filters=TicketFilters(area=area))
    for exclusion in _analytics_exclusions:
        if (condition := exclusion()) is not None:
            tickets = tickets.exclude(condition)
    now = timezone.now()
    by_topic = dict(tickets.values_list("category").annotate(n=Count("id")).order_by())
    by_sentiment = dict(tickets.values_list("sentiment").annotate(n=Count("id")).order_by())
    by_status = dict(tickets.values_list("status").annotate(n=Count("id")).order_by())
    by_month = [
        (row["month"], row["n"])
        for row in tickets.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    ]
    by_province = Counter(
        code[:2] for code in tickets.exclude(subdistrict=None).values_list("subdistrict_id", flat=True)
    )
    sla_rows = (
        tickets.exclude(region=None)
        .values("region_id", "region__name_th")
        .annotate(
            total=Count("id"),
            overdue=Count(
                "id",
                filter=Q(status__in=OPEN_STATUSES, resolve_due_at__lt=now)
                | Q(resolved_at__isnull=False, resolved_at__gt=models_f("resolve_due_at")),
            ),
        )
        .order_by("region_id")
    )
    clusters = (
        tickets.exclude(cluster=None)
        .values("cluster_id", "cluster__reference", "cluster__category")
        .annotate(n=Count("id"))
        .order_by("-n")[:10]
    )
    return {
        "total": tickets.count(),
        "by_topic": by_topic,
        "by_sentiment": by_sentiment,
        "by_status": by_status,
        "by_month": by_month,
        "by_province": dict(by_province),
        "sla_by_region": [
            {
                "region": r["region_id"],
                "name": r["region__name_th"],
                "total": r["total"],
                "overdue": r["overdue"],
                "within_sla_pct": round(100 * (r["total"] - r["overdue"]) / r["total"], 1)
                if r["total"]
                else 100.0,
            }
            for r in sla_rows
        ],
        "top_clusters": [
            {
                "ticket_id": c["cluster_id"],
                "reference": c["cluster__reference"],
                "category": c["cluster__category"],
                "duplicates": c["n"],
            }
            for c in clusters
        ],
    }


def models_f(name: str) -> Any:
    return F(name)


def area_counts(*, user: Any, level: str) -> dict[str, float]:
    """Open and recent tickets per area code at ``level`` (map indicator), within the user's scope."""
    length = {"province": 2, "district": 4, "subdistrict": 6}.get(level, 2)
    counts: Counter[str] = Counter()
    for code in ticket_list(user=user).exclude(subdistrict=None).values_list("subdistrict_id", flat=True):
        counts[code[:length]] += 1
    return {code: float(n) for code, n in counts.items()}


def area_summary(*, user: Any, code: str) -> dict[str, Any]:
    tickets = ticket_list(user=user, filters=TicketFilters(area=code))
    return {
        "total": tickets.count(),
        "open": tickets.filter(status__in=OPEN_STATUSES).count(),
        "urgent_open": tickets.filter(status__in=OPEN_STATUSES, is_urgent=True).count(),
        "by_topic": dict(tickets.values_list("category").annotate(n=Count("id")).order_by("-n")[:5]),
        "resolved": tickets.filter(status__in=(Status.RESOLVED, Status.CLOSED)).count(),
    }


POINTS_LIMIT = 5000


def ticket_points(
    *, user: Any, bbox: tuple[float, float, float, float] | None = None
) -> list[dict[str, Any]]:
    """Pinned reports in the user's areas (the newest first, at most ``POINTS_LIMIT``) for the hotspot map."""
    tickets = ticket_list(user=user).filter(latitude__isnull=False, longitude__isnull=False)
    if bbox is not None:
        west, south, east, north = bbox
        tickets = tickets.filter(
            longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north
        )
    rows = tickets.order_by("-created_at").values_list("pk", "reference", "category", "longitude", "latitude")
    return [
        {
            "lon": float(lon or 0),
            "lat": float(lat or 0),
            "label": f"{reference} · {Topic(category).label}",
            "url": reverse("feedback:ticket_detail", args=[pk]),
        }
        for pk, reference, category, lon, lat in rows[:POINTS_LIMIT]
    ]
