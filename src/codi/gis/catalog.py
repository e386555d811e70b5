"""Data catalog entries for the GIS (read by codi.governance).

Settlements are communities, not persons: no personal data. Their polygons and eviction risk are
sensitive for the people living there, so the records are internal; only province aggregates are
published (``codi.gis.opendata``).
"""

from __future__ import annotations

from typing import Any

_UNIT = "ฝ่ายพัฒนาที่อยู่อาศัยชุมชนเมือง"
_STEWARD = "head of urban community housing (Baan Mankong)"


def _dataset(name_th: str, name_en: str, description: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "name_th": name_th,
        "name_en": name_en,
        "description": description,
        "owner_unit": _UNIT,
        "steward": _STEWARD,
        "classification": "internal",
        "lawful_basis": "",
        "source": "surveys entered or imported through codi.gis services",
        "update_frequency": "on change",
        "retention": "kept while the settlement exists; revisions kept with it",
        "fields": fields,
    }


_GEO = "GeoJSON in WGS84"
_BOX = "Bounding box of the geometry (degrees)"

DATASETS = {
    "Settlement": _dataset(
        "ชุมชนแออัด/ชุมชนไม่มั่นคงในที่อยู่อาศัย",
        "Informal settlement",
        "A surveyed informal settlement (GIS Slum): boundary or point, households, land and tenure, risk.",
        {
            "name": ("ชื่อชุมชน", "Name", "Community name"),
            "subdistrict": ("ตำบล", "Subdistrict", "DOPA subdistrict code the settlement lies in"),
            "organization": ("องค์กรชุมชน", "Organization", "The community organization of the settlement"),
            "project": ("โครงการบ้านมั่นคง", "Baan Mankong project", "The project upgrading it"),
            "households": ("ครัวเรือน", "Households", "Number of households"),
            "population": ("ประชากร", "Population", "Number of residents"),
            "land_owner": ("เจ้าของที่ดิน", "Land owner", "Kind of land owner"),
            "tenure": ("ความมั่นคงในการอยู่อาศัย", "Tenure security", "Right to the land"),
            "eviction_risk": ("ความเสี่ยงถูกไล่รื้อ", "Eviction risk", "None to under eviction"),
            "infrastructure": ("สาธารณูปโภค", "Infrastructure access", "Services the settlement has"),
            "year_surveyed": ("ปีที่สำรวจ", "Year surveyed", "Buddhist Era year"),
            "geometry": ("รูปแปลง", "Geometry", _GEO),
            "geometry_type": ("ชนิดรูปแปลง", "Geometry type", "Point, Polygon or MultiPolygon"),
            "min_lon": ("ลองจิจูดต่ำสุด", "Min longitude", _BOX),
            "min_lat": ("ละติจูดต่ำสุด", "Min latitude", _BOX),
            "max_lon": ("ลองจิจูดสูงสุด", "Max longitude", _BOX),
            "max_lat": ("ละติจูดสูงสุด", "Max latitude", _BOX),
            "lon": ("ลองจิจูดจุดภายใน", "Inner point longitude", "A point inside the geometry"),
            "lat": ("ละติจูดจุดภายใน", "Inner point latitude", "A point inside the geometry"),
            "source": ("แหล่งที่มา", "Source", "Form or imported file name"),
            "version": ("ฉบับ", "Version", "Raised on every edit"),
            "is_demo": ("ข้อมูลสาธิต", "Demo data", "Loaded by load_gis_demo"),
            "created_by": ("ผู้บันทึก", "Recorded by", "Staff account"),
            "created_at": ("วันที่บันทึก", "Recorded at", "Timestamp"),
            "updated_at": ("วันที่แก้ไข", "Updated at", "Timestamp"),
        },
    ),
    "SettlementRevision": _dataset(
        "ประวัติการแก้ไขชุมชน",
        "Settlement revision",
        "The state of a settlement before each edit, with who changed it and why.",
        {
            "settlement": ("ชุมชน", "Settlement", "The settlement"),
            "version": ("ฉบับ", "Version", "The version replaced"),
            "data": ("ข้อมูลก่อนแก้ไข", "Data before the edit", "Attributes and geometry"),
            "changed_by": ("ผู้แก้ไข", "Changed by", "Staff account"),
            "changed_at": ("วันที่แก้ไข", "Changed at", "Timestamp"),
            "note": ("เหตุผล", "Note", "Reason for the change"),
        },
    ),
}
