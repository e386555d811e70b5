"""Names for the values the governance and privacy pages show: modules, risk levels, personal data.

The catalog, the code lists and the AI register are generated from the code, where these values
are keys (``projects``, ``high``, ``general``); a Thai reader sees their names.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()

MODULES = {
    "areas": _("Areas"),
    "calendar": _("Working-day calendar"),
    "communities": _("Communities"),
    "core": _("Core"),
    "correspondence": _("Electronic correspondence (Saraban)"),
    "documents": _("Documents and OCR"),
    "feedback": _("Community feedback"),
    "finance": _("Finance and accounting"),
    "governance": _("Data governance"),
    "identity": _("Identity"),
    "knowledge": _("Knowledge"),
    "notifications": _("Notifications"),
    "opendata": _("Open data"),
    "privacy": _("PDPA"),
    "projects": _("Community projects (PMS)"),
    "search": _("Search"),
    "signatures": _("PKI and e-signatures"),
    "web": _("Web shell"),
    "workflow": _("Process engine (BPMN)"),
    "procurement": _("Procurement"),
    "people": _("Human resources"),
    "lending": _("Lending"),
    "audit": _("Internal audit"),
    "eaudit": _("e-Audit and risk"),
    "gis": _("GIS and informal settlements"),
    "insights": _("Insights and operations"),
    "scoring": _("Social scoring"),
    "website": _("Public website"),
    # Third-party tables a CODI app describes.
    "sessions": _("Sign-in sessions"),
    "otp_totp": _("Authenticator devices"),
    "otp_static": _("Recovery codes"),
    "oauth2_provider": _("Single sign-on"),
    "django_tasks_database": _("Background tasks"),
    "auth": _("Permissions"),
}
RISK_LEVELS = {
    "minimal": _("minimal risk"),
    "limited": _("limited risk"),
    "high": _("high risk"),
    "unacceptable": _("unacceptable risk"),
}
PERSONAL = {"": "—", "general": _("personal data"), "sensitive": _("sensitive personal data")}
FREQUENCIES = {
    "real-time": _("real time"),
    "daily": _("daily"),
    "weekly": _("weekly"),
    "monthly": _("monthly"),
    "yearly": _("yearly"),
    "on change": _("when it changes"),
}


@register.filter
def module_name(app_label: str) -> str:
    """``projects`` → the module's name; an unknown label is shown as it is."""
    return str(MODULES.get(str(app_label), app_label))


@register.filter
def dataset_module(label: str) -> str:
    """``projects.Project`` → the module's name (the part before the dot)."""
    return module_name(str(label).split(".", 1)[0])


@register.filter
def risk_name(level: str) -> str:
    return str(RISK_LEVELS.get(str(level), level))


@register.filter
def personal_name(category: str) -> str:
    return str(PERSONAL.get(str(category), category))


@register.filter
def frequency_name(value: str) -> str:
    return str(FREQUENCIES.get(str(value), value))


CLASSIFICATIONS = {
    "public": _("public data"),
    "internal": _("internal use"),
    "confidential": _("confidential"),
    "secret": _("secret"),
}


@register.filter
def classification_name(value: str) -> str:
    return str(CLASSIFICATIONS.get(str(value), value))


@register.filter
def duplicate_reason(reason: str) -> str:
    """``registration_no:123`` / ``similar_name:0.93`` (the duplicate finder's evidence) in words."""
    kind, _sep, value = str(reason).partition(":")
    if kind == "registration_no":
        return str(_("same registration number %(number)s")) % {"number": value}
    if kind == "similar_name":
        try:
            percent = round(float(value) * 100)
        except ValueError:
            return str(reason)
        return str(_("names %(percent)s%% alike")) % {"percent": percent}
    return str(reason)


