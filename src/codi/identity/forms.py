from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from codi.identity.models import OrgUnit
from codi.identity.roles import Role, ScopeLevel


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    # Only needed while password sign-in is paused after failed attempts: with the password it is
    # a full two-step sign-in, so the pause (which strangers can cause) does not keep the owner out.
    otp_token = forms.CharField(
        label=_("Code from your authenticator, or a recovery code"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code or a recovery code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class DeviceChangeForm(TokenForm):
    """Moving the second factor to a new phone: the new phone's code plus a code proving the old factor."""

    current_token = forms.CharField(
        label=_("Code from your current authenticator, or a recovery code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    org_unit = forms.ModelChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.all(), required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, min_length=12)


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    scope_level = forms.ChoiceField(label=_("Scope"), choices=ScopeLevel.choices)
    scope_code = forms.CharField(
        label=_("Area code"),
        max_length=20,
        required=False,
        help_text=_("Region code, or a 2-, 4- or 6-digit DOPA code; empty for the whole country"),
    )


class PasswordChangeForm(forms.Form):
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, min_length=12)
