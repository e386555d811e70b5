"""Reference code lists in one place.

Lists that live in the code as ``TextChoices`` (program kinds, budget categories, beneficiary
groups, ticket categories, ...) stay there: they are found here automatically from every CODI
model field with choices, so the list page documents them without copying them. Lists that are
not in the code (e.g. co-funding sources) are ``CodeList`` rows managed by the data stewards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import translation

from codi.governance.models import CodeList


@dataclass(frozen=True)
class CodeItem:
    code: str
    label_th: str
    label_en: str
    is_active: bool = True
    description: str = ""


@dataclass
class CodeListInfo:
    key: str
    name_th: str
    name_en: str
    source: str  # "code" (a TextChoices of a model field) or "managed" (a CodeList row)
    used_by: list[str] = field(default_factory=list)
    codes: list[CodeItem] = field(default_factory=list)
    description: str = ""
    pk: int | None = None


def _labels(choices: list[tuple[object, object]]) -> list[CodeItem]:
    items = []
    for value, label in choices:
        with translation.override("th"):
            th = str(label)
        with translation.override("en"):
            en = str(label)
        items.append(CodeItem(str(value), th, en))
    return items


def code_lists_in_code() -> list[CodeListInfo]:
    """One list per distinct set of choices used by CODI model fields (fields sharing it are listed)."""
    by_values: dict[tuple[str, ...], CodeListInfo] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("codi."):
            continue
        for model in config.get_models():
            for f in model._meta.get_fields():
                if not isinstance(f, models.Field) or not f.choices or f.is_relation:
                    continue
                choices = [(v, lbl) for v, lbl in f.flatchoices]
                values = tuple(str(v) for v, _ in choices)
                label = f"{model._meta.label}.{f.name}"
                info = by_values.get(values)
                if info is None:
                    with translation.override("th"):
                        name_th = f"{model._meta.verbose_name}: {f.verbose_name}"
                    with translation.override("en"):
                        name_en = f"{model._meta.verbose_name}: {f.verbose_name}"
                    info = CodeListInfo(
                        key=label, name_th=name_th, name_en=name_en, source="code", codes=_labels(choices)
                    )
                    by_values[values] = info
                info.used_by.append(label)
    return sorted(by_values.values(), key=lambda i: i.key)


def managed_code_lists() -> list[CodeListInfo]:

    out = []
    for code_list in CodeList.objects.prefetch_related("codes").order_by("key"):
        out.append(
            CodeListInfo(
                key=code_list.key,
                name_th=code_list.name_th,
                name_en=code_list.name_en,
                source="managed",
                description=code_list.description,
                pk=code_list.pk,
                codes=[
                    CodeItem(c.code, c.label_th, c.label_en, c.is_active, c.description)
                    for c in code_list.codes.all()
                ],
            )
        )
    return out
