"""Forms of the saraban pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from codi.correspondence.models import LetterKind, NoteKind, Secrecy, Urgency
from codi.identity.models import OrgUnit, User


class LetterForm(forms.Form):
    org_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Register of unit"))
    kind = forms.ChoiceField(choices=LetterKind.choices, label=_("Letter kind"))
    urgency = forms.ChoiceField(choices=Urgency.choices, label=_("Urgency"))
    secrecy = forms.ChoiceField(choices=Secrecy.choices, label=_("Secrecy"))
    letter_date = forms.DateField(label=_("Letter date"), widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(
        label=_("Sender's letter number"),
        required=False,
        max_length=80,
        help_text=_("Incoming letters only; outgoing letters and memos are numbered by the register."),
    )
    sender = forms.CharField(label=_("Sender"), required=False, max_length=300)
    recipient = forms.CharField(label=_("To"), required=False, max_length=300)
    subject = forms.CharField(label=_("Subject"), max_length=500)
    salutation = forms.CharField(label=_("Salutation"), required=False, max_length=300)
    reference = forms.CharField(label=_("Referring to"), required=False, max_length=500)
    enclosures = forms.CharField(label=_("Enclosures"), required=False, max_length=500)
    body = forms.CharField(label=_("Body"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    closing = forms.CharField(label=_("Closing"), required=False, max_length=100, initial="ขอแสดงความนับถือ")
    signer = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("Signer"),
        required=False,
    )
    signer_name = forms.CharField(label=_("Signer's name as printed"), required=False, max_length=200)
    signer_position = forms.CharField(label=_("Signer's position"), required=False, max_length=200)
    contact = forms.CharField(
        label=_("Contact unit and telephone"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, units: object, signers: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["signer"].queryset = signers  # type: ignore[attr-defined]


class RouteForm(forms.Form):
    to_units = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.order_by("code"),
        required=False,
        label=_("Units"),
    )
    to_users = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        label=_("People"),
    )
    instruction = forms.CharField(
        label=_("Instruction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(choices=NoteKind.choices, label=_("Minute type"))
    text = forms.CharField(label=_("Minute"), widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    document_id = forms.IntegerField(label=_("Document store id (optional)"), required=False, min_value=1)
