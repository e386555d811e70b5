"""The area hierarchy dimension of the analytics store (read-only; only the areas app's tables).

One row per subdistrict with its district, province and CODI region (codes and Thai names), so a
fact's ``subdistrict`` or ``province`` joins to names and regions in DuckDB. Rebuilt when a
province moves region or an area is added. See ``codi.core.marts``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from django.db.models import Count

from codi.areas.models import Province, Subdistrict
from codi.core.marts import Column, MartSource

_AREAS = (
    ("subdistrict", "str", "areas.Subdistrict.code", "code"),
    ("subdistrict_name", "str", "areas.Subdistrict.name_th", "name_th"),
    ("district", "str", "areas.District.code via Subdistrict.district", "district_id"),
    ("district_name", "str", "areas.District.name_th via Subdistrict.district", "district__name_th"),
    ("province", "str", "areas.Province.code via District.province", "district__province_id"),
    ("province_name", "str", "areas.Province.name_th via District.province", "district__province__name_th"),
    ("region", "str", "areas.Province.region via District.province", "district__province__region_id"),
    ("region_name", "str", "areas.Region.name_th via Province.region", "district__province__region__name_th"),
)


def area_hierarchy(after: Any) -> Iterator[tuple[Any, ...]]:
    fields = [f[3] for f in _AREAS]
    return Subdistrict.objects.order_by("code").values_list(*fields).iterator(chunk_size=10000)


def area_fingerprint() -> str:
    regions = sorted(Province.objects.values_list("code", "region_id"), key=lambda r: r[0])
    digest = hashlib.sha256(repr(regions).encode()).hexdigest()[:16]
    return f"{Subdistrict.objects.aggregate(n=Count('code'))['n']}:{digest}"


MARTS = [
    MartSource(
        name="area_hierarchy",
        title_en="Area hierarchy (subdistrict, district, province, region)",
        app_label="areas",
        selector="codi.areas.marts.area_hierarchy",
        columns=tuple(Column(n, k, s) for n, k, s, _f in _AREAS),
        rows=area_hierarchy,
        key="subdistrict",
        fingerprint=area_fingerprint,
        kind="dimension",
    ),
]
