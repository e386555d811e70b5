"""Navigation by role: each person sees the links their grants open, grouped under at most seven entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from codi.areas.selectors import area_get, region_list
from codi.communities.selectors import can_view_members
from codi.identity.roles import Perm, Role, ScopeLevel
from codi.identity.selectors import Grant, user_grants, user_has_perm, user_roles
from codi.projects.selectors import is_portal_user

MAX_TOP_ENTRIES = 7


@dataclass
class NavItem:
    label: str
    url: str = ""
    key: str = ""
    children: list[NavItem] = field(default_factory=list)

    def is_current(self, path: str) -> bool:
        if self.url and (path == self.url or (self.url != "/" and path.startswith(self.url))):
            return True
        return any(child.is_current(path) for child in self.children)


def _group(label: str, key: str, children: list[NavItem]) -> NavItem | None:
    """A group with one child becomes that child (a dropdown of one is only an extra click)."""
    if not children:
        return None
    if len(children) == 1:
        return children[0]
    return NavItem(label=label, key=key, children=children)


def nav_tree(user: Any) -> list[NavItem]:
    """The menu this user can use: top entries in a fixed order, only those with something behind them."""
    has = lambda perm: user_has_perm(user, perm)  # noqa: E731 — read as a sentence below
    portal = is_portal_user(user)
    top: list[NavItem | None] = [NavItem(_("My work"), reverse("home"), "home")]

    work: list[NavItem] = []
    if portal:
        work.append(NavItem(_("My organization's projects"), reverse("projects:portal"), "portal"))
    elif has(Perm.PROJECTS_VIEW):
        work += [
            NavItem(_("Projects"), reverse("projects:project_list"), "projects"),
            NavItem(_("My tasks"), reverse("projects:inbox"), "inbox"),
            NavItem(_("Overdue"), reverse("projects:overdue"), "overdue"),
            NavItem(_("Project dashboard"), reverse("projects:dashboard"), "dashboard"),
            NavItem(_("Budget lines"), reverse("projects:budget_lines"), "budget"),
        ]
    if has(Perm.FINANCE_VIEW):
        work.append(NavItem(_("Finance"), reverse("finance:home"), "finance"))
    if has(Perm.PROCUREMENT_VIEW):
        work.append(NavItem(_("Procurement and assets"), reverse("procurement:home"), "procurement"))
    if has(Perm.PEOPLE_VIEW) or has(Perm.CORRESPONDENCE_USE):  # HR, and every staff member's own page
        work.append(NavItem(_("HR and payroll"), reverse("people:home"), "people"))
    if has(Perm.LENDING_VIEW):
        work.append(NavItem(_("Community lending"), reverse("lending:home"), "lending"))
    if has(Perm.EAUDIT_VIEW) or has(Perm.RISK_MANAGE) or has(Perm.CORRESPONDENCE_USE):  # findings to answer
        work.append(NavItem(_("e-Audit and risk"), reverse("eaudit:home"), "eaudit"))
    top.append(_group(_("Projects"), "projects-group", work))

    people: list[NavItem] = []
    if has(Perm.ORGS_VIEW):
        people.append(NavItem(_("Organizations"), reverse("communities:organization_list"), "orgs"))
    if can_view_members(user):
        people.append(NavItem(_("Members"), reverse("communities:member_list"), "members"))
    if has(Perm.ORGS_MANAGE):
        people.append(NavItem(_("Import from Excel"), reverse("communities:import_list"), "imports"))
    if has(Perm.AREAS_VIEW):
        people.append(NavItem(_("Areas"), reverse("area_index"), "areas"))
        people.append(NavItem(_("Map"), reverse("area_map"), "map"))
        people.append(NavItem(_("GIS and informal settlements"), reverse("gis:map"), "gis"))
    top.append(_group(_("Communities and areas"), "people-group", people))

    voice: list[NavItem] = []
    if has(Perm.FEEDBACK_VIEW):
        voice.append(NavItem(_("Community feedback"), reverse("feedback:ticket_list"), "feedback"))
        if not portal:
            voice.append(NavItem(_("Feedback dashboard"), reverse("feedback:dashboard"), "feedback-dash"))
    top.append(_group(_("Community feedback"), "voice-group", voice))

    paper: list[NavItem] = []
    if has(Perm.DOCUMENTS_VIEW):
        paper.append(NavItem(_("Documents"), reverse("documents:document_list"), "documents"))
    if has(Perm.CORRESPONDENCE_USE):
        paper.append(NavItem(_("Correspondence"), reverse("correspondence:letter_list"), "correspondence"))
    if has(Perm.SIGNATURES_SIGN):
        paper.append(NavItem(_("E-signatures"), reverse("signatures:my_certificates"), "signatures"))
    top.append(_group(_("Documents and letters"), "paper-group", paper))

    knowledge: list[NavItem] = []
    if has(Perm.KNOWLEDGE_VIEW):
        knowledge.append(NavItem(_("Law assistant"), reverse("knowledge_assistant"), "knowledge"))
    if has(Perm.KNOWLEDGE_SHARE):
        knowledge.append(NavItem(_("Knowledge library"), reverse("knowledge_library"), "library"))
    top.append(_group(_("Knowledge"), "knowledge-group", knowledge))

    control: list[NavItem] = []
    if has(Perm.AUDIT_VIEW):
        control.append(NavItem(_("Audit log"), reverse("audit_log"), "audit"))
    if has(Perm.PRIVACY_MANAGE):
        control.append(NavItem(_("Privacy (PDPA)"), reverse("privacy:dashboard"), "privacy"))
    if has(Perm.GOVERNANCE_VIEW):
        control.append(NavItem(_("Data governance"), reverse("governance:home"), "governance"))
    if has(Perm.USERS_MANAGE):
        control.append(NavItem(_("Users & roles"), reverse("user_admin_list"), "users"))
    if has(Perm.INSIGHTS_VIEW):
        control.append(NavItem(_("User satisfaction"), reverse("insights:satisfaction"), "satisfaction"))
        control.append(NavItem(_("Executive indicators"), reverse("insights:eis"), "eis"))
        control.append(NavItem(_("Analytics store"), reverse("insights:marts"), "marts"))
    if has(Perm.SECURITY_OPS):
        control.append(NavItem(_("Security operations"), reverse("insights:security"), "security"))
    if has(Perm.OPENDATA_MANAGE):
        control.append(NavItem(_("Publish open data"), reverse("opendata:manage"), "opendata"))
    if user_roles(user) & {Role.SYSTEM_ADMIN, Role.PARTNER_AGENCY}:
        control.append(NavItem(_("API for partners"), "/api/docs", "api"))
    top.append(_group(_("Oversight"), "control-group", control))

    items = [item for item in top if item is not None]
    return items


def _area_words(level: str, code: str) -> str:
    if level == ScopeLevel.COUNTRY or not code:
        return str(ScopeLevel.COUNTRY.label)
    english = (get_language() or "th").startswith("en")
    if level == ScopeLevel.REGION:
        region = next((r for r in region_list() if r.code == code), None)
        name = (region.name_en if english else region.name_th) if region else code
        return name
    area = area_get(code=code)
    if area is None:
        return str(ScopeLevel(level).label) if level in ScopeLevel.values else _("an area")
    prefix = {
        "province": _("Province") + " ",
        "district": _("District") + " ",
        "subdistrict": _("Subdistrict") + " ",
    }.get(area.level, "")
    name = area.name_en if english else area.name_th
    parents = [(p.name_en if english else p.name_th) for p in area.parents]
    return prefix + ", ".join([name, *reversed(parents)])


def grant_words(grant: Grant) -> str:
    """'Project officer · Province Khon Kaen': a role and its scope in words, never codes."""
    role = str(Role(grant.role).label) if grant.role in Role.values else _("Other role")
    return f"{role} · {_area_words(grant.scope_level, grant.scope_code)}"


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_scope": []}
    items = nav_tree(user)
    path = request.path
    for item in items:
        item.current = item.is_current(path)  # type: ignore[attr-defined]
    return {"nav_items": items, "nav_scope": [grant_words(g) for g in user_grants(user)]}
