from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from codi.signatures.models import RevocationReason

MAX_PDF_BYTES = 10 * 1024 * 1024


class CertificateRequestForm(forms.Form):
    position = forms.CharField(label=_("Position shown in the signature"), max_length=200, required=False)


class AdminIssueForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    position = forms.CharField(label=_("Position shown in the signature"), max_length=200, required=False)


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RevocationReason.choices)


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Signed PDF"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return bytes(upload.read())
