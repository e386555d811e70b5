from __future__ import annotations

import pytest
from stdnum.th import pin

from codi.communities.crypto import blind_index
from codi.communities.models import Membership, Organization, Person
from tests.permissions import Matrix


@pytest.fixture(autouse=True)
def tasks_inline(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def steward(matrix: Matrix):
    """The DPO for the whole country: views and manages governance."""
    return matrix.user("data_protection_officer", "country")


def valid_id(first12: str) -> str:
    return first12 + pin.calc_check_digit(first12)


def make_person(national_id: str, *, subdistrict: str = "400104", first: str = "สมชาย") -> Person:
    """A person written straight to the table, as a legacy import would (no validation)."""
    return Person.objects.create(
        national_id=national_id,
        national_id_index=blind_index(national_id),
        national_id_masked=national_id[:1] + "-xxxx-xxxxx-" + national_id[-3:],
        first_name_th=first,
        last_name_th="ใจดี",
        subdistrict_id=subdistrict,
    )


def make_org(name: str, *, subdistrict: str = "400104", **extra: object) -> Organization:
    return Organization.objects.create(
        name_th=name, org_type=extra.pop("org_type", "community_org"), subdistrict_id=subdistrict, **extra
    )


def make_membership(person: Person, org: Organization, role: str = "member") -> Membership:
    return Membership.objects.create(person=person, organization=org, role=role)
