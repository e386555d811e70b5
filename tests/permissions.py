"""The permission matrix every endpoint test uses: anonymous, wrong role, out of scope, allowed.

    matrix.check(
        lambda client: client.get(url),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
    )

Each kind of user gets its own signed-in client (staff pass MFA first). A
refusal is a 401/403/404 status by default; list endpoints pass ``refused``
to say what "not shown" means for them (e.g. the object absent from items).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from codi.identity.models import RoleAssignment, User
from codi.identity.selectors import user_needs_mfa
from tests.factories import UserFactory

Call = Callable[[Client], HttpResponse]
REFUSED_STATUSES = frozenset({401, 403, 404})


def status_refused(response: HttpResponse) -> bool:
    return response.status_code in REFUSED_STATUSES


def signed_in_client(user: User, **client_kwargs: object) -> Client:
    """A client whose session is signed in and, for staff, past the second factor."""
    client = Client(HTTP_HOST="127.0.0.1", **client_kwargs)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if user_needs_mfa(User.objects.get(pk=user.pk)):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@dataclass
class Matrix:
    results: dict[str, int] = field(default_factory=dict)

    def user(self, role: str, scope_level: str, scope_code: str = "") -> User:
        user = UserFactory()
        RoleAssignment.objects.create(user=user, role=role, scope_level=scope_level, scope_code=scope_code)
        return user

    def check(
        self,
        call: Call,
        *,
        allowed: User,
        wrong_role: User | None,
        out_of_scope: User | None,
        allowed_ok: Callable[[HttpResponse], bool] = lambda r: r.status_code < 300,
        refused: Callable[[HttpResponse], bool] = status_refused,
        anonymous_refused: Callable[[HttpResponse], bool] = lambda r: r.status_code in {401, 302},
    ) -> None:
        anonymous = call(Client(HTTP_HOST="127.0.0.1"))
        assert anonymous_refused(anonymous), f"anonymous was not refused: {anonymous.status_code}"
        if wrong_role is not None:
            response = call(signed_in_client(wrong_role))
            assert refused(response), (
                f"wrong role was not refused: {response.status_code} {response.content[:300]!r}"
            )
        if out_of_scope is not None:
            response = call(signed_in_client(out_of_scope))
            assert refused(response), (
                f"out-of-scope user was not refused: {response.status_code} {response.content[:300]!r}"
            )
        response = call(signed_in_client(allowed))
        assert allowed_ok(response), (
            f"allowed user was refused: {response.status_code} {response.content[:300]!r}"
        )
