"""Writes to the area registry."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from codi.areas.models import District, Province, Region, Subdistrict
from codi.areas.regions import REGIONS, default_region_for
from codi.core.audit import audit_record


def areas_load_reference(*, actor: Any = None) -> dict[str, int]:
    """Load every province, district and subdistrict from ``geothai``; idempotent.

    Existing rows are updated in place (names change, codes do not); CODI
    regions are created with their default provinces only when missing, so an
    admin's later edits survive a reload.
    """
    import geothai  # loaded here: a 2 MB data set the web app rarely needs

    created = {"regions": 0, "provinces": 0, "districts": 0, "subdistricts": 0}
    with transaction.atomic():
        for order, (code, name_th, name_en) in enumerate(REGIONS):
            _, is_new = Region.objects.get_or_create(
                code=code, defaults={"name_th": name_th, "name_en": name_en, "sort_order": order}
            )
            created["regions"] += int(is_new)
        existing_provinces = set(Province.objects.values_list("code", flat=True))
        existing_districts = set(District.objects.values_list("code", flat=True))
        existing_subdistricts = set(Subdistrict.objects.values_list("code", flat=True))
        provinces, districts, subdistricts = [], [], []
        for p in geothai.provinces():
            if p.code not in existing_provinces:
                provinces.append(
                    Province(
                        code=p.code,
                        name_th=p.name_th,
                        name_en=p.name_en,
                        region_id=default_region_for(p.code),
                    )
                )
            for d in geothai.districts(p.code):
                if d.code not in existing_districts:
                    districts.append(
                        District(code=d.code, name_th=d.name_th, name_en=d.name_en, province_id=p.code)
                    )
                for s in geothai.subdistricts(d.code):
                    if s.code not in existing_subdistricts:
                        subdistricts.append(
                            Subdistrict(
                                code=s.code,
                                name_th=s.name_th,
                                name_en=s.name_en,
                                district_id=d.code,
                                postal_codes=" ".join(s.postal_codes),
                            )
                        )
        Province.objects.bulk_create(provinces, batch_size=1000)
        District.objects.bulk_create(districts, batch_size=1000)
        Subdistrict.objects.bulk_create(subdistricts, batch_size=1000)
        created["provinces"] = len(provinces)
        created["districts"] = len(districts)
        created["subdistricts"] = len(subdistricts)
        if any(created.values()):
            audit_record(actor=actor, action="areas.load_reference", object_type="areas", changes=created)
    return created
