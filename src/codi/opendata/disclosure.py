"""Disclosure control before publishing: no personal columns, and k-anonymity for record-level data."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from codi.opendata.builders import Column

# Column names that identify a person whatever the builder declares (matched as whole words of the
# column id, so "subdistrict_code" passes and "contact_phone" does not).
PERSONAL_NAME_WORDS = frozenset(
    {
        "national_id",
        "citizen_id",
        "id_card",
        "passport",
        "phone",
        "mobile",
        "telephone",
        "email",
        "line_id",
        "address",
        "birth_date",
        "date_of_birth",
        "dob",
        "first_name",
        "last_name",
        "full_name",
        "person_name",
        "tax_id",
        "bank_account",
    }
)


def personal_columns(columns: Sequence[Column]) -> list[str]:
    """Ids of the columns that are personal: declared so, or named like personal data."""
    found = []
    for column in columns:
        words = column.id.split("_")
        joined = {"_".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
        if column.personal or joined & PERSONAL_NAME_WORDS:
            found.append(column.id)
    return found


@dataclass(frozen=True)
class KAnonymityResult:
    smallest_class_size: int
    combination: dict[str, Any]  # the quasi-identifier values of the smallest class
    classes: int

    def passes(self, k: int) -> bool:
        return self.smallest_class_size >= k


def quasi_identifier_problems(quasi_identifiers: Sequence[str], columns: Sequence[Column]) -> list[str]:
    ids = {c.id for c in columns}
    return [qi for qi in quasi_identifiers if qi not in ids or not re.match(r"^[a-z][a-z0-9_]*$", qi)]
