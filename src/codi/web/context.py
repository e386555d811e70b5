"""Navigation by role: each person sees the links their grants open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from codi.communities.selectors import can_view_members
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [{"url": reverse("home"), "label": _("My work"), "key": "home"}]
    if user_has_perm(user, Perm.ORGS_VIEW):
        items.append(
            {"url": reverse("communities:organization_list"), "label": _("Organizations"), "key": "orgs"}
        )
    if can_view_members(user):
        items.append({"url": reverse("communities:member_list"), "label": _("Members"), "key": "members"})
    if user_has_perm(user, Perm.ORGS_MANAGE):
        items.append(
            {"url": reverse("communities:import_list"), "label": _("Import from Excel"), "key": "imports"}
        )
    if user_has_perm(user, Perm.AREAS_VIEW):
        items.append({"url": reverse("area_index"), "label": _("Areas"), "key": "areas"})
        items.append({"url": reverse("area_map"), "label": _("Map"), "key": "map"})
    if user_has_perm(user, Perm.KNOWLEDGE_VIEW):
        items.append({"url": reverse("knowledge_assistant"), "label": _("Law assistant"), "key": "knowledge"})
    if user_has_perm(user, Perm.KNOWLEDGE_SHARE):
        items.append({"url": reverse("knowledge_library"), "label": _("Knowledge library"), "key": "library"})
    if user_has_perm(user, Perm.PROJECTS_VIEW):
        items.append({"url": reverse("projects:project_list"), "label": _("Projects"), "key": "projects"})
    if user_has_perm(user, Perm.FEEDBACK_VIEW):
        items.append(
            {"url": reverse("feedback:ticket_list"), "label": _("Community feedback"), "key": "feedback"}
        )
    if user_has_perm(user, Perm.CORRESPONDENCE_USE):
        items.append(
            {
                "url": reverse("correspondence:letter_list"),
                "label": _("Correspondence"),
                "key": "correspondence",
            }
        )
    if user_has_perm(user, Perm.SIGNATURES_SIGN):
        items.append(
            {"url": reverse("signatures:my_certificates"), "label": _("E-signatures"), "key": "signatures"}
        )
    if user_has_perm(user, Perm.DOCUMENTS_VIEW):
        items.append({"url": reverse("documents:document_list"), "label": _("Documents"), "key": "documents"})
    if user_has_perm(user, Perm.FINANCE_VIEW):
        items.append({"url": reverse("finance:home"), "label": _("Finance"), "key": "finance"})
    items.append({"url": reverse("notifications:inbox"), "label": _("Notifications"), "key": "notifications"})
    if user_has_perm(user, Perm.AUDIT_VIEW):
        items.append({"url": reverse("audit_log"), "label": _("Audit log"), "key": "audit"})
    if user_has_perm(user, Perm.PRIVACY_MANAGE):
        items.append({"url": reverse("privacy:dashboard"), "label": _("Privacy (PDPA)"), "key": "privacy"})
    if user_has_perm(user, Perm.GOVERNANCE_VIEW):
        items.append({"url": reverse("governance:home"), "label": _("Data governance"), "key": "governance"})
    if user_has_perm(user, Perm.USERS_MANAGE):
        items.append({"url": reverse("user_admin_list"), "label": _("Users & roles"), "key": "users"})
    if user_has_perm(user, Perm.OPENDATA_MANAGE):
        items.append({"url": reverse("opendata:manage"), "label": _("Publish open data"), "key": "opendata"})
    items.append({"url": "/api/docs", "label": _("API"), "key": "api"})
    return {"nav_items": items}
