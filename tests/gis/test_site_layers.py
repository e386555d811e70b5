"""Baan Mankong sites, welfare funds and training reach: the map layers and OGC collections, scoped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from codi.identity.models import OrgUnit
from codi.lending.models_community import HousingProject, WelfareFund
from codi.people.models import Attendance, Course
from tests.factories import OrganizationFactory
from tests.gis.conftest import BKK, KK, make_user
from tests.people.conftest import hire
from tests.permissions import signed_in_client

OGC = "/gis/ogc/collections"


@pytest.fixture
def sites(world):
    # The Khon Kaen organization has coordinates; this Bangkok one has none (placed at its subdistrict).
    bkk_org = OrganizationFactory(subdistrict_id="100101", latitude=None, longitude=None)
    kk_site = HousingProject.objects.create(
        code="BM-KK", name_th="บ้านมั่นคงขอนแก่น", organization=world["kk_org"], subdistrict_id="400101",
        tenure="coop", households_planned=40,
    )  # fmt: skip
    bkk_site = HousingProject.objects.create(
        code="BM-BKK", name_th="บ้านมั่นคงริมคลอง", organization=bkk_org, subdistrict_id="100101",
        tenure="lease", households_planned=25,
    )  # fmt: skip
    kk_fund = WelfareFund.objects.create(
        organization=world["kk_org"], subdistrict_id="400101", name_th="กองทุนสวัสดิการในเมือง",
        founded_on=date(2015, 5, 1), monthly_contribution=Decimal("30.00"),
    )  # fmt: skip
    return {
        "kk_site": kk_site,
        "bkk_site": bkk_site,
        "kk_fund": kk_fund,
        "kk_finance": make_user("finance_officer", "province", "40"),
        "national_finance": make_user("finance_officer"),
    }


def ids(client, key: str, **params) -> dict:
    response = client.get(f"{OGC}/{key}/items", params)
    assert response.status_code == 200, response.content
    return {f["id"]: f for f in response.json()["features"]}


def test_housing_sites_and_welfare_funds_are_scoped(sites, world):
    national = signed_in_client(sites["national_finance"])
    both = ids(national, "housing-sites")
    assert set(both) == {sites["kk_site"].pk, sites["bkk_site"].pk}
    kk = both[sites["kk_site"].pk]
    assert kk["geometry"]["coordinates"] == pytest.approx(list(KK), abs=1e-5)
    assert kk["properties"]["located"] is True and kk["properties"]["households_planned"] == 40
    bkk = both[sites["bkk_site"].pk]
    assert bkk["properties"]["located"] is False  # the subdistrict's inner point
    assert bkk["geometry"]["coordinates"] == pytest.approx(list(BKK), abs=1e-5)

    province = signed_in_client(sites["kk_finance"])
    assert set(ids(province, "housing-sites")) == {sites["kk_site"].pk}
    funds = ids(province, "welfare-funds")
    assert set(funds) == {sites["kk_fund"].pk}
    assert funds[sites["kk_fund"].pk]["properties"]["members"] == 0
    # bbox and area filter
    assert set(ids(national, "housing-sites", bbox="100.3,13.5,100.7,14.0")) == {sites["bkk_site"].pk}
    assert set(ids(national, "housing-sites", area="40")) == {sites["kk_site"].pk}
    assert province.get(f"{OGC}/housing-sites/items/{sites['bkk_site'].pk}").status_code == 404


def test_out_of_scope_users_are_refused_the_new_layers(sites, world):
    hr = signed_in_client(world["hr"])  # HR: no lending right
    for key in ("housing-sites", "welfare-funds"):
        assert hr.get(f"{OGC}/{key}/items").status_code == 404
        assert hr.get(f"/gis/layers/{key}.geojson").status_code == 404
    finance = signed_in_client(sites["national_finance"])  # no people right
    assert finance.get(f"{OGC}/training-reach/items").status_code == 404
    listed = {c["id"] for c in finance.get(OGC).json()["collections"]}
    assert {"housing-sites", "welfare-funds"} <= listed and "training-reach" not in listed
    anon = Client(HTTP_HOST="127.0.0.1")
    for key in ("housing-sites", "welfare-funds", "training-reach"):
        assert anon.get(f"{OGC}/{key}/items").status_code == 404


def test_training_reach_counts_staff_by_the_provinces_they_work_in(world):
    hq = OrgUnit.objects.create(code="HQ-T", name_th="สำนักงานใหญ่")
    east = OrgUnit.objects.create(code="R-E-T", name_th="สำนักงานภาคตะวันออกเฉียงเหนือ", parent=hq)
    kk_staff = hire(east, user=make_user("project_officer", "province", "40"))
    region_staff = hire(east, user=make_user("project_officer", "region", "northeast"))
    head_office = hire(hq, user=make_user("project_officer"))  # country-wide: not placed
    course = Course.objects.create(
        title="ทักษะดิจิทัล", competency="digital_literacy", audience="staff", start_date=date(2025, 11, 3)
    )
    old = Course.objects.create(
        title="ธรรมาภิบาลข้อมูล", competency="data_governance", audience="staff", start_date=date(2024, 11, 3)
    )
    for employee in (kk_staff, region_staff, head_office):
        Attendance.objects.create(course=course, employee=employee, applies_at_work=employee is kk_staff)
    Attendance.objects.create(course=old, employee=kk_staff)

    hr = signed_in_client(world["hr"])
    everything = ids(hr, "training-reach")
    assert everything["40"]["properties"]["staff_trained"] == 2  # the Khon Kaen and the regional staff
    assert everything["40"]["properties"]["completions"] == 3
    assert everything["40"]["properties"]["applies_at_work"] == 1
    assert "10" not in everything  # head office is not placed in Bangkok
    this_year = ids(hr, "training-reach", fiscal_year="2569")
    assert this_year["40"]["properties"]["completions"] == 2
    assert set(this_year) == set(everything)  # every province of the northeast region

    # An HR officer of another unit sees only their unit's staff: none of these.
    other = OrgUnit.objects.create(code="R-S-T", name_th="สำนักงานภาคใต้", parent=hq)
    south_hr = make_user("hr_officer", "region", "south")
    south_hr.org_unit = other
    south_hr.save()
    assert ids(signed_in_client(south_hr), "training-reach") == {}
    bad = hr.get(f"{OGC}/training-reach/items", {"fiscal_year": "69"})
    assert bad.status_code == 400 and bad.json()["code"] == "InvalidParameterValue"
