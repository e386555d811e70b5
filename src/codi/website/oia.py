"""The information the Official Information Act B.E. 2540 asks an agency to make public.

Section 7: published in the Government Gazette (and on the agency's site); section 9: kept open for
anyone to inspect (an information centre, today mostly the website). The codes are the Act's own
paragraph numbers; the names are short English summaries in CODI's words (Thai in scripts/th/web4.py).
``OfficialInfoPage`` lists, for each item, where on the site it is published and the evidence date.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SECTION_7: list[tuple[str, Promise]] = [
    ("7.1", _("How the agency is structured and organised to do its work")),
    ("7.2", _("A summary of its main powers and duties and how it works")),
    ("7.3", _("Where and how to ask for information, advice or services")),
    ("7.4", _("Rules, regulations, orders, circulars, policies and interpretations that bind the public")),
    ("7.5", _("Other information the Official Information Board requires to be published")),
]
SECTION_9: list[tuple[str, Promise]] = [
    ("9.1", _("Decisions that directly affect private persons, with dissenting opinions and orders")),
    ("9.2", _("Policies and interpretations not published under section 7")),
    ("9.3", _("Work plans, projects and the year's budget")),
    ("9.4", _("Work manuals and orders that affect the rights and duties of private persons")),
    ("9.5", _("Publications referred to in section 7")),
    (
        "9.6",
        _("Concessions, monopoly agreements and joint ventures with private persons for public services"),
    ),
    ("9.7", _("Resolutions of the Cabinet and of boards set up by law, with the reports they relied on")),
    ("9.8", _("Other information the Board requires: the monthly summaries of procurement results")),
]
OIA_ITEMS = SECTION_7 + SECTION_9
OIA_CODES = [code for code, _name in OIA_ITEMS]


def choices() -> list[tuple[str, str]]:
    """The items as the admin's choices (a callable: translated when the form is built, not at import)."""
    return [(code, f"{code} {name}") for code, name in OIA_ITEMS]
