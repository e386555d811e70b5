"""Two-step sign-in cannot be skipped or moved with the password alone (issue 12, items 1 and 9)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from codi.identity import services
from codi.identity.models import User
from tests.factories import TEST_PASSWORD, RoleAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_otp_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrolled_staff() -> tuple[User, TOTPDevice, list[str]]:
    user = RoleAssignmentFactory(role="project_officer", scope_level="province", scope_code="40").user
    device = services.mfa_totp_begin(user=user)
    codes = services.mfa_totp_confirm(user=user, device=device, token=_code(device))
    assert codes is not None
    return user, device, codes


def _password_only(user: User) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response["Location"].startswith("/accounts/mfa/verify/")
    return client


def test_password_alone_cannot_make_recovery_codes_and_sign_in():
    # given a victim enrolled in two-step sign-in, and an attacker with only the password
    user, _, old_codes = _enrolled_staff()
    attacker = _password_only(user)
    # when the attacker asks for new recovery codes (the reproduction from the report)
    response = attacker.post("/accounts/mfa/recovery-codes/new/")
    page = attacker.get("/accounts/mfa/recovery-codes/")
    # then nothing is issued, the victim's codes still stand, and no page opens
    assert response.status_code == 302 and response["Location"].startswith("/accounts/mfa/verify/")
    assert not re.search(r"<li>[0-9a-z]{6,}</li>", page.content.decode())
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(
        old_codes
    )
    leaked = re.findall(r"<li>([0-9a-z]{6,})</li>", page.content.decode())
    for code in leaked:  # on the old code, these sign the attacker in
        attacker.post("/accounts/mfa/verify/", {"token": code})
    assert attacker.get("/projects/").status_code == 302
    assert attacker.get("/api/v1/identity/me").status_code == 401


def test_password_alone_cannot_replace_the_authenticator():
    user, device, _ = _enrolled_staff()
    attacker = _password_only(user)
    response = attacker.get("/accounts/mfa/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/mfa/verify/")
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [device.pk]


def test_recovery_codes_need_a_fresh_code_even_in_a_verified_session():
    user, _, old_codes = _enrolled_staff()
    client = _password_only(user)
    assert client.post("/accounts/mfa/verify/", {"token": old_codes[2]}).status_code == 302
    old_codes = old_codes[:2] + old_codes[3:]
    # a verified session without a fresh code is refused
    refused = client.post("/accounts/mfa/recovery-codes/new/")
    assert refused.status_code == 302 and refused["Location"] == "/accounts/profile/"
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(
        old_codes
    )
    # with a recovery code typed now, new codes are made and shown once
    made = client.post("/accounts/mfa/recovery-codes/new/", {"token": old_codes[0]})
    assert made["Location"].startswith("/accounts/mfa/recovery-codes/")
    page = client.get(made["Location"])
    shown = re.findall(r"<li>([0-9a-z]+)</li>", page.content.decode())
    assert len(shown) == 10
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(shown)


def test_changing_the_authenticator_needs_the_old_factor():
    user, device, codes = _enrolled_staff()
    client = _password_only(user)
    client.post("/accounts/mfa/verify/", {"token": codes[0]})
    assert client.get("/accounts/mfa/setup/").status_code == 200
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    without = client.post("/accounts/mfa/setup/", {"token": _code(new), "current_token": "000000"})
    assert without.status_code == 422
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    moved = client.post("/accounts/mfa/setup/", {"token": _code(new), "current_token": codes[1]})
    assert moved.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]


def test_the_session_key_changes_at_the_second_factor():
    user, _, codes = _enrolled_staff()
    client = _password_only(user)
    before = client.cookies["sessionid"].value
    assert client.post("/accounts/mfa/verify/", {"token": codes[0]}).status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    # the session id from before the second step does not carry the verified session
    old = Client(HTTP_HOST="127.0.0.1")
    old.cookies["sessionid"] = before
    assert old.get("/projects/").status_code == 302
    assert client.get("/projects/").status_code == 200
