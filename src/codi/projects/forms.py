"""Forms of the project pages: the proposal (with its activities, results, budget and beneficiaries)
and the progress report. They only parse input; the rules are the services'."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from codi.projects.models import BeneficiaryGroup, BudgetCategory, Program

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


class ProposalForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.filter(is_active=True))
    organization = forms.TypedChoiceField(label=_("Proposing organization"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=300)
    subdistrict_code = forms.RegexField(label=_("Subdistrict code"), regex=r"^\d{6}$")
    fiscal_year = forms.IntegerField(label=_("Fiscal year (B.E.)"), min_value=2500, max_value=2700)
    requested_amount = forms.DecimalField(label=_("Requested amount (baht)"), **MONEY)
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    households = forms.IntegerField(label=_("Beneficiary households"), min_value=0, initial=0)
    persons = forms.IntegerField(label=_("Beneficiary persons"), min_value=0, initial=0)
    co_funding_amount = forms.DecimalField(label=_("Co-funding (baht)"), required=False, **MONEY)
    co_funding_source = forms.CharField(label=_("Co-funding source"), max_length=300, required=False)
    # Baan Mankong housing
    housing_units = forms.IntegerField(
        label=_("Housing units (housing programs)"), min_value=0, required=False
    )
    land_tenure = forms.CharField(label=_("Land tenure (housing programs)"), max_length=100, required=False)
    # Community welfare funds
    members = forms.IntegerField(label=_("Fund members (welfare programs)"), min_value=0, required=False)
    benefits = forms.CharField(label=_("Benefits (welfare programs)"), max_length=300, required=False)

    def __init__(self, *args: Any, organizations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organization"]).choices = organizations

    def type_details(self, kind: str) -> dict[str, Any]:
        data = self.cleaned_data
        if kind == "housing":
            return {k: data[k] for k in ("housing_units", "land_tenure") if data.get(k) not in (None, "")}
        if kind == "welfare":
            return {k: data[k] for k in ("members", "benefits") if data.get(k) not in (None, "")}
        return {}


ROWS = 3


def rows_from_post(post: Any) -> dict[str, list[dict[str, Any]]]:
    """The proposal's repeated parts, from numbered inputs (empty rows skipped)."""

    def text(name: str) -> str:
        return str(post.get(name, "")).strip()

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(text(name)) if text(name) else None
        except ValueError:
            return None

    def number(name: str) -> Decimal | None:
        try:
            return Decimal(text(name).replace(",", "")) if text(name) else None
        except ArithmeticError:
            return None

    activities = [
        {
            "title": text(f"act_{i}_title"),
            "start_date": day(f"act_{i}_start"),
            "end_date": day(f"act_{i}_end"),
        }
        for i in range(ROWS)
        if text(f"act_{i}_title")
    ]
    results = []
    for i in range(ROWS):
        if not text(f"res_{i}_title"):
            continue
        indicator: dict[str, Any] = {
            "name": text(f"res_{i}_indicator") or text(f"res_{i}_title"),
            "unit": text(f"res_{i}_unit") or "-",
            "code": text(f"res_{i}_code").upper(),
        }
        target = number(f"res_{i}_target")
        start, end = day(f"res_{i}_start"), day(f"res_{i}_end")
        if target is not None and start and end:
            indicator["targets"] = [{"period_start": start, "period_end": end, "target": target}]
        results.append({"title": text(f"res_{i}_title"), "indicators": [indicator]})
    budget = [
        {
            "category": text(f"bud_{i}_category"),
            "description": text(f"bud_{i}_description"),
            "amount": number(f"bud_{i}_amount"),
        }
        for i in range(ROWS + 2)
        if text(f"bud_{i}_description")
    ]
    groups = [
        {
            "group": text(f"ben_{i}_group"),
            "households": int(text(f"ben_{i}_households") or 0)
            if text(f"ben_{i}_households").isdigit()
            else 0,
            "persons": int(text(f"ben_{i}_persons") or 0) if text(f"ben_{i}_persons").isdigit() else 0,
        }
        for i in range(ROWS)
        if text(f"ben_{i}_group")
    ]
    return {
        "activities": activities,
        "results": results,
        "budget_items": budget,
        "beneficiary_groups": groups,
    }


def category_choices() -> list[tuple[str, Any]]:
    return list(BudgetCategory.choices)


def group_choices() -> list[tuple[str, Any]]:
    return list(BeneficiaryGroup.Group.choices)


class ReportForm(forms.Form):
    narrative = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
