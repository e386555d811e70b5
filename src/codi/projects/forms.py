"""Forms of the project pages: the proposal and the progress report. They only parse input; the
rules are the services'. The proposal's repeated rows are parsed in ``projects.validation``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from codi.projects.models import Program

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


class ProposalForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.filter(is_active=True))
    organization = forms.TypedChoiceField(label=_("Proposing organization"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=300)
    # data-area-picker: area-picker.js puts province/district/subdistrict selects by name in its place.
    subdistrict_code = forms.RegexField(
        label=_("Subdistrict code"),
        regex=r"^\d{6}$",
        widget=forms.TextInput(attrs={"data-area-picker": "scope"}),
    )
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


class ReportForm(forms.Form):
    narrative = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
