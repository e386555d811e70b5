"""The data catalog, generated from the code.

Every installed ``codi.*`` app keeps a ``catalog.py`` with a ``DATASETS`` dict that describes each
of its models and each concrete field (the auto ``id`` primary key excepted; many-to-many fields
included). This module reads those dicts, checks their values, joins them with the models' real
fields (table names, data types) and answers two questions:

* ``catalog_entries()`` — every dataset with its fields, as typed ``DatasetEntry`` records (the data
  dictionary, the catalog pages, and the PDPA records of processing are built from it);
* ``catalog_missing()`` — what the code has that the catalog does not describe, and what the catalog
  describes that the code no longer has. ``tests/governance/test_catalog_complete.py`` fails on any,
  so the catalog cannot drift from the code.

Classification levels
---------------------
The Thai government Data Governance Framework of the Digital Government Development Agency
(สพร., DGA, *กรอบธรรมาภิบาลข้อมูลภาครัฐ*) sorts an agency's data into four categories: public data
(ข้อมูลสาธารณะ), personal data (ข้อมูลส่วนบุคคล), official secrets (ข้อมูลความลับทางราชการ, graded
ลับ / ลับมาก / ลับที่สุด under the Regulation on the Maintenance of Official Secrets B.E. 2544) and
national-security data (ข้อมูลความมั่นคง); DGA's standard มสพร. ม.1/2565 on classifying and sharing
government data grades data by the harm its disclosure could cause. CODI's four classes are its
reading of those, to be confirmed by CODI's data-governance committee; they do not replace the
Official Information Act B.E. 2540 or the secrets regulation, which alone make a record formally
secret (the platform marks no record ลับ in that legal sense). Personal data is a category, not a
level: it is flagged per field (below), and a personal field is ``confidential`` or higher unless
its entry sets a class for it.

========================  ================================  ==============================================
``classification``        Thai level                        meaning here
========================  ================================  ==============================================
``public``                ข้อมูลสาธารณะ (public)             may be published or given to anyone (open data)
``internal``              ข้อมูลใช้ภายใน (internal use)       for CODI staff and partners doing their work
``confidential``          ข้อมูลลับ (confidential)            restricted to those who need it; includes
                                                            personal data under PDPA
``secret``                ข้อมูลลับมาก (secret)               serious harm if disclosed: credentials, keys,
                                                            sensitive personal data (PDPA s.26)
========================  ================================  ==============================================

(The regulation's third grade, ลับที่สุด / top secret, and national-security data have no class: the
platform holds no such data.)

Third-party tables (sessions, one-time-password devices, OAuth tokens, the task queue) are not
CODI's code, so completeness is not enforced for them; the CODI app that uses them may still
describe them in ``EXTERNAL_DATASETS`` (keyed ``"app_label.Model"``, same format, fields may be
partial) so the catalog and the PDPA records of processing include them.

Personal data: a field's ``personal`` is ``""`` (not personal), ``"general"`` (identifies a person:
name, national ID, phone, address, e-mail, IP address, birth date...) or ``"sensitive"`` (PDPA s.26:
race, religion, health, disability, criminal record, biometrics, trade-union membership, political
or sexual views...). A dataset is personal when any field is.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import models

from codi.governance.catalog_th import DATASET_TH

CLASSIFICATIONS: tuple[str, ...] = ("public", "internal", "confidential", "secret")
CLASSIFICATION_TH: dict[str, str] = {
    "public": "ข้อมูลสาธารณะ",
    "internal": "ข้อมูลใช้ภายใน",
    "confidential": "ข้อมูลลับ",
    "secret": "ข้อมูลลับมาก",
}
PERSONAL_CATEGORIES: tuple[str, ...] = ("", "general", "sensitive")
UPDATE_FREQUENCIES: tuple[str, ...] = (
    "real-time",
    "daily",
    "weekly",
    "monthly",
    "yearly",
    "on change",
)
DATASET_KEYS: tuple[str, ...] = (
    "name_th",
    "name_en",
    "description",
    "owner_unit",
    "steward",
    "classification",
    "lawful_basis",
    "source",
    "update_frequency",
    "retention",
    "fields",
)
FIELD_OVERRIDES: tuple[str, ...] = ("personal", "classification")


class CatalogError(ValueError):
    """A ``catalog.py`` holds a value the catalog does not accept (the message lists them all)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid data catalog:\n" + "\n".join(problems))


