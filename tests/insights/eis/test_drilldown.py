"""Drill-down from a KPI: country → CODI regions → provinces, each level's rows adding up to the level
above, drawn as an inline SVG chart; a regional executive drills within their region only."""

from __future__ import annotations

import pytest

from codi.insights.eis.registry import Fact
from codi.projects import reporting
from tests.insights.eis.test_board import _year_and_region
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db
URL = "/insights/eis/kpi/budget_disbursement/"


def _summed(children) -> Fact:
    total = Fact()
    for child in children:
        total.add(child.fact)
    return total


def test_country_to_region_to_province(demo_projects, matrix) -> None:
    year, region = _year_and_region()
    client = signed_in_client(matrix.user("executive", "country"))
    country = client.get(f"{URL}?year={year}")
    view = country.context["view"]
    assert view.child_level == "region" and _summed(view.children) == view.line.fact
    body = country.content.decode()
    assert '<svg class="chart"' in body and f"area={region}" in body
    assert view.line.status_label in body
    # The previous fiscal year beside it, from the same source.
    before = reporting.dashboard(actor=country.wsgi_request.user, fiscal_year=year - 1).total
    previous = country.context["previous"]
    if before.approved:
        assert previous.fact == Fact(before.disbursed, before.approved)
    else:
        assert previous.status == "no_data" and previous.reason

    in_region = client.get(f"{URL}?year={year}&area={region}").context["view"]
    assert in_region.child_level == "province" and _summed(in_region.children) == in_region.line.fact
    assert in_region.line.fact == next(c.fact for c in view.children if c.key == region)

    province = in_region.children[0]
    page = client.get(f"{URL}?year={year}&area={province.key}")
    assert page.status_code == 200 and page.context["view"].line.fact == province.fact
    assert [a.code for a in page.context["trail"]] == ["", region, province.key]


def test_regional_executive_drills_within_their_region(demo_projects, matrix) -> None:
    year, region = _year_and_region()
    client = signed_in_client(matrix.user("executive", "region", region))
    page = client.get(f"{URL}?year={year}")
    assert page.status_code == 200 and page.context["view"].child_level == "province"
    codes = [c.key for c in page.context["view"].children]
    assert codes and set(codes) <= page.context["drillable"]
    assert client.get(f"{URL}?year={year}&area=").status_code == 403
    assert client.get("/insights/eis/kpi/no_such_kpi/").status_code == 404
