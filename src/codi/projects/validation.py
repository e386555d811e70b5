"""The proposal form's repeated rows (activities, results, budget, beneficiaries): parsed from the
numbered inputs, checked row by row, and laid out again for the page with what was typed and a
message beside each input that is wrong.

A row counts when its key input is filled (the activity's, result's or budget item's title, the
beneficiary group); a row with only other inputs filled is an error on the key input, never
silently dropped. The services check the same rules again for every other caller (API, import);
this module only makes sure the person gets the message beside the field instead of a page-wide
error or a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from codi.projects.models import BeneficiaryGroup, BudgetCategory

ROWS = 3
BUDGET_ROWS = ROWS + 2
MAX_MONEY = Decimal("999999999999.99")


@dataclass
class Cell:
    name: str
    label: Any
    kind: str = "text"  # text, date, number, select
    value: str = ""
    error: str = ""
    options: list[tuple[str, Any]] = field(default_factory=list)
    placeholder: str = ""


@dataclass
class Section:
    legend: Any
    rows: list[list[Cell]]


@dataclass
class ProposalRows:
    """What the services take (``data``), the errors by input name, and the page's sections."""

    data: dict[str, list[dict[str, Any]]]
    errors: dict[str, str]
    sections: list[Section]


class _Reader:
    def __init__(self, post: Any) -> None:
        self.post = post or {}
        self.errors: dict[str, str] = {}

    def text(self, name: str) -> str:
        return str(self.post.get(name, "")).strip()[:2000]

    def day(self, name: str, *, required: bool) -> date | None:
        raw = self.text(name)
        if not raw:
            if required:
                self.errors.setdefault(name, _("Enter the date."))
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors.setdefault(name, _("This is not a date."))
            return None

    def number(self, name: str, *, required: bool, positive: bool = False) -> Decimal | None:
        raw = self.text(name).replace(",", "").replace(" ", "")
        if not raw:
            if required:
                self.errors.setdefault(name, _("Enter the amount."))
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.errors.setdefault(name, _("This is not a number."))
            return None
        if not value.is_finite() or value < 0 or (positive and value == 0) or value > MAX_MONEY:
            self.errors.setdefault(
                name, _("Enter a number more than zero.") if positive else _("Enter a number, zero or more.")
            )
            return None
        return value

    def count(self, name: str) -> int:
        raw = self.text(name).replace(",", "")
        if not raw:
            return 0
        if not raw.isdigit() or len(raw) > 9:
            self.errors.setdefault(name, _("Enter a whole number, zero or more."))
            return 0
        return int(raw)

    def order(self, start_name: str, start: date | None, end_name: str, end: date | None) -> None:
        if start and end and end < start:
            self.errors.setdefault(end_name, _("The end date is before the start date."))

    def need(self, key_name: str, *others: str) -> None:
        """Other inputs of the row are filled but its key input is empty."""
        if any(self.text(o) for o in others):
            self.errors.setdefault(key_name, _("Fill this in, or clear the other inputs of the row."))


