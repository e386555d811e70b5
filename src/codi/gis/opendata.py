"""The public aggregated GIS layers as open datasets (registered into codi.opendata's builders).

Only aggregates per province are published: the settlement polygons themselves point at
communities under threat of eviction and stay behind the scoped layer. Projects per province are
the public ``projects-by-province`` layer's figures (projects past the draft stage, not rejected
or cancelled), every province listed, 0 where it has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from codi.gis import selectors
from codi.opendata.builders import Column, DatasetBuilder, register
from codi.projects import gis_feed as project_feed


def _settlement_rows() -> Iterable[tuple[object, ...]]:
    names = selectors.area_names("province")
    values = selectors.settlements_by_area(actor=None, level="province")
    for code in sorted(values):
        v = values[code]
        yield (
            code,
            names.get(code, ("", ""))[0],
            v["settlements"],
            v["households"],
            v["population"],
            v["high_risk"],
        )


def _project_rows() -> Iterable[tuple[object, ...]]:
    names = selectors.area_names("province")
    values = project_feed.totals_by_area(actor=None, level="province", query=project_feed.ProjectQuery())
    for code in sorted(names):
        v = values.get(code, {"projects": 0, "approved": 0.0, "households": 0})
        yield (code, names[code][0], v["projects"], Decimal(f"{v['approved']:.2f}"), v["households"])


def register_datasets() -> None:
    register(
        DatasetBuilder(
            name="gis-projects-by-province",
            title_th="โครงการที่ พอช. สนับสนุน รายจังหวัด",
            title_en="CODI-supported projects by province",
            description=(
                "จำนวนโครงการ งบประมาณที่อนุมัติ (บาท) และครัวเรือนผู้ได้รับประโยชน์ รายจังหวัด "
                "นับเฉพาะโครงการที่ผ่านขั้นร่างแล้ว ไม่รวมโครงการที่ไม่อนุมัติหรือยกเลิก "
                "จังหวัดที่ไม่มีโครงการแสดงเป็น 0 ตรงกับชั้นข้อมูลสาธารณะ “โครงการรายจังหวัด” ของระบบ GIS"
            ),
            objective="เพื่อเปิดเผยผลการสนับสนุนชุมชนรายพื้นที่ สำหรับการติดตาม การวางแผน และการวิจัย",
            data_type="statistics",
            data_category="ข้อมูลสาธารณะ",
            update_frequency="on_change",
            keywords=("โครงการ", "งบประมาณ", "จังหวัด", "พอช.", "GIS"),
            columns=(
                Column("province_code", "text", "รหัสจังหวัด", "Province code"),
                Column("province", "text", "จังหวัด", "Province"),
                Column("projects", "int", "จำนวนโครงการ", "Projects"),
                Column("approved_amount", "numeric", "งบประมาณที่อนุมัติ (บาท)", "Approved budget (baht)"),
                Column("households", "int", "ครัวเรือนผู้ได้รับประโยชน์", "Beneficiary households"),
            ),
            build=_project_rows,
        )
    )

    register(
        DatasetBuilder(
            name="gis-informal-settlements-by-province",
            title_th="ชุมชนแออัดและชุมชนไม่มั่นคงในที่อยู่อาศัย รายจังหวัด",
            title_en="Informal settlements by province",
            description="จำนวนชุมชน ครัวเรือน ประชากร และชุมชนที่เสี่ยงถูกไล่รื้อสูง รายจังหวัด จากระบบ GIS Slum ของ พอช.",
            objective="เพื่อเปิดเผยสถานการณ์ที่อยู่อาศัยของชุมชนเมืองสำหรับการวางแผนและการวิจัย",
            data_type="statistics",
            data_category="ข้อมูลสาธารณะ",
            update_frequency="on_change",
            keywords=("ชุมชนแออัด", "ที่อยู่อาศัย", "บ้านมั่นคง", "GIS"),
            columns=(
                Column("province_code", "text", "รหัสจังหวัด", "Province code"),
                Column("province", "text", "จังหวัด", "Province"),
                Column("settlements", "int", "จำนวนชุมชน", "Settlements"),
                Column("households", "int", "ครัวเรือน", "Households"),
                Column("population", "int", "ประชากร", "Population"),
                Column("high_risk", "int", "ชุมชนเสี่ยงถูกไล่รื้อสูง", "Settlements at high eviction risk"),
            ),
            build=_settlement_rows,
        )
    )
