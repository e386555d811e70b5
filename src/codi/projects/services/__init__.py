"""Writes of community projects (CODI PMS): programs, budget lines, the project process, money, reports.

Every function takes keyword-only arguments and an ``actor``, checks the actor's role
and area scope itself (``PermissionDenied``), validates, then writes in one transaction
together with its audit entry. A refused change raises ``ProjectError`` before anything
is written (or inside the transaction, which then rolls back): nothing is half-written.

``ProjectError`` is a ``ValidationError`` whose message is Thai; the English text is in
``error.message_en`` (also ``error.params["en"]``) and ``error.code`` names the rule
(e.g. ``"below_disbursed"``, ``"insufficient_balance"``), so pages show Thai and the API
can give both.

Money moves lock rows in one order — project, installment, budget line — with
``select_for_update`` so concurrent requests queue instead of paying twice. The budget
line's running totals (committed, disbursed, returned) always equal the sums of the rows:
committed = live planned installments of approved projects, disbursed = disbursements,
returned = fund returns.

Process transitions go through ``codi.projects.workflow`` (SpiffWorkflow); notifications
(in-app + e-mail) are sent after commit.
"""

from __future__ import annotations

from codi.projects.services.closure import (
    project_cancel,
    project_close,
)
from codi.projects.services.common import (
    CENT,
    EDITABLE_STEP,
    FINISHED,
    MAX_MONEY,
    MAX_UPLOAD_BYTES,
    TYPE_FIELDS,
    ActivityInput,
    BeneficiaryInput,
    BudgetItemInput,
    ExpenseInput,
    IndicatorInput,
    InstallmentPlan,
    PhotoInput,
    ProjectError,
    ResultInput,
    T,
    TargetInput,
    _can_in_region,
    _coerce,
    _deny,
    _fiscal_year,
    _locked_line,
    _money,
    _Pending,
    _planned,
    _project_error,
    _region_of,
    _require,
    _require_community_or_officer,
    _save_project,
    _text,
    is_portal_member,
)
from codi.projects.services.money import (
    _project_paid,
    approved_amount_reduce,
    budget_line_allocate,
    fund_return_record,
    installment_disburse,
    program_create,
)
from codi.projects.services.process import (
    _advance,
    _after_commit,
    _at_step,
    _enqueue_notifications,
    _enqueue_overdue,
    _lock_project,
    steps_remind_overdue,
)
from codi.projects.services.proposals import (
    _UPDATABLE,
    _check_scalar_fields,
    _Children,
    _clean_children,
    _clean_type_details,
    _write_children,
    project_create,
    project_submit,
    project_update,
)
from codi.projects.services.reports import (
    _check_upload,
    report_review,
    report_submit,
    sniff_content_type,
)
from codi.projects.services.review import (
    _review,
    project_agreement_sign,
    project_approve,
    project_committee_review,
    project_screen,
)

__all__ = [
    "CENT",
    "EDITABLE_STEP",
    "FINISHED",
    "MAX_MONEY",
    "MAX_UPLOAD_BYTES",
    "TYPE_FIELDS",
    "_UPDATABLE",
    "ActivityInput",
    "BeneficiaryInput",
    "BudgetItemInput",
    "ExpenseInput",
    "IndicatorInput",
    "InstallmentPlan",
    "PhotoInput",
    "ProjectError",
    "ResultInput",
    "T",
    "TargetInput",
    "_Children",
    "_Pending",
    "_advance",
    "_after_commit",
    "_at_step",
    "_can_in_region",
    "_check_scalar_fields",
    "_check_upload",
    "_clean_children",
    "_clean_type_details",
    "_coerce",
    "_deny",
    "_enqueue_notifications",
    "_enqueue_overdue",
    "_fiscal_year",
    "_lock_project",
    "_locked_line",
    "_money",
    "_planned",
    "_project_error",
    "_project_paid",
    "_region_of",
    "_require",
    "_require_community_or_officer",
    "_review",
    "_save_project",
    "_text",
    "_write_children",
    "approved_amount_reduce",
    "budget_line_allocate",
    "fund_return_record",
    "installment_disburse",
    "is_portal_member",
    "program_create",
    "project_agreement_sign",
    "project_approve",
    "project_cancel",
    "project_close",
    "project_committee_review",
    "project_create",
    "project_screen",
    "project_submit",
    "project_update",
    "report_review",
    "report_submit",
    "sniff_content_type",
    "steps_remind_overdue",
]
