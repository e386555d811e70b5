"""Sign-in throttling (issue 12, item 5): per address, per account with backoff, trusted devices.

Reproduces the findings: 60 usernames from one address got no 429; "account locked" was shown
only for real accounts; anyone could keep a known account locked out.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from codi.identity import services, trusted
from codi.identity.models import User
from tests.factories import TEST_PASSWORD, RoleAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_otp_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    settings.RATELIMIT_URL = (
        ""  # the database store; the Redis one is covered in tests/core/test_ratelimit.py
    )


def _client(ip: str = "198.51.100.10") -> Client:
    return Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR=ip)


def _staff() -> User:
    return RoleAssignmentFactory(role="project_officer", scope_level="province", scope_code="40").user


def _enrolled_staff() -> tuple[User, list[str]]:
    """A staff user with an authenticator; their recovery codes (the TOTP code was spent enrolling)."""
    user = _staff()
    device = services.mfa_totp_begin(user=user)
    codes = services.mfa_totp_confirm(user=user, device=device, token=_code(device))
    assert codes is not None
    return user, codes


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _post_login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _refusal(response) -> list[str]:
    return [str(error) for error in response.context["form"].non_field_errors()]


def test_sixty_usernames_from_one_address_get_429_after_the_limit(settings):
    # given an attacker at one address trying 60 different usernames
    client = _client("203.0.113.5")
    statuses = [_post_login(client, f"guess{i}", "Wrong-password-1").status_code for i in range(60)]
    # then the first LOGIN_IP_FAILURES are refused normally and every later one is throttled
    limit = settings.LOGIN_IP_FAILURES
    assert statuses == [401] * limit + [429] * (60 - limit)
    throttled = _post_login(client, "guess61", "Wrong-password-1")
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= settings.LOGIN_IP_WINDOW_SECONDS
    assert "เครือข่ายของท่าน" in throttled.content.decode()
    # and another address is not affected
    assert _post_login(_client("203.0.113.6"), "guess0", "Wrong-password-1").status_code == 401


def test_a_throttled_address_cannot_sign_in_even_with_the_right_password(settings):
    user = _staff()
    client = _client("203.0.113.7")
    for i in range(settings.LOGIN_IP_FAILURES):
        _post_login(client, f"nobody{i}", "Wrong-password-1")
    assert _post_login(client, user.username, TEST_PASSWORD).status_code == 429
    # while the owner elsewhere still can
    assert _post_login(_client("192.0.2.1"), user.username, TEST_PASSWORD).status_code == 302


def test_unknown_wrong_and_paused_accounts_get_the_same_answer():
    user = _staff()
    for _ in range(5):
        services.login_check(username=user.username, password="Wrong-password-1", ip="192.0.2.50")
    assert User.objects.get(pk=user.pk).is_locked()

    unknown = _post_login(_client("192.0.2.60"), "no-such-user", "Wrong-password-1")
    wrong = _post_login(_client("192.0.2.61"), _staff().username, "Wrong-password-1")
    paused = _post_login(_client("192.0.2.62"), user.username, TEST_PASSWORD)

    assert unknown.status_code == wrong.status_code == paused.status_code == 401
    assert _refusal(unknown) == _refusal(wrong) == _refusal(paused)
    assert "ล็อก" not in paused.content.decode()


def test_the_pause_grows_with_each_failure_and_is_capped(settings):
    assert [services.login_backoff_seconds(n) for n in range(1, 12)] == [
        0,
        0,
        0,
        0,
        60,
        120,
        240,
        480,
        900,
        900,
        900,
    ]
    user = _staff()
    # given the first pause has run out after five failures
    User.objects.filter(pk=user.pk).update(
        failed_login_count=5, locked_until=timezone.now() - timedelta(seconds=1)
    )
    # when one more wrong password comes
    services.login_check(username=user.username, password="Wrong-password-1", ip="192.0.2.70")
    # then the next pause is two minutes
    user.refresh_from_db()
    assert user.failed_login_count == 6
    assert timedelta(seconds=110) < user.locked_until - timezone.now() <= timedelta(minutes=2)


def test_attempts_during_a_pause_do_not_extend_it():
    user = _staff()
    for _ in range(5):
        services.login_check(username=user.username, password="Wrong-password-1", ip="192.0.2.80")
    until = User.objects.get(pk=user.pk).locked_until
    for _ in range(10):
        services.login_check(username=user.username, password="Wrong-password-1", ip="192.0.2.81")
    assert User.objects.get(pk=user.pk).locked_until == until


def test_a_full_two_step_sign_in_leaves_a_trusted_device_cookie():
    user, codes = _enrolled_staff()
    client = _client()
    response = _post_login(client, user.username, TEST_PASSWORD)
    assert response["Location"].startswith("/accounts/mfa/verify/")
    # after the password alone: no cookie
    assert trusted.COOKIE_NAME not in response.cookies
    done = client.post("/accounts/mfa/verify/", {"token": codes[0]})
    assert done.status_code == 302
    assert trusted.is_trusted(done.cookies[trusted.COOKIE_NAME].value, user)
    assert done.cookies[trusted.COOKIE_NAME]["httponly"]


def test_a_paused_account_still_signs_in_from_its_trusted_device():
    # given the owner once signed in fully on this browser
    user, codes = _enrolled_staff()
    owner = _client("192.0.2.90")
    _post_login(owner, user.username, TEST_PASSWORD)
    owner.post("/accounts/mfa/verify/", {"token": codes[0]})
    owner.post("/accounts/logout/")
    assert trusted.COOKIE_NAME in owner.cookies
    # and an attacker elsewhere pauses the account
    attacker = _client("203.0.113.99")
    for _ in range(5):
        _post_login(attacker, user.username, "Wrong-password-1")
    assert User.objects.get(pk=user.pk).is_locked()
    assert _post_login(attacker, user.username, TEST_PASSWORD).status_code == 401
    assert _post_login(_client("192.0.2.91"), user.username, TEST_PASSWORD).status_code == 401
    # when the owner signs in from the trusted browser, then the password step passes
    response = _post_login(owner, user.username, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/verify/")
    # and the second step is still asked for
    assert owner.get("/").status_code == 302


def test_a_trusted_device_cookie_helps_no_other_account_and_dies_with_a_password_change():
    user, _ = _enrolled_staff()
    other = _staff()
    cookie = trusted.cookie_value(user, trusted.device_add(user=user, user_agent="Firefox/140.0"))
    assert trusted.is_trusted(cookie, user)
    assert not trusted.is_trusted(cookie, other)
    assert not trusted.is_trusted(cookie + "x", user)
    User.objects.filter(pk=other.pk).update(
        failed_login_count=5, locked_until=timezone.now() + timedelta(minutes=5)
    )
    assert (
        services.login_check(username=other.username, password=TEST_PASSWORD, trusted_device=cookie).user
        is None
    )
    user.set_password("A-new-password-2026")
    user.save()
    assert not trusted.is_trusted(cookie, User.objects.get(pk=user.pk))


def test_sign_in_answers_503_when_the_counter_store_is_down(settings):
    settings.RATELIMIT_URL = "redis://127.0.0.1:1/0"
    user = _staff()
    response = _post_login(_client(), user.username, TEST_PASSWORD)
    assert response.status_code == 503
    assert "_auth_user_id" not in _client().session


def test_a_paused_account_signs_in_with_password_and_a_recovery_code_on_a_new_device():
    # given an attacker paused the account and the owner is on a browser never used before
    user, codes = _enrolled_staff()
    for _ in range(5):
        _post_login(_client("203.0.113.120"), user.username, "Wrong-password-1")
    owner = _client("192.0.2.120")
    # when the password comes with a wrong code, then the usual refusal
    wrong = owner.post(
        "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD, "otp_token": "1234567890"}
    )
    assert wrong.status_code == 401
    assert _refusal(wrong) == _refusal(_post_login(_client("192.0.2.121"), "nobody-here", "x-Wrong-1"))
    # when it comes with a recovery code, then a full two-step sign-in, the pause lifted
    done = owner.post(
        "/accounts/login/",
        {"username": user.username, "password": TEST_PASSWORD, "otp_token": codes[1], "next": "/projects/"},
    )
    assert (done.status_code, done["Location"]) == (302, "/projects/")
    assert owner.get("/").status_code == 200
    assert not User.objects.get(pk=user.pk).is_locked()
    # and the recovery code is used up
    assert services.mfa_verify(user=user, token=codes[1]) is None


def test_a_recovery_code_with_a_wrong_password_does_not_lift_the_pause():
    user, codes = _enrolled_staff()
    for _ in range(5):
        services.login_check(username=user.username, password="Wrong-password-1", ip="203.0.113.130")
    result = services.login_check(
        username=user.username, password="Wrong-password-1", ip="192.0.2.130", otp_token=codes[0]
    )
    assert result.user is None
    assert User.objects.get(pk=user.pk).is_locked()
