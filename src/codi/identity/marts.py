"""The org-unit dimension of the analytics store (read-only; only the identity app's tables).

One row per CODI unit (code, names, parent), so the ``org_unit`` column of ledger lines, budget
lines, payroll cost and training joins to names. See ``codi.core.marts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codi.core.marts import Column, MartSource
from codi.identity.models import OrgUnit

_UNITS = (
    ("code", "str", "identity.OrgUnit.code", "code"),
    ("name_th", "str", "identity.OrgUnit.name_th", "name_th"),
    ("name_en", "str", "identity.OrgUnit.name_en", "name_en"),
    ("parent", "str", "identity.OrgUnit.code via OrgUnit.parent", "parent__code"),
)


def org_units(after: Any) -> Iterator[tuple[Any, ...]]:
    return OrgUnit.objects.order_by("code").values_list(*[f[3] for f in _UNITS]).iterator()


MARTS = [
    MartSource(
        name="org_units",
        title_en="Org units",
        app_label="identity",
        selector="codi.identity.marts.org_units",
        columns=tuple(Column(n, k, s) for n, k, s, _f in _UNITS),
        rows=org_units,
        key="code",
        kind="dimension",
    ),
]
