"""One permission guard for pages and the API: it refuses alike, by permission or by a check."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from codi.api import kit
from codi.identity import guards
from codi.identity.roles import Perm

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("guard", [guards.need, kit.need])
def test_the_guard_passes_the_permission_holder_and_refuses_the_rest(guard, matrix):
    officer = matrix.user("project_officer", "province", "40")
    leader = matrix.user("community_leader", "subdistrict", "400104")

    guard(_request(officer), Perm.PROJECTS_MANAGE)
    with pytest.raises(PermissionDenied):
        guard(_request(leader), Perm.PROJECTS_MANAGE)


def test_the_guard_takes_a_check_of_the_user(matrix):
    officer = matrix.user("project_officer", "province", "40")

    guards.need(_request(officer), lambda user: user.pk == officer.pk)
    with pytest.raises(PermissionDenied):
        guards.need(_request(officer), lambda user: False)