@dataclass(frozen=True)
class FieldEntry:
    name: str
    name_th: str
    name_en: str
    description: str
    data_type: str
    personal: str  # "" | "general" | "sensitive"
    classification: str


@dataclass(frozen=True)
class DatasetEntry:
    app_label: str
    model_name: str
    db_table: str
    name_th: str
    name_en: str
    description: str
    owner_unit: str
    steward: str
    classification: str
    lawful_basis: str
    source: str
    update_frequency: str
    retention: str
    personal: bool
    fields: list[FieldEntry] = field(default_factory=list)

    @property
    def label(self) -> str:
        """``app_label.ModelName``, the key used in URLs and messages."""
        return f"{self.app_label}.{self.model_name}"

    @property
    def classification_th(self) -> str:
        return CLASSIFICATION_TH.get(self.classification, "")

    def text_th(self, name: str) -> str:
        """The Thai of a prose attribute ("description"), or "" where none is written."""
        return DATASET_TH.get(self.label, "") if name == "description" else ""

    @property
    def personal_fields(self) -> list[FieldEntry]:
        return [f for f in self.fields if f.personal]

    @property
    def has_sensitive_data(self) -> bool:
        return any(f.personal == "sensitive" for f in self.fields)


# --- reading the catalog.py modules -------------------------------------------------------------


def catalogued_app_configs(registry: Apps | None = None) -> list[Any]:
    """The installed CODI apps, in INSTALLED_APPS order."""
    registry = registry or global_apps
    return [c for c in registry.get_app_configs() if c.name.startswith("codi.")]


def app_datasets(app_name: str) -> Mapping[str, Any] | None:
    """The ``DATASETS`` of ``<app_name>.catalog``, or None when the app has no catalog module."""
    module_name = f"{app_name}.catalog"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    datasets = getattr(module, "DATASETS", None)
    return datasets if isinstance(datasets, Mapping) else None


def app_external_datasets(app_name: str) -> Mapping[str, Any]:
    """The ``EXTERNAL_DATASETS`` of ``<app_name>.catalog`` (third-party models), or an empty dict."""
    try:
        module = importlib.import_module(f"{app_name}.catalog")
    except ModuleNotFoundError as exc:
        if exc.name == f"{app_name}.catalog":
            return {}
        raise
    datasets = getattr(module, "EXTERNAL_DATASETS", None)
    return datasets if isinstance(datasets, Mapping) else {}


def _external_model(registry: Apps | None, label: str) -> type[models.Model] | None:
    try:
        return (registry or global_apps).get_model(label)
    except (LookupError, ValueError):
        return None


