"""Read-only loan figures for the GIS (codi.gis): loans in arrears per area, in the actor's scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Substr

from codi.lending.community import housing_projects, welfare_funds
from codi.lending.models import Instalment, LoanStatus
from codi.lending.selectors import loan_list

CODE_LENGTH = {"province": 2, "district": 4, "subdistrict": 6}


def arrears_by_area(*, actor: Any, level: str, as_of: date) -> dict[str, dict[str, Any]]:
    """Area code → active loans with an instalment unpaid past its due date, and the overdue amount."""
    visible = loan_list(actor=actor).filter(status=LoanStatus.ACTIVE).values("pk")
    unpaid = Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due"))
    rows = (
        Instalment.objects.filter(is_current=True, loan__in=visible, due_date__lt=as_of)
        .filter(unpaid)
        .order_by()
        .annotate(area=Substr("loan__subdistrict_id", 1, CODE_LENGTH[level]))
        .values("area")
        .annotate(
            loans=Count("loan_id", distinct=True),
            overdue=Sum(F("principal_due") - F("principal_paid") + F("interest_due") - F("interest_paid")),
        )
    )
    return {r["area"]: {"loans": r["loans"], "overdue": float(r["overdue"] or Decimal(0))} for r in rows}


# Baan Mankong sites and welfare funds as map points (codi.gis), in the actor's scope: each at its
# organization's coordinates; ``lon``/``lat`` are None where the organization has none.
SITE_FIELDS = ("id", "code", "name_th", "tenure", "households_planned", "subdistrict_id", "organization_id")
FUND_FIELDS = ("id", "name_th", "founded_on", "monthly_contribution", "subdistrict_id", "organization_id")


def _located(rows: Any, fields: tuple[str, ...], count: str) -> list[dict[str, Any]]:
    out = []
    for row in rows.order_by("id").values(
        *fields, count, "organization__longitude", "organization__latitude"
    ):
        lon, lat = row.pop("organization__longitude"), row.pop("organization__latitude")
        row["n"] = row.pop(count)
        out.append(
            row | {"lon": None if lon is None else float(lon), "lat": None if lat is None else float(lat)}
        )
    return out


def housing_sites(*, actor: Any) -> list[dict[str, Any]]:
    """Baan Mankong housing projects the actor may see; ``n`` = households enrolled; by id."""
    return _located(housing_projects(actor=actor), SITE_FIELDS, "n_households")


def welfare_fund_sites(*, actor: Any) -> list[dict[str, Any]]:
    """Community welfare funds the actor may see; ``n`` = members; by id."""
    return _located(welfare_funds(actor=actor), FUND_FIELDS, "n_members")
