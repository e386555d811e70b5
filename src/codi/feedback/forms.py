"""Forms: the public report form (PDPA notice, consent, honeypot) and staff entry."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from codi.feedback.models import IntakeChannel, Topic

TEXT_MAX = 5000
AREA_CHOICES_HELP = _("6-digit subdistrict code, if you know it")


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("What is the problem or opinion?"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX}),
        max_length=TEXT_MAX,
        strip=True,
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Let the system suggest")), *list(Topic.choices)], required=False
    )
    subdistrict_code = forms.RegexField(
        label=_("Subdistrict code"), regex=r"^\d{6}$", required=False, help_text=AREA_CHOICES_HELP
    )
    postal_code = forms.RegexField(label=_("Postal code"), regex=r"^\d{5}$", required=False)
    # Set by the map on the page (a pin, or the phone's location); the server finds the subdistrict.
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    reporter_email = forms.EmailField(label=_("E-mail for status updates (optional)"), required=False)
    reporter_phone = forms.RegexField(label=_("Phone (optional)"), regex=r"^[0-9+\- ]{9,20}$", required=False)
    attachment = forms.FileField(
        label=_("Photo or PDF (optional, up to 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that CODI processes this report as described."),
        required=True,
    )
    # A field people never see: bots fill it in, and their submission is quietly dropped.
    website = forms.CharField(
        required=False,
        label="Website",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        has_point = data.get("latitude") is not None and data.get("longitude") is not None
        if not data.get("subdistrict_code") and not data.get("postal_code") and not has_point:
            self.add_error(
                "postal_code",
                _(
                    "Give a postal code or a subdistrict code, or pick the place on the map, so we can route the report."
                ),
            )
        return data


class StaffEntryForm(ReportForm):
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[
            (IntakeChannel.PHONE, IntakeChannel.PHONE.label),
            (IntakeChannel.WALK_IN, IntakeChannel.WALK_IN.label),
        ],
    )
    consent = forms.BooleanField(label=_("The reporter agreed to the privacy notice"), required=False)
    organization = forms.IntegerField(label=_("Organization number (optional)"), required=False, min_value=1)

    def clean(self) -> dict:
        # An organization gives the area too, so neither code is required when one is chosen.
        data = forms.Form.clean(self) or {}
        has_point = data.get("latitude") is not None and data.get("longitude") is not None
        if not (
            data.get("subdistrict_code") or data.get("postal_code") or data.get("organization") or has_point
        ):
            self.add_error(
                "postal_code",
                _(
                    "Give a postal code or a subdistrict code, or pick the place on the map, so we can route the report."
                ),
            )
        return data


class TransitionForm(forms.Form):
    to_status = forms.CharField(max_length=12)
    note = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    assignee = forms.IntegerField(required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or JSON export"))
    source = forms.RegexField(label=_("Source name"), regex=r"^[a-z0-9_-]{1,30}$", initial="social")
