"""Where a report is: a pin on the map, or place names written in the message."""

from __future__ import annotations

import pytest

from codi.areas.selectors import area_from_text, subdistrict_at

pytestmark = pytest.mark.django_db


def test_a_point_in_khon_kaen_city_is_in_its_subdistrict():
    # Khon Kaen city hall area (ในเมือง, เมืองขอนแก่น).
    found = subdistrict_at(lon=102.8336, lat=16.4322)
    assert found is not None and found.code.startswith("4001")


def test_points_outside_thailand_or_invalid_are_nowhere():
    assert subdistrict_at(lon=139.69, lat=35.68) is None  # Tokyo
    assert subdistrict_at(lon=500.0, lat=13.0) is None


@pytest.mark.parametrize(
    ("text", "subdistrict", "province"),
    [
        ("น้ำท่วมหนักที่ ต.ท่าพระ อ.เมือง จ.ขอนแก่น ช่วยด้วย", "400104", "40"),
        ("ถนนชำรุดที่ตำบลท่าพระ อำเภอเมืองขอนแก่น จังหวัดขอนแก่น", "400104", "40"),
        ("ไฟฟ้าดับทั้งหมู่บ้าน จ.เชียงใหม่", None, "50"),
        ("ช่วยด้วยค่ะ ไม่มีที่อยู่", None, None),
    ],
)
def test_place_names_in_a_message(text, subdistrict, province):
    found, found_province = area_from_text(text)
    assert (found.code if found else None) == subdistrict
    assert (found_province.code if found_province else None) == province


def test_an_ambiguous_subdistrict_name_without_province_is_not_guessed():
    # ในเมือง exists in many provinces: without a district or province it picks none.
    found, _province = area_from_text("น้ำท่วม ต.ในเมือง")
    assert found is None
