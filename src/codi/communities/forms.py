"""Page forms. They shape input; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from codi.communities.models import Gender, ImportKind, MemberRole, Organization, OrgStatus, OrgType


class OrganizationForm(forms.Form):
    name_th = forms.CharField(label=_("Thai name"), max_length=255)
    name_en = forms.CharField(label=_("English name"), max_length=255, required=False)
    org_type = forms.ChoiceField(label=_("Type"), choices=OrgType.choices)
    registration_no = forms.CharField(label=_("Registration number"), max_length=50, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=OrgStatus.choices, initial=OrgStatus.ACTIVE)
    subdistrict_code = forms.RegexField(
        label=_("Subdistrict code"),
        regex=r"^\d{6}$",
        help_text=_("6 digits, e.g. 400104"),
        error_messages={"invalid": _("Enter the 6-digit subdistrict code")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False, help_text=_("e.g. 16.432100")
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False, help_text=_("e.g. 102.823600")
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    email = forms.EmailField(label=_("Email"), required=False)
    line_id = forms.CharField(label=_("LINE ID"), max_length=50, required=False)
    parent_network_id = forms.TypedChoiceField(
        label=_("Parent network"), coerce=int, empty_value=None, required=False, choices=()
    )
    founded_on = forms.DateField(
        label=_("Founded on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, networks: list[Organization] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent_network_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(n.pk, n.name_th) for n in networks or []]


class PersonForm(forms.Form):
    national_id = forms.CharField(
        label=_("National ID"),
        max_length=17,
        help_text=_("13 digits; dashes are fine"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    title_th = forms.CharField(label=_("Title"), max_length=30, required=False)
    first_name_th = forms.CharField(label=_("First name"), max_length=100)
    last_name_th = forms.CharField(label=_("Last name"), max_length=100)
    birth_year = forms.CharField(
        label=_("Birth year"),
        max_length=4,
        required=False,
        help_text=_("Buddhist Era, e.g. 2510"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    subdistrict_code = forms.RegexField(
        label=_("Subdistrict code"),
        regex=r"^\d{6}$",
        help_text=_("Where the person lives: 6 digits"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class PersonEditForm(PersonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["national_id"]  # a different ID is a different person


class MembershipForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int, choices=())
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    started_on = forms.DateField(
        label=_("Started on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organizations: list[Organization] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(o.pk, o.name_th) for o in organizations or []]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=ImportKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


def apply_errors(form: forms.Form, error: ValidationError, *, renames: dict[str, str] | None = None) -> None:
    """Show a service's ``ValidationError`` on the fields it names (or above the form)."""
    renames = renames or {}
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            name = renames.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
