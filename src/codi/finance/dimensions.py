"""Analysis dimensions carried by every journal line: org unit (cost centre), fund / source of
money, program, project, CODI region and province.

A posting names them per line (``LineSpec.dimensions``) or for the whole entry (``entry_post``'s
``dimensions``); whatever is still blank is filled from the line's budget line (its unit, region,
program and fund). So a PMS disbursement's lines carry the program and region of the PMS budget
line, the project code and the project's province, and a procurement invoice charged to a
budget line carries that line's unit, program and fund without the caller naming them.

Values are codes (``OrgUnit.code``, ``Region.code``, the 2-digit province code, the program and
project codes), so reports group and filter on plain columns with no join.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The journal line's columns for each dimension (JournalLine.<column>).
COLUMNS = {
    "org_unit": "org_unit",
    "fund": "fund",
    "program": "program",
    "project": "project",
    "region": "region",
    "province": "province",
}
LABELS_TH = {
    "org_unit": "หน่วยงาน (ศูนย์ต้นทุน)",
    "fund": "แหล่งเงิน",
    "program": "แผนงาน/โครงการหลัก",
    "project": "โครงการ",
    "region": "ภาค",
    "province": "จังหวัด",
}
MAX_LENGTH = 100


class Fund(models.TextChoices):
    """Where the money comes from (แหล่งเงิน)."""

    SUBSIDY = "subsidy", _("Government subsidy (เงินอุดหนุนรัฐบาล)")
    OWN_INCOME = "own_income", _("Own income (เงินรายได้)")
    REVOLVING = "revolving", _("Revolving fund (เงินทุนหมุนเวียน)")


class DimensionError(ValueError):
    """A dimension value that cannot be stored (unknown fund, too long)."""


@dataclass(frozen=True)
class Dimensions:
    org_unit: str = ""
    fund: str = ""
    program: str = ""
    project: str = ""
    region: str = ""
    province: str = ""

    @classmethod
    def of(cls, value: Dimensions | Mapping[str, Any] | None) -> Dimensions:
        """``value`` as Dimensions: a Dimensions, a mapping of dimension → code, or None (none)."""
        if value is None:
            return cls()
        if isinstance(value, Dimensions):
            return value
        unknown = set(value) - set(COLUMNS)
        if unknown:
            raise DimensionError(f"unknown dimension: {', '.join(sorted(unknown))}")
        return cls(**{k: str(v or "").strip() for k, v in value.items()})

    def filled_from(self, other: Dimensions) -> Dimensions:
        """These dimensions with the blank ones taken from ``other``."""
        return replace(
            self, **{f.name: getattr(other, f.name) for f in fields(self) if not getattr(self, f.name)}
        )

    def check(self) -> Dimensions:
        if self.fund and self.fund not in Fund.values:
            raise DimensionError(f"unknown fund: {self.fund}")
        for f in fields(self):
            if len(getattr(self, f.name)) > MAX_LENGTH:
                raise DimensionError(f"{f.name} is longer than {MAX_LENGTH} characters")
        return self

    def as_columns(self) -> dict[str, str | None]:
        """The journal line's column values (None where blank)."""
        return {COLUMNS[f.name]: getattr(self, f.name) or None for f in fields(self)}

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def line_condition(dimensions: Dimensions | Mapping[str, Any] | None, *, prefix: str = "") -> Q:
    """A condition on journal lines (``prefix`` e.g. ``"lines__"`` from entries) for the given values."""
    dims = Dimensions.of(dimensions)
    return Q(**{f"{prefix}{COLUMNS[name]}": value for name, value in dims.as_dict().items()})


def from_query(params: Mapping[str, Any]) -> Dimensions:
    """The dimension filter of a page or API query string (unknown funds and long values dropped)."""
    values = {}
    for name in COLUMNS:
        value = str(params.get(name, "") or "").strip()
        if value and len(value) <= MAX_LENGTH and (name != "fund" or value in Fund.values):
            values[name] = value
    return Dimensions(**values)


def of_budget_line(line: Any) -> Dimensions:
    """The dimensions a budget line gives the lines charged to it."""
    return Dimensions(
        org_unit=line.unit.code if line.unit_id else "",
        fund=line.fund or "",
        program=line.plan or "",
        region=line.region_id or "",
    )
