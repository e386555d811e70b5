"""The public aggregated GIS layers as open datasets (registered into codi.opendata's builders).

Only aggregates per province are published: the settlement polygons themselves point at
communities under threat of eviction and stay behind the scoped layer.
"""

from __future__ import annotations

from collections.abc import Iterable

from codi.gis import selectors
from codi.opendata.builders import Column, DatasetBuilder, register


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


def register_datasets() -> None:
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
