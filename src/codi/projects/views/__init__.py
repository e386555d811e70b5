"""Pages of community projects, by concern: lists and dashboard, one project and its printouts,
the process actions, the portal with the proposal and report forms, the legacy import. Thin:
reads through ``selectors``/``reporting``, writes through ``services``."""

from __future__ import annotations

from codi.projects.views.actions import (
    project_action,
)
from codi.projects.views.files import (
    attachment_file,
    photo_file,
    receipt_file,
)
from codi.projects.views.legacy_import import (
    import_page,
)
from codi.projects.views.lists import (
    budget_lines,
    dashboard,
    dashboard_export,
    inbox,
    overdue,
    project_export,
    project_list,
)
from codi.projects.views.portal import (
    portal,
    proposal_create,
    proposal_edit,
    report_create,
)
from codi.projects.views.project import (
    baht_words,
    disbursement_receipt_pdf,
    process_diagram,
    project_agreement_pdf,
    project_detail,
    project_summary_pdf,
)

__all__ = [
    "attachment_file",
    "baht_words",
    "budget_lines",
    "dashboard",
    "dashboard_export",
    "disbursement_receipt_pdf",
    "import_page",
    "inbox",
    "overdue",
    "photo_file",
    "portal",
    "process_diagram",
    "project_action",
    "project_agreement_pdf",
    "project_detail",
    "project_export",
    "project_list",
    "project_summary_pdf",
    "proposal_create",
    "proposal_edit",
    "receipt_file",
    "report_create",
]
