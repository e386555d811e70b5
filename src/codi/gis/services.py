"""Writes of GIS Slum: create, edit (with a revision and an audit entry) and import settlements.

Editing needs ``Perm.ORGS_MANAGE`` over the settlement's subdistrict (the staff who keep the
community organization register keep the settlement map too). Every write is validated first
and runs in one transaction; an import writes all its rows or none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict

from codi.areas import selectors as area_selectors
from codi.communities import selectors as community_selectors
from codi.core.audit import audit_record
from codi.gis import importing
from codi.gis.geometry import GeometryError, check
from codi.gis.models import INFRASTRUCTURE, EvictionRisk, LandOwner, Settlement, SettlementRevision, Tenure
from codi.identity.roles import Perm
from codi.identity.selectors import user_can_in_area
from codi.projects import gis_feed as project_feed

EDIT_PERM = Perm.ORGS_MANAGE
FIELDS = (
    "name", "subdistrict", "households", "population", "land_owner", "tenure", "eviction_risk",
    "infrastructure", "year_surveyed", "organization", "project",
)  # fmt: skip
MIN_YEAR_BE, MAX_YEAR_BE = 2500, 2600


class SettlementError(GeometryError):
    """A refusal with a Thai and an English message, naming the field when there is one."""

    def __init__(self, th: str, en: str, field_name: str = "") -> None:
        super().__init__(th, en)
        self.field = field_name


def _int(raw: dict[str, Any], key: str, th: str, *, low: int = 0, high: int = 10_000_000) -> int:
    value = raw.get(key)
    if value in (None, ""):
        return 0 if key in ("households", "population") else _missing(key, th)
    try:
        number = int(str(value).strip().replace(",", ""))
    except ValueError:
        raise SettlementError(f"{th} ต้องเป็นตัวเลข", f"{key} must be a whole number", key) from None
    if not low <= number <= high:
        raise SettlementError(f"{th} อยู่นอกช่วงที่รับได้", f"{key} is out of range ({low}–{high})", key)
    return number


def _missing(key: str, th: str) -> Any:
    raise SettlementError(f"กรุณาระบุ{th}", f"{key} is required", key)


def _choice(raw: dict[str, Any], key: str, th: str, choices: Any) -> str:
    value = str(raw.get(key) or "").strip().lower()
    if not value:
        return str(_missing(key, th))
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise SettlementError(f"{th} ต้องเป็นหนึ่งใน {allowed}", f"{key} must be one of {allowed}", key)
    return value


def clean(raw: dict[str, Any], *, actor: Any) -> dict[str, Any]:
    """Checked attributes (not the geometry) from a form, an API body or an imported row."""
    name = str(raw.get("name") or "").strip()
    if not name:
        _missing("name", "ชื่อชุมชน")
    if len(name) > 200:
        raise SettlementError("ชื่อยาวเกิน 200 ตัวอักษร", "name is longer than 200 characters", "name")
    code = str(raw.get("subdistrict") or "").strip()
    subdistrict = area_selectors.subdistrict_get(code=code) if code.isdigit() and len(code) == 6 else None
    if subdistrict is None:
        raise SettlementError(
            f"ไม่พบตำบลรหัส {code or '-'}", f"No subdistrict has the code {code or '-'}", "subdistrict"
        )
    if not user_can_in_area(actor, EDIT_PERM, subdistrict_code=code):
        raise SettlementError(
            f"คุณไม่มีสิทธิ์แก้ไขข้อมูลในตำบลรหัส {code}",
            f"You may not edit settlements in subdistrict {code}",
            "subdistrict",
        )
    infra_raw = raw.get("infrastructure") or []
    if isinstance(infra_raw, str):
        infra_raw = [p for p in (s.strip().lower() for s in infra_raw.split(",")) if p]
    infrastructure = sorted(set(map(str, infra_raw)))
    unknown = [i for i in infrastructure if i not in INFRASTRUCTURE]
    if unknown:
        allowed = ", ".join(INFRASTRUCTURE)
        raise SettlementError(
            f"สาธารณูปโภคไม่รู้จัก: {', '.join(unknown)} (ใช้ {allowed})",
            f"Unknown infrastructure: {', '.join(unknown)} (use {allowed})",
            "infrastructure",
        )
    cleaned: dict[str, Any] = {
        "name": name,
        "subdistrict": subdistrict,
        "households": _int(raw, "households", "จำนวนครัวเรือน"),
        "population": _int(raw, "population", "จำนวนประชากร"),
        "land_owner": _choice(raw, "land_owner", "ประเภทเจ้าของที่ดิน", LandOwner),
        "tenure": _choice(raw, "tenure", "ความมั่นคงในการอยู่อาศัย", Tenure),
        "eviction_risk": _choice(raw, "eviction_risk", "ความเสี่ยงถูกไล่รื้อ", EvictionRisk),
        "infrastructure": infrastructure,
        "year_surveyed": _int(raw, "year_surveyed", "ปีที่สำรวจ (พ.ศ.)", low=MIN_YEAR_BE, high=MAX_YEAR_BE),
        "organization": None,
        "project": None,
    }
    org_id = raw.get("organization")
    if org_id not in (None, ""):
        org = (
            community_selectors.organization_get(actor=actor, org_id=int(org_id))
            if str(org_id).isdigit()
            else None
        )
        if org is None:
            raise SettlementError(
                f"ไม่พบองค์กรชุมชนรหัส {org_id}", f"No organization {org_id} that you may see", "organization"
            )
        cleaned["organization"] = org
    project_code = str(raw.get("project") or "").strip()
    if project_code:
        project = project_feed.project_by_code(actor=actor, code=project_code)
        if project is None:
            raise SettlementError(
                f"ไม่พบโครงการรหัส {project_code}", f"No project {project_code} that you may see", "project"
            )
        cleaned["project"] = project
    return cleaned


def _geometry_fields(checked: Any) -> dict[str, Any]:
    minx, miny, maxx, maxy = checked.bbox
    return {
        "geometry": checked.geometry,
        "geometry_type": checked.geometry_type,
        "min_lon": minx,
        "min_lat": miny,
        "max_lon": maxx,
        "max_lat": maxy,
        "lon": checked.lon,
        "lat": checked.lat,
    }


def _snapshot(settlement: Settlement) -> dict[str, Any]:
    data = model_to_dict(settlement, fields=[*FIELDS, "geometry", "source"])
    return {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}


def _audit_changes(settlement: Settlement) -> dict[str, Any]:
    snap = _snapshot(settlement)
    snap["geometry"] = f"{settlement.geometry_type} bbox {settlement.min_lon:.5f},{settlement.min_lat:.5f}"
    return snap


def settlement_create(
    *, actor: Any, data: dict[str, Any], geometry: Any, source: str = "", is_demo: bool = False
) -> Settlement:
    cleaned = clean(data, actor=actor)
    checked = check(geometry, subdistrict_code=cleaned["subdistrict"].code)
    with transaction.atomic():
        settlement = Settlement.objects.create(
            **cleaned,
            **_geometry_fields(checked),
            source=source[:200],
            is_demo=is_demo,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action="gis.settlement_create",
            object_type="gis.Settlement",
            object_id=settlement.pk,
            changes=_audit_changes(settlement),
        )
    return settlement


def settlement_update(
    *, actor: Any, settlement: Settlement, data: dict[str, Any], geometry: Any | None = None, note: str = ""
) -> Settlement:
    """Edit attributes and/or geometry; the old state is kept as a revision."""
    if not user_can_in_area(actor, EDIT_PERM, subdistrict_code=settlement.subdistrict_id):
        raise SettlementError("คุณไม่มีสิทธิ์แก้ไขชุมชนนี้", "You may not edit this settlement")
    merged = {**_snapshot(settlement), **data}
    if "subdistrict" not in data and settlement.subdistrict_id:
        merged["subdistrict"] = settlement.subdistrict_id
    if "project" not in data:
        merged["project"] = project_feed.project_code(settlement.project_id)
    cleaned = clean(merged, actor=actor)
    checked = check(
        geometry if geometry is not None else settlement.geometry,
        subdistrict_code=cleaned["subdistrict"].code,
    )
    with transaction.atomic():
        locked = Settlement.objects.select_for_update().get(pk=settlement.pk)
        before = _audit_changes(locked)
        SettlementRevision.objects.create(
            settlement=locked,
            version=locked.version,
            data=_snapshot(locked),
            changed_by=actor if getattr(actor, "pk", None) else None,
            note=note[:300],
        )
        for key, value in {**cleaned, **_geometry_fields(checked)}.items():
            setattr(locked, key, value)
        locked.version += 1
        locked.save()
        after = _audit_changes(locked)
        audit_record(
            actor=actor,
            action="gis.settlement_update",
            object_type="gis.Settlement",
            object_id=locked.pk,
            changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
            | {"version": [locked.version - 1, locked.version], "note": note[:300]},
        )
    return locked


@dataclass
class ImportOutcome:
    created: list[Settlement] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # row, Thai, English

    @property
    def ok(self) -> bool:
        return not self.errors


def settlement_import(*, actor: Any, filename: str, content: bytes) -> ImportOutcome:
    """Every row checked first; any refusal (file or row) and nothing is written."""
    outcome = ImportOutcome()
    try:
        rows = importing.read(filename, content)
    except GeometryError as exc:
        outcome.errors.append((0, exc.th, exc.en))
        return outcome
    ready: list[tuple[dict[str, Any], Any]] = []
    for row in rows:
        try:
            if row.geometry is None:
                raise GeometryError("แถวนี้ไม่มีรูปแปลง", "This row has no geometry")
            cleaned = clean(row.attributes, actor=actor)
            checked = check(row.geometry, subdistrict_code=cleaned["subdistrict"].code)
        except GeometryError as exc:
            outcome.errors.append((row.row, exc.th, exc.en))
            continue
        ready.append((cleaned, checked))
    if outcome.errors:
        return outcome
    source = f"import: {filename}"[:200]
    with transaction.atomic():
        for cleaned, checked in ready:
            settlement = Settlement.objects.create(
                **cleaned,
                **_geometry_fields(checked),
                source=source,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            outcome.created.append(settlement)
        audit_record(
            actor=actor,
            action="gis.settlement_import",
            object_type="gis.Settlement",
            object_id=",".join(str(s.pk) for s in outcome.created[:50]),
            changes={"file": filename, "rows": len(outcome.created)},
        )
    return outcome
