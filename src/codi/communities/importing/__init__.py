"""Import of organizations and members from .xlsx or CSV: check every row, then write all or nothing.

Two passes over the same file:

- **check** (the dry run): read the rows in batches, validate each cell, look
  up organizations and existing persons a batch at a time, and collect the
  errors by row and column. Nothing is written.
- **write**: check again (never trust an earlier run), keep the prepared rows
  in memory (about 1 KB per member row; files are capped at ``MAX_ROWS``),
  and only when no row has an error, write them in one transaction with
  ``bulk_create``/``bulk_update`` in batches. The database is locked only for
  the write itself, not while the file is read and checked.

Re-importing a file updates rows, never duplicates them: members are keyed by
the blind index of their national ID, organizations by registration number;
rows equal to what is stored are left alone (no write, no audit entry).

Row numbers are the spreadsheet's own (the header is usually row 1), so a
report's "แถว 1,204" is the row a person sees in Excel.
"""

from __future__ import annotations

from codi.communities.importing.common import (
    BATCH_SIZE,
    GENDERS,
    MAX_ROWS,
    MEMBER_COLUMNS,
    ORG_TYPES,
    ORGANIZATION_COLUMNS,
    PREVIEW_ROWS,
    ROLES,
    STATUSES,
    Column,
    Outcome,
    Progress,
    ProgressCallback,
    RowError,
    _Reader,
    _text,
    error_text,
)
from codi.communities.importing.member_rows import (
    MEMBERSHIP_INSERT,
    PERSON_INSERT,
    MemberRow,
    person_insert_values,
)
from codi.communities.importing.members import MemberImport
from codi.communities.importing.organizations import (
    ORG_FIELDS,
    OrganizationImport,
    OrganizationRow,
)

# codi.projects.importing builds its project import on the same reader.
__all__ = [
    "BATCH_SIZE",
    "GENDERS",
    "MAX_ROWS",
    "MEMBERSHIP_INSERT",
    "MEMBER_COLUMNS",
    "ORGANIZATION_COLUMNS",
    "ORG_FIELDS",
    "ORG_TYPES",
    "PERSON_INSERT",
    "PREVIEW_ROWS",
    "ROLES",
    "STATUSES",
    "Column",
    "MemberImport",
    "MemberRow",
    "OrganizationImport",
    "OrganizationRow",
    "Outcome",
    "Progress",
    "ProgressCallback",
    "RowError",
    "_Reader",
    "_text",
    "error_text",
    "person_insert_values",
]
