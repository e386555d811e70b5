"""Writes to the area registry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from codi.areas.models import AbolishedArea, AbolishedSuccessor, District, Province, Region, Subdistrict
from codi.areas.regions import REGIONS, default_region_for
from codi.areas.selectors import province_region_cache_clear
from codi.core.audit import audit_record


def _update_names(model: Any, rows: dict[str, dict[str, str]], fields: list[str]) -> int:
    """Update the rows whose names (or postal codes) changed in the package; return how many."""
    changed = []
    for obj in model.objects.filter(pk__in=list(rows)).only("pk", *fields):
        wanted = rows[obj.pk]
        if any(getattr(obj, f) != wanted[f] for f in fields):
            for f in fields:
                setattr(obj, f, wanted[f])
            changed.append(obj)
    model.objects.bulk_update(changed, fields, batch_size=1000)
    return len(changed)


def areas_load_reference(*, actor: Any = None) -> dict[str, int]:
    """Load every province, district and subdistrict from ``geothai``, and the abolished codes; idempotent.

    Missing rows are added and names (and postal codes) that changed are
    updated in place; codes do not change. CODI regions are created with their
    default provinces only when missing, so an admin's later moves survive a
    reload. Abolished areas are kept with their successor codes so that old
    records still resolve (``selectors.area_resolve``).
    """
    import geothai  # loaded here: a 2 MB data set the web app rarely needs

    created = {"regions": 0, "provinces": 0, "districts": 0, "subdistricts": 0, "abolished": 0}
    updated = {"provinces": 0, "districts": 0, "subdistricts": 0, "abolished": 0}
    with transaction.atomic():
        for order, (code, name_th, name_en) in enumerate(REGIONS):
            _, is_new = Region.objects.get_or_create(
                code=code, defaults={"name_th": name_th, "name_en": name_en, "sort_order": order}
            )
            created["regions"] += int(is_new)
        wanted: dict[str, dict[str, dict[str, str]]] = {"provinces": {}, "districts": {}, "subdistricts": {}}
        for p in geothai.provinces():
            wanted["provinces"][p.code] = {"name_th": p.name_th, "name_en": p.name_en}
            for d in geothai.districts(p.code):
                wanted["districts"][d.code] = {"name_th": d.name_th, "name_en": d.name_en, "parent": p.code}
                for s in geothai.subdistricts(d.code):
                    wanted["subdistricts"][s.code] = {
                        "name_th": s.name_th,
                        "name_en": s.name_en,
                        "postal_codes": " ".join(s.postal_codes),
                        "parent": d.code,
                    }
        existing = {
            "provinces": set(Province.objects.values_list("code", flat=True)),
            "districts": set(District.objects.values_list("code", flat=True)),
            "subdistricts": set(Subdistrict.objects.values_list("code", flat=True)),
        }
        provinces = [
            Province(code=c, name_th=v["name_th"], name_en=v["name_en"], region_id=default_region_for(c))
            for c, v in wanted["provinces"].items()
            if c not in existing["provinces"]
        ]
        districts = [
            District(code=c, name_th=v["name_th"], name_en=v["name_en"], province_id=v["parent"])
            for c, v in wanted["districts"].items()
            if c not in existing["districts"]
        ]
        subdistricts = [
            Subdistrict(
                code=c,
                name_th=v["name_th"],
                name_en=v["name_en"],
                district_id=v["parent"],
                postal_codes=v["postal_codes"],
            )
            for c, v in wanted["subdistricts"].items()
            if c not in existing["subdistricts"]
        ]
        Province.objects.bulk_create(provinces, batch_size=1000)
        District.objects.bulk_create(districts, batch_size=1000)
        Subdistrict.objects.bulk_create(subdistricts, batch_size=1000)
        created["provinces"] = len(provinces)
        created["districts"] = len(districts)
        created["subdistricts"] = len(subdistricts)
        names = ["name_th", "name_en"]
        updated["provinces"] = _update_names(Province, wanted["provinces"], names)
        updated["districts"] = _update_names(District, wanted["districts"], names)
        updated["subdistricts"] = _update_names(Subdistrict, wanted["subdistricts"], [*names, "postal_codes"])
        created["abolished"], updated["abolished"] = _load_abolished()
        if any(created.values()) or any(updated.values()):
            audit_record(
                actor=actor,
                action="areas.load_reference",
                object_type="areas",
                changes={"created": created, "updated": updated},
            )
    return created


def _load_abolished() -> tuple[int, int]:
    """Add abolished codes that are missing and refresh those whose record changed."""
    # heavy: the geothai data set is loaded only by the reference-data load
    from geothai.abolished import abolished_areas

    stored = {
        a.code: a for a in AbolishedArea.objects.prefetch_related("successors").order_by().iterator(2000)
    }
    new_rows: list[AbolishedArea] = []
    changed_rows: list[AbolishedArea] = []
    successors: list[AbolishedSuccessor] = []
    fields = [
        "level",
        "name_th",
        "name_en",
        "parent_code",
        "abolished_on",
        "successors_basis",
        "successors_in_force",
        "successors_source",
    ]
    for record in abolished_areas():
        values = {
            "level": record.level,
            "name_th": record.name_th,
            "name_en": record.name_en or "",
            "parent_code": record.parent_code or "",
            "abolished_on": date.fromisoformat(record.abolished_on) if record.abolished_on else None,
            "successors_basis": record.successors_basis or "",
            "successors_in_force": (
                date.fromisoformat(record.successors_in_force) if record.successors_in_force else None
            ),
            "successors_source": record.successors_source or "",
        }
        codes = list(record.successors)
        row = stored.get(record.code)
        if row is None:
            row = AbolishedArea(code=record.code, **values)
            new_rows.append(row)
        else:
            same_successors = [s.code for s in row.successors.all()] == codes
            if all(getattr(row, f) == values[f] for f in fields) and same_successors:
                continue
            for f, v in values.items():
                setattr(row, f, v)
            changed_rows.append(row)
        successors.extend(
            AbolishedSuccessor(abolished_id=record.code, code=code, position=i)
            for i, code in enumerate(codes)
        )
    AbolishedArea.objects.bulk_create(new_rows, batch_size=1000)
    AbolishedArea.objects.bulk_update(changed_rows, fields, batch_size=500)
    AbolishedSuccessor.objects.filter(abolished_id__in=[r.code for r in changed_rows]).delete()
    AbolishedSuccessor.objects.bulk_create(successors, batch_size=1000)
    return len(new_rows), len(changed_rows)


def province_region_write(*, actor: Any, province_code: str, region_code: str) -> Province:
    """Move a province to another CODI region: validated, audited, in one transaction.

    The permission is checked by the caller, ``codi.identity.services.province_set_region``:
    areas sit below identity and know no roles. Region-scoped grants follow at once:
    scoping reads the province's region.
    """
    province = Province.objects.filter(code=province_code).first()
    errors: dict[str, str] = {}
    if province is None:
        errors["province"] = "ไม่พบจังหวัดนี้ / Unknown province"
    if not Region.objects.filter(code=region_code).exists():
        errors["region"] = "ไม่พบภาคนี้ / Unknown region"
    if errors:
        raise ValidationError(errors)
    assert province is not None
    old = province.region_id
    if old == region_code:
        return province
    with transaction.atomic():
        Province.objects.filter(code=province_code).update(region_id=region_code)
        province.region_id = region_code
        audit_record(
            actor=actor,
            action="areas.province_set_region",
            object_type="areas.province",
            object_id=province_code,
            changes={"region": [old, region_code]},
        )
        transaction.on_commit(province_region_cache_clear)
    return province
