"""Where a report is (map pin, place names in the text), pins on the hotspot map, Excel export,
and the link from a report to the community project it is about."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from codi.communities.models import Organization
from codi.feedback import selectors, services
from codi.feedback.models import AreaSource, IntakeChannel, Ticket
from codi.projects.models import Program, Project
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

KHON_KAEN_CITY = {"latitude": "16.432200", "longitude": "102.833600"}


def _submit(**kwargs) -> Ticket:
    values = {"text": "ถนนเป็นหลุมใหญ่ อันตรายมาก", "channel": IntakeChannel.LINE}
    values.update(kwargs)
    return services.ticket_submit(**values).ticket


def test_a_map_pin_finds_the_subdistrict_and_routes_the_report(officer):
    ticket = _submit(**KHON_KAEN_CITY)

    assert ticket.subdistrict_id is not None and ticket.subdistrict_id.startswith("4001")
    assert ticket.area_source == AreaSource.MAP
    assert ticket.latitude == Decimal("16.432200")
    assert ticket.assigned_to == officer


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [("35.68", "139.69", "outside Thailand"), ("abc", "100", "Invalid coordinates")],
)
def test_a_pin_outside_thailand_or_malformed_is_refused(latitude, longitude, message):
    with pytest.raises(ValidationError) as error:
        _submit(latitude=latitude, longitude=longitude)
    assert message in str(error.value)
    assert not Ticket.objects.exists()


def test_place_names_in_a_line_message_route_it(officer):
    ticket = _submit(text="น้ำท่วมบ้านเรือนที่ ต.ท่าพระ อ.เมือง จ.ขอนแก่น ช่วยด้วยครับ")

    assert ticket.subdistrict_id == "400104"
    assert ticket.area_source == AreaSource.TEXT
    assert ticket.assigned_to == officer


def test_a_province_alone_sends_the_report_to_its_regional_office(matrix, director):
    ticket = _submit(text="ไฟฟ้าดับทั้งหมู่บ้านมาสองวันแล้ว จ.ขอนแก่น")
    other_director = matrix.user("regional_director", "region", "north")

    assert ticket.subdistrict_id is None and ticket.region_id == "northeast"
    assert ticket.area_source == AreaSource.TEXT
    assert ticket in selectors.ticket_list(user=director)
    assert ticket not in selectors.ticket_list(user=other_director)


def test_hotspot_pins_are_scoped(matrix, officer):
    pinned = _submit(**KHON_KAEN_CITY)
    _submit(text="ไม่มีพิกัด", subdistrict_code="400104")
    bangkok_officer = matrix.user("project_officer", "province", "10")

    points = selectors.ticket_points(user=officer)
    inside = selectors.ticket_points(user=officer, bbox=(102.0, 16.0, 103.5, 17.0))
    outside = selectors.ticket_points(user=officer, bbox=(100.0, 13.0, 101.0, 14.0))

    assert [p["url"] for p in points] == [reverse("feedback:ticket_detail", args=[pinned.pk])]
    assert len(inside) == 1 and outside == []
    assert selectors.ticket_points(user=bangkok_officer) == []


def test_public_form_accepts_a_map_pin_instead_of_a_code(officer):
    response = Client().post(
        reverse("feedback:report"),
        {
            "text": "ท่อระบายน้ำอุดตัน",
            "subdistrict_code": "",
            "postal_code": "",
            "consent": "on",
            "website": "",
            **KHON_KAEN_CITY,
        },
    )
    assert response.status_code == 200
    assert Ticket.objects.get().area_source == AreaSource.MAP


def test_report_form_boundaries_are_public_and_limited():
    client = Client()
    provinces = client.get(reverse("feedback:boundaries", args=["province"]))
    assert provinces.status_code == 200 and provinces.json()["type"] == "FeatureCollection"
    subdistricts = client.get(reverse("feedback:boundaries", args=["subdistrict"]) + "?province=40")
    assert subdistricts.status_code == 200
    assert all(f["properties"]["code"].startswith("40") for f in subdistricts.json()["features"])
    assert client.get(reverse("feedback:boundaries", args=["subdistrict"])).status_code == 404
    assert client.get(reverse("feedback:boundaries", args=["district"])).status_code == 404


def test_excel_export_matches_the_scope(matrix, officer):
    _submit(text="ปัญหาที่ขอนแก่น", subdistrict_code="400104")
    _submit(text="ปัญหาที่กรุงเทพ", subdistrict_code="100101")
    url = reverse("feedback:ticket_export_xlsx")
    matrix.check(
        lambda client: client.get(url),
        allowed=officer,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=None,
    )

    response = signed_in_client(officer).get(url)

    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert len(rows) == 2  # header + the Khon Kaen report only
    assert "ขอนแก่น" in rows[1][-1]


def _project(code: str, subdistrict: str) -> Project:
    program = Program.objects.get_or_create(code="TEST", defaults={"kind": "welfare", "name_th": "ทดสอบ"})[0]
    organization = Organization.objects.create(name_th=f"องค์กร {code}", subdistrict_id=subdistrict)
    return Project.objects.create(
        code=code,
        program=program,
        fiscal_year=2569,
        subdistrict_id=subdistrict,
        lead_organization=organization,
        title=f"โครงการ {code}",
        requested_amount=Decimal("100000.00"),
    )


def test_an_officer_links_a_report_to_a_project_in_scope(matrix, officer):
    ticket = _submit(text="เงินงวดสองยังไม่ได้รับ", subdistrict_code="400104")
    project = _project("P-KK-1", "400104")
    _project("P-BKK-1", "100101")

    with pytest.raises(ValidationError, match="No project with code P-BKK-1"):
        services.ticket_link_project(actor=officer, ticket=ticket, project_code="P-BKK-1")
    with pytest.raises(PermissionDenied):
        services.ticket_link_project(
            actor=matrix.user("project_officer", "province", "10"), ticket=ticket, project_code="P-KK-1"
        )
    services.ticket_link_project(actor=officer, ticket=ticket, project_code="P-KK-1")

    ticket.refresh_from_db()
    assert ticket.project == project
    page = signed_in_client(officer).get(reverse("feedback:ticket_detail", args=[ticket.pk])).content.decode()
    assert "P-KK-1" in page


def test_project_link_endpoint_permission_matrix(matrix, officer):
    ticket = _submit(text="ขอทราบความคืบหน้าโครงการ", subdistrict_code="400104")
    _project("P-KK-2", "400104")
    url = reverse("feedback:ticket_project", args=[ticket.pk])
    matrix.check(
        lambda client: client.post(url, {"project_code": "P-KK-2"}),
        allowed=officer,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: r.status_code == 302,
    )
    ticket.refresh_from_db()
    assert ticket.project is not None and ticket.project.code == "P-KK-2"
