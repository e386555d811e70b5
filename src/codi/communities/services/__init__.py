"""Writes to the community registry: organizations, members, imports.

Each service checks the actor's permission for the area first, validates,
then writes and appends its audit entry in one transaction. Personal fields
reach the audit trail masked.
"""

from __future__ import annotations

from codi.communities.services.common import (
    IMPORT_OBJECT,
    MEMBERSHIP_OBJECT,
    NOT_PERMITTED,
    ORG_OBJECT,
    PERSON_OBJECT,
    PERSON_PERSONAL_FIELDS,
    log,
)
from codi.communities.services.imports import (
    IMPORT_STORAGE_DIR,
    STALE_AFTER,
    import_files_purge,
    import_job_cancel,
    import_job_check,
    import_job_commit,
    import_job_create,
    import_job_request_commit,
    import_job_retry,
    import_max_bytes,
)
from codi.communities.services.organizations import (
    BOUNDARY_MARGIN_KM,
    ORG_EDITABLE,
    location_check,
    organization_create,
    organization_reindex_names,
    organization_update,
)
from codi.communities.services.persons import (
    PERSON_EDITABLE,
    membership_add,
    membership_end,
    person_create,
    person_update,
)

__all__ = [
    "BOUNDARY_MARGIN_KM",
    "IMPORT_OBJECT",
    "IMPORT_STORAGE_DIR",
    "MEMBERSHIP_OBJECT",
    "NOT_PERMITTED",
    "ORG_EDITABLE",
    "ORG_OBJECT",
    "PERSON_EDITABLE",
    "PERSON_OBJECT",
    "PERSON_PERSONAL_FIELDS",
    "STALE_AFTER",
    "import_files_purge",
    "import_job_cancel",
    "import_job_check",
    "import_job_commit",
    "import_job_create",
    "import_job_request_commit",
    "import_job_retry",
    "import_max_bytes",
    "location_check",
    "log",
    "membership_add",
    "membership_end",
    "organization_create",
    "organization_reindex_names",
    "organization_update",
    "person_create",
    "person_update",
]
