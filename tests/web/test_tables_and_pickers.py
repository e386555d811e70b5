"""Sortable lists (whitelisted ``?sort=``), and the cascading area picker limited to the user's areas."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from codi.core.tables import Sort, sort_choice
from codi.projects.models import Project
from tests.permissions import signed_in_client
from tests.projects.factories import Cast, new_project, staff

pytestmark = pytest.mark.django_db

COLUMNS = {"title": ["title"], "requested": ["requested_amount"]}


def test_sort_choice_accepts_only_declared_columns() -> None:
    assert sort_choice("title", COLUMNS, "-requested") == Sort("title", False)
    assert sort_choice("-title", COLUMNS, "-requested") == Sort("title", True)
    assert sort_choice("password", COLUMNS, "-requested") == Sort("requested", True)
    assert sort_choice("-lead_organization__contact__phone", COLUMNS, "title") == Sort("title", False)
    assert sort_choice(None, COLUMNS, "title").param == "title"


def _codes_in_order(html: str) -> list[str]:
    body = html.split('<table id="project-list">', 1)[1]
    return re.findall(r'<a href="/projects/(\d+)/">', body)


def test_project_list_sorts_by_a_column_and_back() -> None:
    cast = Cast.create()
    cheap = new_project(cast=cast, title="ข ตลาดชุมชน", requested=Decimal("50000.00"))
    dear = new_project(cast=cast, title="ก บ้านมั่นคง", requested=Decimal("90000.00"))
    client = signed_in_client(cast.officer)

    by_title = client.get("/projects/?sort=title")
    assert _codes_in_order(by_title.content.decode()) == [str(dear.pk), str(cheap.pk)]
    by_amount = client.get("/projects/?sort=-requested")
    assert _codes_in_order(by_amount.content.decode()) == [str(dear.pk), str(cheap.pk)]
    by_amount_up = client.get("/projects/?sort=requested")
    assert _codes_in_order(by_amount_up.content.decode()) == [str(cheap.pk), str(dear.pk)]

    html = by_title.content.decode()
    # The header that orders the table says so, and its link reverses it; the filters are kept.
    assert re.search(
        r'<th scope="col" class="" aria-sort="ascending"><a class="sort" href="\?sort=-title"', html
    )
    filtered = client.get("/projects/?province=40&sort=title&page=1").content.decode()
    assert 'href="?province=40&amp;sort=-title"' in filtered
    # An unknown column is ignored, never an error.
    assert client.get("/projects/?sort=rationale").status_code == 200
    assert Project.objects.count() == 2


def test_area_options_stay_inside_the_users_province() -> None:
    officer = staff("project_officer", "province", "40")
    client = signed_in_client(officer)

    regions = client.get("/area-options/?level=region").json()["options"]
    assert [r["code"] for r in regions] == ["northeast"]
    provinces = client.get("/area-options/?level=province&parent=northeast").json()["options"]
    assert provinces == [{"code": "40", "name": "ขอนแก่น"}]
    districts = client.get("/area-options/?level=district&parent=40").json()["options"]
    assert {"code": "4001", "name": "เมืองขอนแก่น"} in districts
    assert all(d["code"].startswith("40") for d in districts)
    subdistricts = client.get("/area-options/?level=subdistrict&parent=4001").json()["options"]
    assert {"code": "400104", "name": "ท่าพระ"} in subdistricts
    # Another province's districts are not offered, whatever the address asks.
    assert client.get("/area-options/?level=district&parent=10").json()["options"] == []
    assert client.get("/area-options/?level=planet").status_code == 400


def test_area_options_for_a_subdistrict_leader_and_the_country() -> None:
    leader = staff("community_leader", "subdistrict", "400104")
    client = signed_in_client(leader)
    assert client.get("/area-options/?level=subdistrict&parent=4001").json()["options"] == [
        {"code": "400104", "name": "ท่าพระ"}
    ]
    executive = signed_in_client(staff("executive", "country"))
    assert len(executive.get("/area-options/?level=province").json()["options"]) == 77


def test_area_options_refuse_anonymous() -> None:
    response = Client().get("/area-options/?level=province")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_project_filters_offer_names_under_the_chosen_level() -> None:
    officer = staff("project_officer", "province", "40")
    html = signed_in_client(officer).get("/projects/?province=40&district=4001").content.decode()
    assert '<select id="f-d" name="district" data-area-level="district"' in html
    assert '<option value="4001" selected>เมืองขอนแก่น</option>' in html
    assert '<option value="400104">ท่าพระ</option>' in html
    assert 'name="district" value=' not in html  # no code typed by hand any more
    # Provinces outside the officer's area are not in the list.
    assert '<option value="10"' not in html.split('id="f-p"', 1)[1].split("</select>", 1)[0]


def test_ticket_list_headers_sort_and_ignore_unknown_columns() -> None:
    officer = staff("project_officer", "province", "40")
    client = signed_in_client(officer)
    html = client.get("/feedback/?sort=-status").content.decode()
    assert re.search(r'aria-sort="descending"><a class="sort" href="\?sort=status"', html)
    assert client.get("/feedback/?sort=reporter_phone").status_code == 200
