"""Forms of the DPO's pages (validation of shape only; the rules are in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from codi.privacy.models import ConsentChannel, Purpose, RequestKind, RiskLevel

PURPOSE_OR_ALL = [*Purpose.choices, ("all", _("Every purpose"))]


class NationalIdField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(label=_("National ID"), max_length=17, **kwargs)  # type: ignore[arg-type]


class NoticeForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    title_th = forms.CharField(label=_("Thai title"), max_length=200)
    title_en = forms.CharField(label=_("English title"), max_length=200)
    body_th = forms.CharField(label=_("Thai text"), widget=forms.Textarea(attrs={"rows": 8}))
    body_en = forms.CharField(label=_("English text"), widget=forms.Textarea(attrs={"rows": 8}))


class ConsentForm(forms.Form):
    national_id = NationalIdField()
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=ConsentChannel.choices)
    evidence_text = forms.CharField(
        label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)


class WithdrawForm(forms.Form):
    national_id = NationalIdField()
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=ConsentChannel.choices)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    national_id = NationalIdField()
    requester_name = forms.CharField(label=_("Requester"), max_length=200)
    channel = forms.ChoiceField(label=_("Channel"), choices=ConsentChannel.choices)
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class VerifyForm(forms.Form):
    method = forms.CharField(label=_("Identity checked by"), max_length=200)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RestrictForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PURPOSE_OR_ALL)
    reason = forms.CharField(label=_("Reason"), required=False)


class RectifyForm(forms.Form):
    first_name_th = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name_th = forms.CharField(label=_("Last name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), required=False)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Legal reason"), widget=forms.Textarea(attrs={"rows": 2}))


class BreachForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    discovered_at = forms.DateTimeField(label=_("Discovered at"))
    affected_records = forms.IntegerField(label=_("Affected records"), min_value=0, initial=0)
    national_ids = forms.CharField(
        label=_("National IDs of affected persons (one a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    data_categories = forms.CharField(label=_("Data concerned"), required=False)


class AssessForm(forms.Form):
    risk_level = forms.ChoiceField(label=_("Risk"), choices=RiskLevel.choices)
    assessment = forms.CharField(label=_("Risk assessment"), widget=forms.Textarea(attrs={"rows": 3}))


class RegulatorForm(forms.Form):
    reference = forms.CharField(label=_("Regulator reference"), max_length=100)
    late_reason = forms.CharField(label=_("Reason for a late notification"), required=False)


class ActivityForm(forms.Form):
    name_th = forms.CharField(label=_("Thai name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    lawful_basis = forms.CharField(label=_("Lawful basis"), max_length=200)
    data_subjects = forms.CharField(label=_("Categories of data subjects"), max_length=300)
    datasets = forms.CharField(
        label=_("Datasets (e.g. communities.Person, one a line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    recipients = forms.CharField(label=_("Recipients"), required=False)
    transfers_abroad = forms.CharField(label=_("Transfers abroad"), required=False)
    retention = forms.CharField(label=_("Retention"), max_length=300)
    security_measures = forms.CharField(
        label=_("Security measures"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PolicyForm(forms.Form):
    rule = forms.CharField(widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Days"), min_value=30)
    is_enabled = forms.BooleanField(label=_("Enabled"), required=False)
