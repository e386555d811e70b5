"""Roles, what each may do, and the levels an assignment can be scoped to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    EXECUTIVE = "executive", _("Executive")
    REGIONAL_DIRECTOR = "regional_director", _("Regional director")
    PROJECT_OFFICER = "project_officer", _("Project officer")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    CHIEF_ACCOUNTANT = "chief_accountant", _("Chief accountant")
    PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")
    HR_OFFICER = "hr_officer", _("HR officer")
    INTERNAL_AUDITOR = "internal_auditor", _("Internal auditor")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")
    KNOWLEDGE_OFFICER = "knowledge_officer", _("Knowledge officer")
    COMMUNITY_LEADER = "community_leader", _("Community leader")
    PARTNER_AGENCY = "partner_agency", _("Partner agency (API client)")


class ScopeLevel(models.TextChoices):
    COUNTRY = "country", _("Whole country")
    REGION = "region", _("CODI region")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict")


# Roles outside CODI's staff do not need a second factor; every staff role does.
EXTERNAL_ROLES = frozenset({Role.COMMUNITY_LEADER, Role.PARTNER_AGENCY})


class Perm:
    """Capabilities. A role grants a set of them; a scope limits where they apply."""

    USERS_MANAGE = "identity.manage_users"
    AUDIT_VIEW = "core.view_audit"
    AREAS_VIEW = "areas.view"
    AREAS_MANAGE = "areas.manage"
    ORGS_VIEW = "communities.view_organization"
    ORGS_MANAGE = "communities.manage_organization"
    PERSONAL_DATA_VIEW = "communities.view_personal_data"
    KNOWLEDGE_VIEW = "knowledge.view"
    KNOWLEDGE_MANAGE = "knowledge.manage"
    # Read the knowledge library and take part in the question-and-answer board.
    KNOWLEDGE_SHARE = "knowledge.share"
    FEEDBACK_VIEW = "feedback.view"
    FEEDBACK_MANAGE = "feedback.manage"
    # Saraban (electronic correspondence): use the register; which letters a user sees is decided
    # per letter (unit, routing, secrecy) in codi.correspondence.selectors, not by area.
    CORRESPONDENCE_USE = "correspondence.use"
    PRIVACY_MANAGE = "privacy.manage"
    # Community projects (PMS): read; screen/review/agreements; committee review and approval; pay.
    PROJECTS_VIEW = "projects.view"
    PROJECTS_MANAGE = "projects.manage"
    PROJECTS_APPROVE = "projects.approve"
    PROJECTS_DISBURSE = "projects.disburse"
    # Open data: publish, refresh and unpublish datasets (the public reads them without a login).
    OPENDATA_MANAGE = "opendata.manage"
    # Data governance: read the catalog, quality scores, master data and AI register; manage them.
    GOVERNANCE_VIEW = "governance.view"
    GOVERNANCE_MANAGE = "governance.manage"
    # Documents: read public/internal ones in scope; read confidential ones in scope; upload and edit.
    # Secret documents are open to their named readers only (codi.documents.access).
    DOCUMENTS_VIEW = "documents.view"
    DOCUMENTS_VIEW_CONFIDENTIAL = "documents.view_confidential"
    DOCUMENTS_MANAGE = "documents.manage"
    # E-signatures: request one's own signing certificate and sign (staff, after MFA); run the PKI
    # (list every certificate, issue and revoke for others). Verifying a PDF needs only a sign-in.
    SIGNATURES_SIGN = "signatures.sign"
    SIGNATURES_MANAGE = "signatures.manage"
    # Finance (codi.finance): read the books; prepare vouchers, pay and reconcile; check vouchers and
    # keep the chart and budget (chief accountant); approve above the chief accountant's limit.
    FINANCE_VIEW = "finance.view"
    FINANCE_MANAGE = "finance.manage"
    FINANCE_CHECK = "finance.check"
    FINANCE_APPROVE = "finance.approve"
    # Procurement and assets (codi.procurement): read; request (write a procurement report);
    # run procurement, keep the asset register and counts (procurement officer); approve reports.
    PROCUREMENT_VIEW = "procurement.view"
    PROCUREMENT_REQUEST = "procurement.request"
    PROCUREMENT_MANAGE = "procurement.manage"
    PROCUREMENT_APPROVE = "procurement.approve"
    # People (codi.people): HR reads and keeps employee records in their unit's scope, sees the
    # unmasked personal data (each view audited); payroll runs are approved by someone else.
    # Every employee sees their own record, leave and payslips without any of these.
    PEOPLE_VIEW = "people.view"
    PEOPLE_MANAGE = "people.manage"
    PEOPLE_PERSONAL_DATA = "people.view_personal_data"
    PAYROLL_APPROVE = "people.approve_payroll"
    # Community lending (codi.lending): read loans and the portfolio; apply, review and record
    # (credit officer); decide as the credit committee; disburse and receive repayments (finance).
    LENDING_VIEW = "lending.view"
    LENDING_MANAGE = "lending.manage"
    LENDING_APPROVE = "lending.approve"
    LENDING_CASH = "lending.cash"
    # e-Audit (codi.audit, label eaudit): read the analytics queue, findings and risk registers;
    # audit (run analytics, triage exceptions, raise findings, follow up and close them); keep the
    # risk register of one's unit. A finding's response is written by its responsible manager.
    EAUDIT_VIEW = "eaudit.view"
    EAUDIT_AUDIT = "eaudit.audit"
    RISK_MANAGE = "eaudit.manage_risk"
    # Security operations (codi.insights): incidents, alerts, the SIEM feed's state.
    SECURITY_OPS = "insights.security"
    # Insights: the satisfaction results of every module (country-wide).
    INSIGHTS_VIEW = "insights.view"


# Every staff role reads areas and organizations and may use the law assistant (statutes are
# national law, so no area scope); community leaders and API partners are not given it (yet).
_STAFF_READ = {
    Perm.AREAS_VIEW,
    Perm.ORGS_VIEW,
    Perm.KNOWLEDGE_VIEW,
    Perm.KNOWLEDGE_SHARE,
    Perm.SIGNATURES_SIGN,
}
_STAFF_BASE = {Perm.AREAS_VIEW, Perm.KNOWLEDGE_VIEW, Perm.KNOWLEDGE_SHARE, Perm.SIGNATURES_SIGN}
# Community feedback: officers and directors handle reports in their areas; executives, auditors
# and the DPO read them (the DPO for personal-data requests); admins see everything to fix routing.
_FEEDBACK_HANDLING = {Perm.FEEDBACK_VIEW, Perm.FEEDBACK_MANAGE}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {
            Perm.PROJECTS_VIEW,
            Perm.PROJECTS_MANAGE,
            Perm.USERS_MANAGE,
            Perm.AREAS_MANAGE,
            *_STAFF_READ,
            Perm.KNOWLEDGE_MANAGE,
            Perm.FEEDBACK_VIEW,
            Perm.OPENDATA_MANAGE,
            Perm.PRIVACY_MANAGE,
            Perm.GOVERNANCE_VIEW,
            Perm.GOVERNANCE_MANAGE,
            Perm.SIGNATURES_MANAGE,
        }
    ),
    Role.EXECUTIVE: frozenset({Perm.PROJECTS_VIEW, *_STAFF_READ, Perm.FEEDBACK_VIEW, Perm.GOVERNANCE_VIEW}),
    Role.REGIONAL_DIRECTOR: frozenset(
        {Perm.PROJECTS_VIEW, Perm.PROJECTS_APPROVE, *_STAFF_READ, Perm.ORGS_MANAGE, *_FEEDBACK_HANDLING}
    ),
    Role.PROJECT_OFFICER: frozenset(
        {
            Perm.PROJECTS_VIEW,
            Perm.PROJECTS_MANAGE,
            *_STAFF_READ,
            Perm.ORGS_MANAGE,
            Perm.PERSONAL_DATA_VIEW,
            *_FEEDBACK_HANDLING,
        }
    ),
    Role.FINANCE_OFFICER: frozenset({*_STAFF_READ, Perm.PROJECTS_VIEW, Perm.PROJECTS_DISBURSE}),
    Role.PROCUREMENT_OFFICER: frozenset(_STAFF_BASE),
    Role.HR_OFFICER: frozenset(_STAFF_BASE),
    Role.INTERNAL_AUDITOR: frozenset({Perm.PROJECTS_VIEW, *_STAFF_READ, Perm.AUDIT_VIEW, Perm.FEEDBACK_VIEW}),
    Role.DATA_PROTECTION_OFFICER: frozenset(
        {
            *_STAFF_READ,
            Perm.AUDIT_VIEW,
            Perm.PERSONAL_DATA_VIEW,
            Perm.FEEDBACK_VIEW,
            Perm.OPENDATA_MANAGE,
            Perm.PRIVACY_MANAGE,
            Perm.GOVERNANCE_VIEW,
            Perm.GOVERNANCE_MANAGE,
        }
    ),
    Role.KNOWLEDGE_OFFICER: frozenset({*_STAFF_BASE, Perm.KNOWLEDGE_MANAGE}),
    Role.COMMUNITY_LEADER: frozenset(
        {Perm.PROJECTS_VIEW, Perm.KNOWLEDGE_SHARE, Perm.AREAS_VIEW, Perm.ORGS_VIEW}
    ),
    Role.PARTNER_AGENCY: frozenset({Perm.AREAS_VIEW, Perm.ORGS_VIEW}),
}

# Saraban: every staff role uses electronic correspondence (community leaders and partners do not).
for _role in list(ROLE_PERMISSIONS):
    if _role not in EXTERNAL_ROLES:
        ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.CORRESPONDENCE_USE}

# Documents: every staff role reads; directors, executives, auditors and the DPO also read confidential
# documents; officers and directors upload and edit them.
_DOCUMENT_GRANTS = {
    Role.SYSTEM_ADMIN: {Perm.DOCUMENTS_VIEW},
    Role.EXECUTIVE: {Perm.DOCUMENTS_VIEW, Perm.DOCUMENTS_VIEW_CONFIDENTIAL},
    Role.REGIONAL_DIRECTOR: {Perm.DOCUMENTS_VIEW, Perm.DOCUMENTS_VIEW_CONFIDENTIAL, Perm.DOCUMENTS_MANAGE},
    Role.PROJECT_OFFICER: {Perm.DOCUMENTS_VIEW, Perm.DOCUMENTS_MANAGE},
    Role.FINANCE_OFFICER: {Perm.DOCUMENTS_VIEW, Perm.DOCUMENTS_MANAGE},
    Role.PROCUREMENT_OFFICER: {Perm.DOCUMENTS_VIEW, Perm.DOCUMENTS_MANAGE},
    Role.HR_OFFICER: {Perm.DOCUMENTS_VIEW, Perm.DOCUMENTS_MANAGE},
    Role.INTERNAL_AUDITOR: {
        Perm.DOCUMENTS_VIEW,
        Perm.DOCUMENTS_VIEW_CONFIDENTIAL,
        Perm.DOCUMENTS_MANAGE,
    },  # files working papers
    Role.DATA_PROTECTION_OFFICER: {Perm.DOCUMENTS_VIEW, Perm.DOCUMENTS_VIEW_CONFIDENTIAL},
    Role.KNOWLEDGE_OFFICER: {Perm.DOCUMENTS_VIEW, Perm.DOCUMENTS_MANAGE},
}
for _role, _perms in _DOCUMENT_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# Finance: the maker (finance officer), the checker (chief accountant) and the approver above the
# delegation limit (executive) hold different capabilities; auditors read the books.
ROLE_PERMISSIONS[Role.CHIEF_ACCOUNTANT] = frozenset(
    {*_STAFF_READ, Perm.CORRESPONDENCE_USE, Perm.DOCUMENTS_VIEW, Perm.FINANCE_VIEW, Perm.FINANCE_CHECK}
)
_FINANCE_GRANTS = {
    Role.FINANCE_OFFICER: {Perm.FINANCE_VIEW, Perm.FINANCE_MANAGE},
    Role.EXECUTIVE: {Perm.FINANCE_VIEW, Perm.FINANCE_APPROVE},
    Role.INTERNAL_AUDITOR: {Perm.FINANCE_VIEW},
}
for _role, _perms in _FINANCE_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# Procurement: staff who hold a budget request; the procurement officer runs the process and the
# asset register; the executive approves procurement reports; finance pays; auditors read.
_PROCUREMENT_GRANTS = {
    Role.PROCUREMENT_OFFICER: {Perm.PROCUREMENT_VIEW, Perm.PROCUREMENT_REQUEST, Perm.PROCUREMENT_MANAGE},
    Role.EXECUTIVE: {Perm.PROCUREMENT_VIEW, Perm.PROCUREMENT_APPROVE},
    Role.REGIONAL_DIRECTOR: {Perm.PROCUREMENT_VIEW, Perm.PROCUREMENT_REQUEST},
    Role.FINANCE_OFFICER: {Perm.PROCUREMENT_VIEW, Perm.PROCUREMENT_REQUEST},
    Role.HR_OFFICER: {Perm.PROCUREMENT_VIEW, Perm.PROCUREMENT_REQUEST},
    Role.INTERNAL_AUDITOR: {Perm.PROCUREMENT_VIEW},
}
for _role, _perms in _PROCUREMENT_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# People: HR officers keep the records and prepare payroll; an executive approves the run (maker is
# never the approver); auditors read.
_PEOPLE_GRANTS = {
    Role.HR_OFFICER: {Perm.PEOPLE_VIEW, Perm.PEOPLE_MANAGE, Perm.PEOPLE_PERSONAL_DATA},
    Role.EXECUTIVE: {Perm.PEOPLE_VIEW, Perm.PAYROLL_APPROVE},
    Role.INTERNAL_AUDITOR: {Perm.PEOPLE_VIEW},
}
for _role, _perms in _PEOPLE_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# Lending: project officers are the regional credit officers; directors and executives sit on the
# credit committee; the finance officer disburses and receives repayments; auditors read.
_LENDING_GRANTS = {
    Role.PROJECT_OFFICER: {Perm.LENDING_VIEW, Perm.LENDING_MANAGE},
    Role.REGIONAL_DIRECTOR: {Perm.LENDING_VIEW, Perm.LENDING_APPROVE},
    Role.EXECUTIVE: {Perm.LENDING_VIEW, Perm.LENDING_APPROVE},
    Role.FINANCE_OFFICER: {Perm.LENDING_VIEW, Perm.LENDING_CASH},
    Role.INTERNAL_AUDITOR: {Perm.LENDING_VIEW},
}
for _role, _perms in _LENDING_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# e-Audit: internal auditors run the analytics and follow findings (reading other apps' data only);
# executives and directors read the audit results and keep their units' risk registers.
_EAUDIT_GRANTS = {
    Role.INTERNAL_AUDITOR: {Perm.EAUDIT_VIEW, Perm.EAUDIT_AUDIT},
    Role.EXECUTIVE: {Perm.EAUDIT_VIEW, Perm.RISK_MANAGE},
    Role.REGIONAL_DIRECTOR: {Perm.EAUDIT_VIEW, Perm.RISK_MANAGE},
}
for _role, _perms in _EAUDIT_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# Security operations: the system administrators run incident response and receive alerts.
ROLE_PERMISSIONS[Role.SYSTEM_ADMIN] = ROLE_PERMISSIONS[Role.SYSTEM_ADMIN] | {
    Perm.SECURITY_OPS,
    Perm.INSIGHTS_VIEW,
}
ROLE_PERMISSIONS[Role.EXECUTIVE] = ROLE_PERMISSIONS[Role.EXECUTIVE] | {Perm.INSIGHTS_VIEW}
