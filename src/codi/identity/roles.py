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
    FEEDBACK_VIEW = "feedback.view"
    FEEDBACK_MANAGE = "feedback.manage"


_STAFF_READ = {Perm.AREAS_VIEW, Perm.ORGS_VIEW}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset({Perm.USERS_MANAGE, Perm.AREAS_MANAGE, *_STAFF_READ}),
    Role.EXECUTIVE: frozenset(_STAFF_READ),
    Role.REGIONAL_DIRECTOR: frozenset({*_STAFF_READ, Perm.ORGS_MANAGE}),
    Role.PROJECT_OFFICER: frozenset({*_STAFF_READ, Perm.ORGS_MANAGE, Perm.PERSONAL_DATA_VIEW}),
    Role.FINANCE_OFFICER: frozenset(_STAFF_READ),
    Role.PROCUREMENT_OFFICER: frozenset({Perm.AREAS_VIEW}),
    Role.HR_OFFICER: frozenset({Perm.AREAS_VIEW}),
    Role.INTERNAL_AUDITOR: frozenset({*_STAFF_READ, Perm.AUDIT_VIEW}),
    Role.DATA_PROTECTION_OFFICER: frozenset({*_STAFF_READ, Perm.AUDIT_VIEW, Perm.PERSONAL_DATA_VIEW}),
    Role.KNOWLEDGE_OFFICER: frozenset({Perm.AREAS_VIEW}),
    Role.COMMUNITY_LEADER: frozenset({Perm.AREAS_VIEW, Perm.ORGS_VIEW}),
    Role.PARTNER_AGENCY: frozenset({Perm.AREAS_VIEW, Perm.ORGS_VIEW}),
}

# The law assistant serves CODI's staff; community leaders and API partners are not given it (yet).
for _role in Role:
    if _role not in EXTERNAL_ROLES:
        ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.KNOWLEDGE_VIEW}
for _role in (Role.SYSTEM_ADMIN, Role.KNOWLEDGE_OFFICER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.KNOWLEDGE_MANAGE}

# Community feedback: officers and directors handle reports in their areas; executives, auditors
# and the DPO read them (the DPO for personal-data requests); admins see everything to fix routing.
for _role in (Role.PROJECT_OFFICER, Role.REGIONAL_DIRECTOR):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.FEEDBACK_VIEW, Perm.FEEDBACK_MANAGE}
for _role in (Role.SYSTEM_ADMIN, Role.EXECUTIVE, Role.INTERNAL_AUDITOR, Role.DATA_PROTECTION_OFFICER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.FEEDBACK_VIEW}
