"""NPL and PAR30 by month and by area (the areas map's indicator and the area page's block),
checked against the instalment rows worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from codi.areas.registry import AreaRef, indicator, panels
from codi.lending import trend
from tests.lending.conftest import active_loan, make_user
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


def test_month_ends():
    assert trend.month_ends(date(2025, 3, 10), 3) == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 10)]
    assert trend.month_ends(date(2025, 1, 31), 2) == [date(2024, 12, 31), date(2025, 1, 31)]


def test_trend_by_month_and_npl_by_area(books, people, product, org):
    active_loan(people, product, org)  # 12,000.00 from 15 Jan 2025, due 15 Feb, 15 Mar, 15 Apr; never paid
    rows = trend.npl_trend(actor=people["officer"], as_of=date(2025, 5, 31), months=5)
    # Oldest unpaid due date 15 Feb: 28 Feb 13 days (current book), 31 Mar 44 days (PAR30),
    # 30 Apr 74 days (PAR30), 31 May 105 days (NPL). One loan: each ratio is 0 or 100 %.
    assert [(r.month_end, r.npl, r.par30) for r in rows] == [
        (date(2025, 1, 31), Decimal("0.00"), Decimal("0.00")),
        (date(2025, 2, 28), Decimal("0.00"), Decimal("0.00")),
        (date(2025, 3, 31), Decimal("0.00"), Decimal("100.00")),
        (date(2025, 4, 30), Decimal("0.00"), Decimal("100.00")),
        (date(2025, 5, 31), Decimal("100.00"), Decimal("100.00")),
    ]
    assert rows[-1].outstanding == Decimal("12000.00") and list(rows[-1].by_region.values()) == [
        Decimal("100.00")
    ]
    assert trend.npl_by_area(actor=people["officer"], level="province", as_of=date(2025, 5, 31)) == {
        "40": 100.0
    }
    assert trend.npl_by_area(actor=people["officer"], level="province", as_of=date(2025, 4, 30)) == {
        "40": 0.0
    }
    assert trend.npl_by_area(actor=people["south_officer"], level="province", as_of=date(2025, 5, 31)) == {}
    chart = trend.trend_chart(rows)
    assert len(chart["ticks"]) == 5 and chart["top_value"] == Decimal("100.00")


def test_map_indicator_area_panel_and_portfolio_page(matrix, books, people, product, org):
    active_loan(people, product, org)
    hr = make_user("hr_officer")
    npl = indicator("lending_npl")
    assert npl is not None and npl.values(hr, "province") == {}
    assert set(npl.values(people["officer"], "province")) == {"40"}
    panel = next(p for p in panels() if p.key == "lending")
    assert panel.context(people["officer"], AreaRef("province", "40"))["lending"]["f"].loans == 1
    assert panel.context(people["officer"], AreaRef("province", "10"))["lending"]["f"].loans == 0
    assert panel.context(hr, AreaRef("province", "40"))["lending"]["visible"] is False
    url = reverse("api:indicator_values", kwargs={"key": "lending_npl"}) + "?level=province"
    assert signed_in_client(people["officer"]).get(url).status_code == 200
    matrix.check(lambda c: c.get("/lending/portfolio/?as_of=2025-05-31"), allowed=people["officer"],
                 wrong_role=hr, out_of_scope=None)  # fmt: skip
    page = signed_in_client(people["officer"]).get("/lending/portfolio/?as_of=2025-05-31").content.decode()
    assert 'id="npl-trend-chart"' in page and 'id="npl-trend"' in page and "indicator=lending_npl" in page
    area = signed_in_client(people["officer"]).get("/areas/40/").content.decode()
    assert 'id="lending-panel"' in area
