"""Sign-in, lockout, second factor, recovery codes, idle expiry, log out everywhere."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from codi.core.models import AuditEntry
from codi.identity import services
from codi.identity.models import User
from tests.factories import TEST_PASSWORD, RoleAssignmentFactory, UserFactory
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_otp_throttle(settings):
    """django-otp delays retries after a wrong code; these tests retry at once on purpose."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _client() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


def _staff(**kwargs) -> User:
    return RoleAssignmentFactory(
        role="project_officer", scope_level="province", scope_code="40", **kwargs
    ).user


def _current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_login_page_is_thai_by_default():
    response = _client().get("/accounts/login/")
    assert response.status_code == 200
    assert "เข้าสู่ระบบ" in response.content.decode()
    assert response["Content-Language"] == "th"


def test_wrong_password_is_refused_with_a_thai_message():
    user = _staff()
    response = _client().post(
        "/accounts/login/", {"username": user.username, "password": "wrong-password-123"}
    )
    assert response.status_code == 401
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_five_failures_pause_the_account_even_with_the_right_password():
    user = _staff()
    for _ in range(5):
        services.login_check(username=user.username, password="wrong-password-123")
    user.refresh_from_db()
    assert user.locked_until is not None
    # the first pause is one minute; later ones grow (tests/identity/test_login_throttle.py)
    assert timedelta(seconds=50) < user.locked_until - timezone.now() <= timedelta(minutes=1)
    assert services.login_check(username=user.username, password=TEST_PASSWORD).user is None
    response = _client().post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 401
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_the_lock_expires_and_a_success_resets_the_count():
    user = _staff()
    User.objects.filter(pk=user.pk).update(
        locked_until=timezone.now() - timedelta(seconds=1), failed_login_count=3
    )
    assert services.login_check(username=user.username, password=TEST_PASSWORD).user == user
    user.refresh_from_db()
    assert (user.failed_login_count, user.locked_until) == (0, None)


def test_four_failures_do_not_lock():
    user = _staff()
    for _ in range(4):
        services.login_check(username=user.username, password="wrong-password-123")
    assert services.login_check(username=user.username, password=TEST_PASSWORD).user == user


def test_failed_and_successful_logins_are_audited():
    user = _staff()
    services.login_check(username=user.username, password="nope-nope-nope")
    services.login_check(username=user.username, password=TEST_PASSWORD)
    actions = list(AuditEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))
    assert actions[-2:] == ["identity.login_failed", "identity.login"]


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("short-pw-1", "at least 12"), ("password1234", "too common"), ("123456789012", "entirely numeric")],
)
def test_password_policy(password, fragment):
    with pytest.raises(Exception, match=fragment):
        services.user_create(actor=None, username="newperson", password=password)


def test_staff_must_set_up_mfa_then_reach_the_dashboard(no_otp_throttle):
    user = _staff()
    client = _client()
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response["Location"].startswith("/accounts/mfa/setup/")
    # Before the second step, pages and the API are closed.
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/identity/me").status_code == 401

    setup = client.get("/accounts/mfa/setup/")
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post("/accounts/mfa/setup/", {"token": "000000"})
    assert "รหัสไม่ถูกต้อง" in wrong.content.decode()

    done = client.post("/accounts/mfa/setup/?next=/", {"token": _current_code(device)})
    assert done["Location"].startswith("/accounts/mfa/recovery-codes/")
    codes_page = client.get(done["Location"])
    assert codes_page.content.decode().count("<li>") >= 10
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/identity/me").status_code == 200


def test_enrolled_staff_get_the_challenge_and_a_recovery_code_works_once(no_otp_throttle):
    user = _staff()
    device = services.mfa_totp_begin(user=user)
    codes = services.mfa_totp_confirm(user=user, device=device, token=_current_code(device))
    assert codes is not None and len(codes) == 10

    client = _client()
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response["Location"].startswith("/accounts/mfa/verify/")
    assert client.post("/accounts/mfa/verify/", {"token": "999999"}).status_code == 200
    assert client.post("/accounts/mfa/verify/", {"token": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    assert services.mfa_verify(user=user, token=codes[0]) is None


def test_community_leaders_sign_in_without_a_second_factor():
    user = RoleAssignmentFactory(role="community_leader", scope_level="subdistrict", scope_code="400104").user
    client = _client()
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_does_not_redirect_off_site():
    user = RoleAssignmentFactory(role="community_leader", scope_level="subdistrict", scope_code="400104").user
    response = _client().post(
        "/accounts/login/?next=https://evil.example/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response["Location"] == "/"


def test_idle_session_expires(settings):
    settings.SESSION_IDLE_SECONDS = 60
    user = _staff()
    client = signed_in_client(user)
    assert client.get("/").status_code == 200
    session = client.session
    session["codi_last_seen"] = int(time.time()) - 120
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/identity/me").status_code == 401


def test_expired_session_on_the_api_gets_problem_json(settings):
    settings.SESSION_IDLE_SECONDS = 60
    client = signed_in_client(_staff())
    session = client.session
    session["codi_last_seen"] = int(time.time()) - 120
    session.save()
    response = client.get("/api/v1/identity/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail_en"] == "Your session expired; sign in again"


def test_log_out_everywhere_ends_other_sessions():
    user = _staff()
    laptop, phone = signed_in_client(user), signed_in_client(user)
    assert phone.get("/").status_code == 200
    assert laptop.post("/accounts/logout-everywhere/").status_code == 302
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 302


def test_logout_requires_post_and_ends_the_session():
    client = signed_in_client(_staff())
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_deactivated_user_cannot_sign_in():
    user = _staff()
    services.user_set_active(actor=None, user=user, is_active=False)
    assert services.login_check(username=user.username, password=TEST_PASSWORD).user is None


def test_language_switch_to_english():
    client = signed_in_client(UserFactory())
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "My work" in client.get("/").content.decode()


def test_wrong_codes_slow_down_further_tries():
    user = _staff()
    device = services.mfa_totp_begin(user=user)
    services.mfa_totp_confirm(user=user, device=device, token=_current_code(device))
    assert services.mfa_verify(user=user, token="000000") is None
    # Even the right code is refused while the device is throttled after a failure.
    assert services.mfa_verify(user=user, token=_current_code(device)) is None