# Retention (codi.privacy.retention): the rules that keep records and the clean-up jobs, by key.
RETENTION_RULES = {
    "audit_log": (
        _("Audit trail"),
        _(
            "Computer Crime Act B.E. 2550 s.26 (traffic data kept at least 90 days) and CODI's audit "
            "retention period; the entries cannot be changed and hold masked values"
        ),
    ),
    "project_finance": (
        _("Records of funded projects"),
        _(
            "State Audit Act B.E. 2561 and CODI's finance regulation: records of funded projects, "
            "their contact person included, kept 10 years after the project closes"
        ),
    ),
    "consent_evidence": (
        _("Evidence of consent"),
        _(
            "PDPA s.19 and s.39: proof of consent, its withdrawal and objections kept while claims can "
            "be brought (10 years, Civil and Commercial Code s.193/30)"
        ),
    ),
    "dsr_record": (
        _("Data-subject requests"),
        _("PDPA s.30–s.39: the request and the controller's response kept as the record (3 years)"),
    ),
    "breach_record": (
        _("Breach register"),
        _("PDPA s.37(4): the register of breaches and of the persons notified"),
    ),
    "official_record": (
        _("Official records"),
        _(
            "Official Information Act B.E. 2540 s.26 and the Regulation on Correspondence B.E. 2526 "
            "(archives): CODI's documents and registered letters kept for their retention period"
        ),
    ),
}
RETENTION_JOBS = {
    "feedback_reporter_contact": (
        _("Contact details of people who reported feedback"),
        _(
            "Reporter name, e-mail, phone and LINE ID of feedback closed for longer than the period; "
            "personal data in the text masked (a year leaves room to reopen and for complaints about the handling)"
        ),
        _("Community feedback tickets"),
    ),
    "dropped_out_members": (
        _("Members who left"),
        _(
            "Persons whose memberships all ended longer ago than the period (the registry's stated "
            "retention: 10 years after the last membership) and who are no project's contact"
        ),
        _("Persons in the community registry"),
    ),
    "notification_addresses": (
        _("Addresses of sent messages"),
        _("Recipient e-mail addresses and LINE IDs of delivered or failed messages older than the period"),
        _("Notifications"),
    ),
}
RETENTION_ACTIONS = {"anonymise": _("anonymise"), "delete": _("delete")}
ERASURE_ACTIONS = {"erase": _("Erase"), "anonymise": _("Anonymise"), "keep": _("Keep")}


@register.filter
def prose(obj: Any, name: str) -> SafeString | str:
    """Developer-written prose (a dataset's description, a model card's purpose) in the reader's language.

    Thai where a Thai text is written and the person reads Thai; otherwise the English, marked
    ``lang="en"`` so screen readers and the page checks know it is English on purpose.
    """
    english = str(getattr(obj, name, "") or "")
    thai = obj.text_th(name) if hasattr(obj, "text_th") else ""
    if thai and not (get_language() or "th").startswith("en"):
        return conditional_escape(thai)
    return format_html('<span lang="en">{}</span>', english) if english else ""


@register.filter
def erasure_action(key: str) -> str:
    """What an erasure does to one record, in words ("keep" → "เก็บไว้")."""
    return str(ERASURE_ACTIONS.get(str(key), key))


@register.filter
def retention_rule_name(key: str) -> str:
    entry = RETENTION_RULES.get(str(key))
    return str(entry[0]) if entry else str(key)


@register.filter
def retention_rule_text(key: str) -> str:
    entry = RETENTION_RULES.get(str(key))
    return str(entry[1]) if entry else ""


@register.filter
def retention_job_name(key: str) -> str:
    entry = RETENTION_JOBS.get(str(key))
    return str(entry[0]) if entry else str(key)


@register.filter
def retention_job_text(key: str) -> str:
    entry = RETENTION_JOBS.get(str(key))
    return str(entry[1]) if entry else ""


@register.filter
def retention_job_data(key: str) -> str:
    entry = RETENTION_JOBS.get(str(key))
    return str(entry[2]) if entry else ""


@register.filter
def retention_action(value: str) -> str:
    return str(RETENTION_ACTIONS.get(str(value), value))
