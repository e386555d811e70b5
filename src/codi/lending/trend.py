"""The portfolio over time and on the map: NPL and PAR30 at each month's end (in total and by
region), and NPL by area for the areas' choropleth map and area pages (``codi.areas.registry``).

Every figure is ``selectors.portfolio`` of the loans in the actor's scope as of the date: the same
rule as the portfolio page (NPL = outstanding principal of loans more than 90 days overdue / total
outstanding). A month's figure counts the loans active today as of that month's end; loans closed
or written off since are not in it (the book keeps no daily history of status)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from codi.lending import selectors
from codi.lending.models import ZERO

CODE_LENGTH = {"province": 2, "district": 4, "subdistrict": 6}


@dataclass(frozen=True)
class MonthFigures:
    month_end: date
    npl: Decimal
    par30: Decimal
    outstanding: Decimal
    by_region: dict[str, Decimal]  # region → NPL %


def month_ends(as_of: date, months: int) -> list[date]:
    """The last ``months`` month ends up to ``as_of`` (as_of itself when it is in the month)."""
    result: list[date] = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        end = date(year, month, calendar.monthrange(year, month)[1])
        result.append(min(end, as_of))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return result[::-1]


def npl_trend(*, actor: Any, as_of: date, months: int = 12) -> list[MonthFigures]:
    rows = []
    for day in month_ends(as_of, months):
        p = selectors.portfolio(actor=actor, as_of=day)
        rows.append(
            MonthFigures(
                month_end=day,
                npl=p.total.npl_ratio,
                par30=p.total.par30_ratio,
                outstanding=p.total.outstanding,
                by_region={k: v.npl_ratio for k, v in p.by_region.items()},
            )
        )
    return rows


def npl_by_area(*, actor: Any, level: str, as_of: date) -> dict[str, float]:
    """Area code (province 2, district 4, subdistrict 6 digits) → NPL % of the loans there."""
    length = CODE_LENGTH[level]
    outstanding: dict[str, Decimal] = {}
    npl: dict[str, Decimal] = {}
    codes = dict(
        selectors.loan_list(actor=actor).values_list("pk", "subdistrict_id")
    )  # loan → subdistrict code
    for row in selectors.loan_arrears(actor=actor, as_of=as_of):
        code = codes[row.loan_id][:length]
        outstanding[code] = outstanding.get(code, ZERO) + row.outstanding
        if row.days_overdue > 90:
            npl[code] = npl.get(code, ZERO) + row.outstanding
    return {code: float(selectors._ratio(npl.get(code, ZERO), total)) for code, total in outstanding.items()}


def trend_chart(rows: list[MonthFigures], width: int = 640, height: int = 220) -> dict[str, Any]:
    """Two polylines (NPL and PAR30, percent) over the months, scaled to the highest value."""
    left, bottom, top = 40, 30, 10
    top_value = max([Decimal(5), *(r.par30 for r in rows), *(r.npl for r in rows)])
    step = (width - left - 10) / max(1, len(rows) - 1)

    def y(value: Decimal) -> int:
        return int(top + (height - top - bottom) * (1 - float(value / top_value)))

    points = [(int(left + i * step), r) for i, r in enumerate(rows)]
    return {
        "width": width, "height": height, "left": left, "base": height - bottom, "top": top,
        "top_value": top_value.quantize(Decimal("0.01")),
        "npl": " ".join(f"{x},{y(r.npl)}" for x, r in points),
        "par": " ".join(f"{x},{y(r.par30)}" for x, r in points),
        "ticks": [{"x": x, "label": f"{r.month_end.month:02d}/{(r.month_end.year + 543) % 100:02d}",
                   "npl": r.npl, "par": r.par30, "y": y(r.npl)} for x, r in points],
    }  # fmt: skip