def proposal_rows(post: Any) -> ProposalRows:
    """Parse and check the repeated rows of the proposal form (``post`` may be empty for a new form)."""
    r = _Reader(post)
    activities: list[dict[str, Any]] = []
    for i in range(ROWS):
        title, start_n, end_n = f"act_{i}_title", f"act_{i}_start", f"act_{i}_end"
        if not r.text(title):
            r.need(title, start_n, end_n)
            continue
        start, end = r.day(start_n, required=True), r.day(end_n, required=True)
        r.order(start_n, start, end_n, end)
        activities.append({"title": r.text(title), "start_date": start, "end_date": end})
    results: list[dict[str, Any]] = []
    for i in range(ROWS):
        title = f"res_{i}_title"
        names = [f"res_{i}_{k}" for k in ("indicator", "code", "unit", "target", "start", "end")]
        if not r.text(title):
            r.need(title, *names)
            continue
        indicator: dict[str, Any] = {
            "name": r.text(f"res_{i}_indicator") or r.text(title),
            "unit": r.text(f"res_{i}_unit") or "-",
            "code": r.text(f"res_{i}_code").upper(),
        }
        has_target = any(r.text(f"res_{i}_{k}") for k in ("target", "start", "end"))
        target = r.number(f"res_{i}_target", required=has_target)
        start = r.day(f"res_{i}_start", required=has_target)
        end = r.day(f"res_{i}_end", required=has_target)
        r.order(f"res_{i}_start", start, f"res_{i}_end", end)
        if target is not None and start and end:
            indicator["targets"] = [{"period_start": start, "period_end": end, "target": target}]
        results.append({"title": r.text(title), "indicators": [indicator]})
    budget: list[dict[str, Any]] = []
    for i in range(BUDGET_ROWS):
        description, amount_n, category_n = f"bud_{i}_description", f"bud_{i}_amount", f"bud_{i}_category"
        if not r.text(description):
            r.need(description, amount_n)
            continue
        category = r.text(category_n)
        if category not in BudgetCategory.values:
            r.errors.setdefault(category_n, _("Choose a category from the list."))
        amount = r.number(amount_n, required=True, positive=True)
        budget.append({"category": category, "description": r.text(description), "amount": amount})
    groups: list[dict[str, Any]] = []
    for i in range(ROWS):
        group_n = f"ben_{i}_group"
        if not r.text(group_n):
            r.need(group_n, f"ben_{i}_households", f"ben_{i}_persons")
            continue
        if r.text(group_n) not in BeneficiaryGroup.Group.values:
            r.errors.setdefault(group_n, _("Choose a group from the list."))
        groups.append(
            {
                "group": r.text(group_n),
                "households": r.count(f"ben_{i}_households"),
                "persons": r.count(f"ben_{i}_persons"),
            }
        )
    data: dict[str, list[dict[str, Any]]] = {
        "activities": activities,
        "results": results,
        "budget_items": budget,
        "beneficiary_groups": groups,
    }
    return ProposalRows(data=data, errors=r.errors, sections=_sections(r))


def _sections(r: _Reader) -> list[Section]:
    def cell(name: str, label: Any, kind: str = "text", **extra: Any) -> Cell:
        return Cell(
            name=name, label=label, kind=kind, value=r.text(name), error=r.errors.get(name, ""), **extra
        )

    categories = [(str(v), label) for v, label in BudgetCategory.choices]
    groups = [("", "—")] + [(str(v), label) for v, label in BeneficiaryGroup.Group.choices]
    return [
        Section(
            gettext_lazy("Activities"),
            [
                [
                    cell(f"act_{i}_title", gettext_lazy("Activity")),
                    cell(f"act_{i}_start", gettext_lazy("Start date"), "date"),
                    cell(f"act_{i}_end", gettext_lazy("End date"), "date"),
                ]
                for i in range(ROWS)
            ],
        ),
        Section(
            gettext_lazy("Results, indicators and targets"),
            [
                [
                    cell(f"res_{i}_title", gettext_lazy("Result")),
                    cell(f"res_{i}_indicator", gettext_lazy("Indicator")),
                    cell(f"res_{i}_code", gettext_lazy("Indicator code"), placeholder="HOUSING_UNITS"),
                    cell(f"res_{i}_unit", gettext_lazy("Unit")),
                    cell(f"res_{i}_target", gettext_lazy("Target"), "number"),
                    cell(f"res_{i}_start", gettext_lazy("Period start"), "date"),
                    cell(f"res_{i}_end", gettext_lazy("Period end"), "date"),
                ]
                for i in range(ROWS)
            ],
        ),
        Section(
            gettext_lazy("Budget by category"),
            [
                [
                    cell(f"bud_{i}_category", gettext_lazy("Category"), "select", options=categories),
                    cell(f"bud_{i}_description", gettext_lazy("Description")),
                    cell(f"bud_{i}_amount", gettext_lazy("Amount"), "number"),
                ]
                for i in range(BUDGET_ROWS)
            ],
        ),
        Section(
            gettext_lazy("Beneficiary groups"),
            [
                [
                    cell(f"ben_{i}_group", gettext_lazy("Group"), "select", options=groups),
                    cell(f"ben_{i}_households", gettext_lazy("Households"), "number"),
                    cell(f"ben_{i}_persons", gettext_lazy("Persons"), "number"),
                ]
                for i in range(ROWS)
            ],
        ),
    ]