def documented_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields a catalog entry must describe: concrete and many-to-many, without the auto id."""
    result: list[models.Field[Any, Any]] = []
    for f in model._meta.get_fields():
        if not isinstance(f, models.Field):
            continue  # reverse relations, generic foreign keys
        if f.auto_created and f.primary_key:
            continue
        if f.concrete or f.many_to_many:
            result.append(f)
    return result


def documented_models(app_config: Any) -> list[type[models.Model]]:
    """Models with their own table (proxy models share their parent's and are not listed)."""
    return [m for m in app_config.get_models() if not m._meta.proxy]


def _data_type(f: models.Field[Any, Any]) -> str:
    kind = f.get_internal_type()
    if f.is_relation and f.related_model is not None and not isinstance(f.related_model, str):
        return f"{kind} → {f.related_model._meta.label}"
    if isinstance(f, models.CharField) and f.max_length:
        return f"{kind}({f.max_length})"
    return kind


def _validate_dataset(label: str, spec: Any) -> list[str]:
    problems: list[str] = []
    if not isinstance(spec, Mapping):
        return [f"{label}: entry must be a dict"]
    for key in DATASET_KEYS:
        if key not in spec:
            problems.append(f"{label}: missing key {key!r}")
    for key in spec:
        if key not in DATASET_KEYS:
            problems.append(f"{label}: unknown key {key!r}")
    for key in DATASET_KEYS:
        if key != "fields" and key in spec and not isinstance(spec[key], str):
            problems.append(f"{label}: {key!r} must be a string")
    for key in ("name_th", "name_en", "description", "owner_unit", "steward"):
        if isinstance(spec.get(key), str) and not spec[key].strip():
            problems.append(f"{label}: {key!r} is empty")
    if spec.get("classification") not in CLASSIFICATIONS:
        problems.append(
            f"{label}: classification {spec.get('classification')!r} is not one of {CLASSIFICATIONS}"
        )
    if spec.get("update_frequency") not in UPDATE_FREQUENCIES:
        problems.append(
            f"{label}: update_frequency {spec.get('update_frequency')!r} is not one of {UPDATE_FREQUENCIES}"
        )
    fields = spec.get("fields", {})
    if not isinstance(fields, Mapping):
        return [*problems, f"{label}: 'fields' must be a dict"]
    has_personal = False
    for name, value in fields.items():
        flabel = f"{label}.{name}"
        if not isinstance(value, tuple) or len(value) not in (3, 4):
            problems.append(f"{flabel}: must be (name_th, name_en, description[, overrides]) as a tuple")
            continue
        if not all(isinstance(v, str) and v.strip() for v in value[:3]):
            problems.append(f"{flabel}: Thai name, English name and description must be non-empty")
        overrides = value[3] if len(value) == 4 else {}
        if not isinstance(overrides, Mapping):
            problems.append(f"{flabel}: overrides must be a dict")
            continue
        for key in overrides:
            if key not in FIELD_OVERRIDES:
                problems.append(f"{flabel}: unknown override {key!r}")
        if overrides.get("personal", "") not in PERSONAL_CATEGORIES:
            problems.append(
                f"{flabel}: personal {overrides.get('personal')!r} is not one of {PERSONAL_CATEGORIES}"
            )
        has_personal = has_personal or bool(overrides.get("personal"))
        if "classification" in overrides and overrides["classification"] not in CLASSIFICATIONS:
            problems.append(
                f"{flabel}: classification {overrides['classification']!r} is not one of {CLASSIFICATIONS}"
            )
    if has_personal and isinstance(spec.get("lawful_basis"), str) and not spec["lawful_basis"]:
        problems.append(f"{label}: holds personal data but 'lawful_basis' is empty")
    return problems


def catalog_problems(registry: Apps | None = None) -> list[str]:
    """Invalid values in the installed apps' catalogs (wrong level, unknown frequency...)."""
    problems: list[str] = []
    for app_config in catalogued_app_configs(registry):
        datasets = app_datasets(app_config.name)
        for model_name, spec in (datasets or {}).items():
            problems.extend(_validate_dataset(f"{app_config.label}.{model_name}", spec))
        for label, spec in app_external_datasets(app_config.name).items():
            problems.extend(_validate_dataset(label, spec))
    return problems


# --- the two public questions -------------------------------------------------------------------


def _field_entry(f: models.Field[Any, Any], value: tuple[Any, ...], default_class: str) -> FieldEntry:
    overrides: Mapping[str, str] = value[3] if len(value) == 4 else {}
    personal = overrides.get("personal", "")
    if personal and CLASSIFICATIONS.index(default_class) < CLASSIFICATIONS.index("confidential"):
        # Personal data is at least confidential unless the entry says otherwise for the field.
        default_class = "confidential"
    return FieldEntry(
        name=f.name,
        name_th=value[0],
        name_en=value[1],
        description=value[2],
        data_type=_data_type(f),
        personal=personal,
        classification=overrides.get("classification", default_class),
    )


def catalog_entries(registry: Apps | None = None) -> list[DatasetEntry]:
    """Every documented dataset of the installed CODI apps, in app and model order.

    Fields follow the model's field order and carry their real data type; fields or models the
    catalog describes but the code no longer has are left out (``catalog_missing`` names them).
    Raises ``CatalogError`` when a catalog holds an invalid value.
    """
    problems = catalog_problems(registry)
    if problems:
        raise CatalogError(problems)
    entries: list[DatasetEntry] = []
    for app_config in catalogued_app_configs(registry):
        datasets = app_datasets(app_config.name) or {}
        for model in documented_models(app_config):
            spec = datasets.get(model.__name__)
            if spec is not None:
                entries.append(_dataset_entry(model, spec))
        for label, spec in app_external_datasets(app_config.name).items():
            external = _external_model(registry, label)
            if external is not None:
                entries.append(_dataset_entry(external, spec))
    return entries


def _dataset_entry(model: type[models.Model], spec: Mapping[str, Any]) -> DatasetEntry:
    field_specs: Mapping[str, tuple[Any, ...]] = spec["fields"]
    fields = [
        _field_entry(f, field_specs[f.name], spec["classification"])
        for f in documented_fields(model)
        if f.name in field_specs
    ]
    return DatasetEntry(
        app_label=model._meta.app_label,
        model_name=model.__name__,
        db_table=model._meta.db_table,
        name_th=spec["name_th"],
        name_en=spec["name_en"],
        description=spec["description"],
        owner_unit=spec["owner_unit"],
        steward=spec["steward"],
        classification=spec["classification"],
        lawful_basis=spec["lawful_basis"],
        source=spec["source"],
        update_frequency=spec["update_frequency"],
        retention=spec["retention"],
        personal=any(f.personal for f in fields),
        fields=fields,
    )


def model_missing(model: type[models.Model], spec: Mapping[str, Any] | None) -> list[str]:
    """What one model's catalog entry lacks, and which of its field entries name no field."""
    label = model._meta.label
    if spec is None:
        return [f"{label}: model has no catalog entry"]
    field_specs = spec.get("fields", {}) if isinstance(spec, Mapping) else {}
    names = [f.name for f in documented_fields(model)]
    missing = [f"{label}.{name}: field has no catalog entry" for name in names if name not in field_specs]
    stale = [
        f"{label}.{name}: catalog entry for a field that does not exist"
        for name in field_specs
        if name not in names
    ]
    return missing + stale


def catalog_missing(registry: Apps | None = None) -> list[str]:
    """Models and fields without a catalog entry, and entries for ones that no longer exist.

    One line per problem, ``app_label.Model[.field]: what is wrong``, grouped by app.
    """
    result: list[str] = []
    for app_config in catalogued_app_configs(registry):
        models_ = documented_models(app_config)
        datasets = app_datasets(app_config.name)
        if datasets is None:
            if models_:
                result.append(f"{app_config.label}: no catalog.py with DATASETS")
                result.extend(f"{m._meta.label}: model has no catalog entry" for m in models_)
            continue
        for model in models_:
            result.extend(model_missing(model, datasets.get(model.__name__)))
        names = {m.__name__ for m in models_}
        result.extend(
            f"{app_config.label}.{name}: catalog entry for a model that does not exist"
            for name in datasets
            if name not in names
        )
        for label, spec in app_external_datasets(app_config.name).items():
            external = _external_model(registry, label)
            if external is None:
                result.append(f"{app_config.label}: external catalog entry {label} names no installed model")
                continue
            names_ = {f.name for f in documented_fields(external)}
            result.extend(
                f"{app_config.label}: external catalog entry {label}.{name} names a field that does not exist"
                for name in spec.get("fields", {})
                if name not in names_
            )
    return result


def missing_by_app(lines: Iterable[str]) -> dict[str, list[str]]:
    """``catalog_missing()`` lines grouped by app label (for readable test failures)."""
    grouped: dict[str, list[str]] = {}
    for line in lines:
        grouped.setdefault(line.split(".", 1)[0].split(":", 1)[0], []).append(line)
    return grouped


def dataset_entry(label: str) -> DatasetEntry | None:
    """One dataset by ``app_label.ModelName``, or None."""
    for entry in catalog_entries():
        if entry.label == label:
            return entry
    return None


def dataset(
    name_th: str,
    name_en: str,
    description: str,
    fields: dict[str, Any],
    *,
    owner_unit: str,
    steward: str,
    retention: str,
    classification: str = "internal",
    lawful_basis: str = "",
    source: str = "",
    update_frequency: str = "real-time",
) -> dict[str, Any]:
    """One app's dataset entry (its ``DATASETS[model]``) in the shape ``_validate_dataset`` checks;
    apps bind their owner unit, steward and retention once and call it per model."""
    return {
        "name_th": name_th, "name_en": name_en, "description": description, "owner_unit": owner_unit,
        "steward": steward, "classification": classification, "lawful_basis": lawful_basis, "source": source,
        "update_frequency": update_frequency, "retention": retention, "fields": fields,
    }  # fmt: skip


# --- this app's own entries (the catalog documents itself too) ---------------------------------

_P = {"personal": "general"}
_GOV = "คณะทำงานธรรมาภิบาลข้อมูล (สำนักงานใหญ่)"

DATASETS = {
    "CodeList": {
        "name_th": "รายการรหัสอ้างอิง",
        "name_en": "Reference code list",
        "description": "Code lists managed by data stewards (lists in the code are documented automatically).",
        "owner_unit": _GOV,
        "steward": "data steward of the list's owning unit",
        "classification": "public",
        "lawful_basis": "",
        "source": "entered by data stewards",
        "update_frequency": "on change",
        "retention": "permanent",
        "fields": {
            "key": ("รหัสรายการ", "Key", "Unique key of the list"),
            "name_th": ("ชื่อรายการ (ไทย)", "Thai name", "Name of the list"),
            "name_en": ("ชื่อรายการ (อังกฤษ)", "English name", "Name of the list in English"),
            "description": ("คำอธิบาย", "Description", "What the list is for"),
            "owner_unit": ("หน่วยงานเจ้าของ", "Owning unit", "Unit responsible for the list"),
            "updated_at": ("วันที่แก้ไข", "Updated at", "Last change"),
        },
    },
    "Code": {
        "name_th": "รหัสอ้างอิง",
        "name_en": "Reference code",
        "description": "One code of a managed code list.",
        "owner_unit": _GOV,
        "steward": "data steward of the list's owning unit",
        "classification": "public",
        "lawful_basis": "",
        "source": "entered by data stewards",
        "update_frequency": "on change",
        "retention": "permanent (codes are deactivated, never deleted)",
        "fields": {
            "code_list": ("รายการ", "Code list", "The list the code belongs to"),
            "code": ("รหัส", "Code", "The stored value"),
            "label_th": ("ชื่อ (ไทย)", "Thai label", "Label shown in Thai"),
            "label_en": ("ชื่อ (อังกฤษ)", "English label", "Label shown in English"),
            "description": ("คำอธิบาย", "Description", "When to use the code"),
            "sort_order": ("ลำดับ", "Order", "Order in lists"),
            "is_active": ("ใช้งาน", "In use", "False when the code may no longer be chosen"),
        },
    },
    "OrganizationMerge": {
        "name_th": "บันทึกการรวมองค์กรซ้ำ",
        "name_en": "Organization merge record",
        "description": "A duplicate organization folded into its survivor, with what was moved or removed.",
        "owner_unit": _GOV,
        "steward": "data steward for organizations",
        "classification": "internal",
        "lawful_basis": "public task (PDPA s.24(4)): keeping the registry accurate (PDPA s.35)",
        "source": "written by the merge service",
        "update_frequency": "on change",
        "retention": "10 years",
        "fields": {
            "survivor": ("องค์กรที่คงอยู่", "Survivor", "The organization kept"),
            "merged_id": ("รหัสองค์กรที่ถูกรวม", "Merged organization id", "Id of the removed duplicate"),
            "merged_name": ("ชื่อองค์กรที่ถูกรวม", "Merged organization name", "Name of the removed duplicate"),
            "merged_registration_no": (
                "เลขทะเบียนองค์กรที่ถูกรวม",
                "Merged registration number",
                "Its registration number",
            ),
            "merged_snapshot": ("ข้อมูลเดิม", "Snapshot", "The duplicate's fields; personal ones masked"),
            "moved": ("จำนวนที่ย้าย", "Moved", "Rows re-pointed, per referencing field"),
            "dropped": (
                "แถวที่ตัดออก",
                "Dropped",
                "Rows removed as repeats of the survivor's (e.g. the same person's membership); personal fields masked",
                _P,
            ),
            "reason": ("เหตุผล", "Reason", "Why they were merged"),
            "merged_by": ("ผู้รวม", "Merged by", "Steward who merged", _P),
            "merged_at": ("วันที่รวม", "Merged at", "When"),
        },
    },
    "DuplicateDismissal": {
        "name_th": "คู่องค์กรที่ยืนยันว่าไม่ซ้ำ",
        "name_en": "Dismissed duplicate pair",
        "description": "Two similar organizations a steward confirmed are different.",
        "owner_unit": _GOV,
        "steward": "data steward for organizations",
        "classification": "internal",
        "lawful_basis": "public task (PDPA s.24(4))",
        "source": "steward decisions",
        "update_frequency": "on change",
        "retention": "while both organizations exist",
        "fields": {
            "first_id": ("รหัสองค์กรที่ 1", "First organization", "Smaller id of the pair"),
            "second_id": ("รหัสองค์กรที่ 2", "Second organization", "Larger id of the pair"),
            "note": ("หมายเหตุ", "Note", "Why they are different"),
            "dismissed_by": ("ผู้ยืนยัน", "Dismissed by", "Steward", _P),
            "dismissed_at": ("วันที่ยืนยัน", "Dismissed at", "When"),
        },
    },
    "QualityRun": {
        "name_th": "รอบการตรวจคุณภาพข้อมูล",
        "name_en": "Data-quality run",
        "description": "One run of every registered data-quality rule.",
        "owner_unit": _GOV,
        "steward": "data governance officer",
        "classification": "internal",
        "lawful_basis": "public task (PDPA s.24(4))",
        "source": "manage.py run_quality_checks, the scheduled task or the quality page",
        "update_frequency": "daily",
        "retention": "2 years",
        "fields": {
            "started_at": ("เวลาเริ่ม", "Started at", "When the run began"),
            "finished_at": ("เวลาเสร็จ", "Finished at", "When it ended"),
            "triggered_by": ("ผู้สั่งตรวจ", "Triggered by", "User who started it; empty for the scheduler", _P),
            "trigger": ("วิธีเริ่ม", "Trigger", "command, task or page"),
        },
    },
    "QualityResult": {
        "name_th": "ผลการตรวจตามกฎคุณภาพ",
        "name_en": "Data-quality rule result",
        "description": "How many records one rule checked and how many failed, in one run.",
        "owner_unit": _GOV,
        "steward": "data governance officer",
        "classification": "internal",
        "lawful_basis": "",
        "source": "the quality runner",
        "update_frequency": "daily",
        "retention": "2 years",
        "fields": {
            "run": ("รอบการตรวจ", "Run", "The run"),
            "dataset": ("ชุดข้อมูล", "Dataset", "app_label.Model checked"),
            "rule_key": ("รหัสกฎ", "Rule", "Key of the rule"),
            "dimension": ("มิติคุณภาพ", "Dimension", "Completeness, validity, consistency or timeliness"),
            "description": ("คำอธิบายกฎ", "Description", "What the rule checks"),
            "checked": ("จำนวนที่ตรวจ", "Checked", "Records checked"),
            "failed": ("จำนวนที่ไม่ผ่าน", "Failed", "Records that failed"),
            "error": ("ข้อผิดพลาด", "Error", "Why the rule could not run, if it could not"),
        },
    },
    "QualityScore": {
        "name_th": "คะแนนคุณภาพข้อมูลรายชุด",
        "name_en": "Dataset quality score",
        "description": "A dataset's share of passed checks in one run, kept as a history.",
        "owner_unit": _GOV,
        "steward": "data governance officer",
        "classification": "internal",
        "lawful_basis": "",
        "source": "the quality runner",
        "update_frequency": "daily",
        "retention": "5 years (trend)",
        "fields": {
            "run": ("รอบการตรวจ", "Run", "The run"),
            "dataset": ("ชุดข้อมูล", "Dataset", "app_label.Model"),
            "checked": ("จำนวนการตรวจ", "Checks", "Checks made over all rules"),
            "failed": ("จำนวนไม่ผ่าน", "Failed", "Checks failed"),
            "score": ("คะแนน", "Score", "Percent of checks passed"),
            "measured_at": ("เวลาวัด", "Measured at", "When"),
        },
    },
    "QualityFailure": {
        "name_th": "ระเบียนที่ไม่ผ่านกฎคุณภาพ",
        "name_en": "Failing record",
        "description": "A record that failed a rule (first 200 per rule and run), for the steward to fix.",
        "owner_unit": _GOV,
        "steward": "steward of the dataset in the record's area",
        "classification": "internal",
        "lawful_basis": "public task (PDPA s.24(4)): accuracy of personal data (PDPA s.35)",
        "source": "the quality runner",
        "update_frequency": "daily",
        "retention": "2 years",
        "fields": {
            "result": ("ผลการตรวจ", "Result", "Rule result it belongs to"),
            "object_id": (
                "รหัสระเบียน",
                "Record id",
                "Id of the failing record (may identify a person's record)",
                _P,
            ),
            "subdistrict": ("ตำบล", "Subdistrict", "Area of the record, for scoping"),
            "message": ("ข้อความ", "Message", "What is wrong (never the value itself)"),
        },
    },
    "AIModelReview": {
        "name_th": "การทบทวนโมเดล AI",
        "name_en": "AI model review",
        "description": "Reviews of registered AI model versions by the DPO or the governance committee.",
        "owner_unit": _GOV,
        "steward": "data protection officer",
        "classification": "internal",
        "lawful_basis": "public task (PDPA s.24(4))",
        "source": "entered on the model-card page",
        "update_frequency": "on change",
        "retention": "permanent",
        "fields": {
            "model_key": ("รหัสโมเดล", "Model key", "Key in the AI register"),
            "version": ("รุ่น", "Version", "Version reviewed"),
            "reviewed_on": ("วันที่ทบทวน", "Reviewed on", "Date of the review"),
            "outcome": ("ผลการทบทวน", "Outcome", "Approved, approved with changes, suspended"),
            "notes": ("บันทึก", "Notes", "Findings and required changes"),
            "reviewer": ("ผู้ทบทวน", "Reviewer", "Who reviewed", _P),
            "created_at": ("วันที่บันทึก", "Recorded at", "When the review was entered"),
        },
    },
}
