"""My trusted devices: a person lists the browsers they trust and revokes one (issue 14 follow-up).

A verified session gets a device row and its cookie; the page lists only the person's own
devices; revoking is audited, stops the cookie from helping during a sign-in pause, and
another person's device cannot be revoked (404, unchanged).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from codi.core.models import AuditEntry
from codi.identity import services, trusted
from codi.identity.models import TrustedDevice, User
from tests.factories import RoleAssignmentFactory
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
PASSWORD = "a-long-test-password-2569"


def _staff(username: str) -> User:
    user = RoleAssignmentFactory(role="project_officer", scope_level="province", scope_code="40").user
    user.username = username
    user.set_password(PASSWORD)
    user.save()
    return user


def _trusted_browser(user: User) -> tuple[Client, TrustedDevice]:
    client = signed_in_client(user, HTTP_USER_AGENT=FIREFOX)
    response = client.get("/accounts/devices/")
    assert response.status_code == 200
    assert trusted.COOKIE_NAME in response.cookies  # a verified session gets its device
    device = TrustedDevice.objects.get(user=user, revoked_at__isnull=True)
    return client, device


def test_a_verified_browser_becomes_a_trusted_device_and_is_listed_as_this_browser():
    user = _staff("somsri")
    client, device = _trusted_browser(user)
    assert device.label == "Firefox · Windows"
    page = client.get("/accounts/devices/").content.decode()
    assert "Firefox · Windows" in page and "เบราว์เซอร์นี้" in page
    # one device per browser: later requests of the same session add none
    client.get("/accounts/devices/")
    assert TrustedDevice.objects.filter(user=user).count() == 1
    # the new device alone writes no audit entry (the sign-in before it is audited; a revoke is)
    assert not AuditEntry.objects.filter(object_type="identity.trusteddevice").exists()


def test_revoking_a_device_is_audited_and_the_cookie_no_longer_helps_during_a_pause():
    user = _staff("somchai")
    client, device = _trusted_browser(user)
    cookie = client.cookies[trusted.COOKIE_NAME].value
    assert trusted.is_trusted(cookie, user)

    response = client.post(f"/accounts/devices/{device.pk}/revoke/")

    assert response.status_code == 302 and response["Location"] == "/accounts/devices/"
    device.refresh_from_db()
    assert device.revoked_at is not None
    assert response.cookies[trusted.COOKIE_NAME].value == ""  # this browser's cookie is removed
    entry = AuditEntry.objects.get(action="identity.trusted_device_revoke")
    assert entry.object_id == str(device.pk) and entry.actor_id == user.pk
    assert not trusted.is_trusted(cookie, user)
    User.objects.filter(pk=user.pk).update(
        failed_login_count=5, locked_until=timezone.now() + timedelta(minutes=5)
    )
    paused = services.login_check(username=user.username, password=PASSWORD, trusted_device=cookie)
    assert paused.user is None
    assert "Firefox · Windows" not in client.get("/accounts/devices/").content.decode()


def test_another_persons_device_cannot_be_seen_or_revoked():
    owner, stranger = _staff("owner"), _staff("stranger")
    _, device = _trusted_browser(owner)
    stranger_client = signed_in_client(stranger, HTTP_USER_AGENT="curl/8.0")

    listed = stranger_client.get("/accounts/devices/").content.decode()
    refused = stranger_client.post(f"/accounts/devices/{device.pk}/revoke/")

    assert "Firefox · Windows" not in listed
    assert refused.status_code == 404
    device.refresh_from_db()
    assert device.revoked_at is None
    assert not AuditEntry.objects.filter(action="identity.trusted_device_revoke").exists()


def test_signed_out_people_are_sent_to_sign_in_and_revoke_needs_post():
    owner = _staff("owner2")
    client, device = _trusted_browser(owner)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    assert anonymous.get("/accounts/devices/")["Location"].startswith("/accounts/login/")
    assert anonymous.post(f"/accounts/devices/{device.pk}/revoke/").status_code == 302
    assert client.get(f"/accounts/devices/{device.pk}/revoke/").status_code == 405
    device.refresh_from_db()
    assert device.revoked_at is None


def test_the_account_menu_links_to_the_page():
    client, _ = _trusted_browser(_staff("menu"))
    assert 'href="/accounts/devices/"' in client.get("/accounts/profile/").content.decode()
