"""Writes of the PDPA module: notices, consents, data-subject requests, breaches, retention runs.

Every service checks ``can_manage_privacy`` (unless the caller is the system:
``actor=None`` from a management command or a task), validates, then writes and
appends its audit entry in one transaction. Audit entries about a person use
``object_type="privacy.<entity>"`` and ``object_id="person:<id>…"`` so an access
request finds them, and hold no personal values.
"""

from __future__ import annotations

from codi.privacy.services.breaches import (
    breach_assess,
    breach_close,
    breach_notify_regulator,
    breach_notify_subjects,
    breach_record,
)
from codi.privacy.services.common import (
    MAX_EXTENSION_DAYS,
    NOT_PERMITTED,
    UNKNOWN_PERSON,
    UnknownPersonError,
)
from codi.privacy.services.consent import (
    consent_record,
    consent_withdraw,
    newsletter_send,
    notice_publish,
    person_notify,
)
from codi.privacy.services.erasure import (
    ErasureResult,
    dsr_erase,
    dsr_restrict,
    person_erase,
    restriction_lift,
)
from codi.privacy.services.register import (
    activity_save,
    retention_policy_set,
    retention_run,
)
from codi.privacy.services.requests import (
    RECTIFIABLE,
    dsr_access,
    dsr_command_request,
    dsr_create,
    dsr_export_pdf,
    dsr_extend,
    dsr_rectify,
    dsr_refuse,
    dsr_remind_due,
    dsr_verify_identity,
    person_export,
    person_for,
)

__all__ = [
    "MAX_EXTENSION_DAYS",
    "NOT_PERMITTED",
    "RECTIFIABLE",
    "UNKNOWN_PERSON",
    "ErasureResult",
    "UnknownPersonError",
    "activity_save",
    "breach_assess",
    "breach_close",
    "breach_notify_regulator",
    "breach_notify_subjects",
    "breach_record",
    "consent_record",
    "consent_withdraw",
    "dsr_access",
    "dsr_command_request",
    "dsr_create",
    "dsr_erase",
    "dsr_export_pdf",
    "dsr_extend",
    "dsr_rectify",
    "dsr_refuse",
    "dsr_remind_due",
    "dsr_restrict",
    "dsr_verify_identity",
    "newsletter_send",
    "notice_publish",
    "person_erase",
    "person_export",
    "person_for",
    "person_notify",
    "restriction_lift",
    "retention_policy_set",
    "retention_run",
]
