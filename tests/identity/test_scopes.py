"""Area scopes: what a role assignment at each level lets a user see."""

from __future__ import annotations

import pytest

from codi.communities.models import Organization
from codi.communities.selectors import organization_list
from codi.identity import services
from codi.identity.roles import Perm
from codi.identity.selectors import scope_province_codes, user_can_in_area
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

# ในเมือง ขอนแก่น (NE) · ท่าพระ ขอนแก่น · พระบรมมหาราชวัง กรุงเทพฯ · ศรีภูมิ เชียงใหม่ (N)
KHON_KAEN_MUEANG, THA_PHRA, BANGKOK, CHIANG_MAI = "400101", "400104", "100101", "500101"


@pytest.fixture
def orgs() -> dict[str, Organization]:
    return {
        code: OrganizationFactory(subdistrict_id=code)
        for code in (KHON_KAEN_MUEANG, THA_PHRA, BANGKOK, CHIANG_MAI)
    }


def _visible(user) -> set[str]:
    return set(organization_list(actor=user).values_list("subdistrict_id", flat=True))


def _officer(scope_level: str, scope_code: str = ""):
    user = UserFactory()
    services.role_assign(
        actor=None, user=user, role="project_officer", scope_level=scope_level, scope_code=scope_code
    )
    return user


@pytest.mark.parametrize(
    ("scope_level", "scope_code", "expected"),
    [
        ("country", "", {KHON_KAEN_MUEANG, THA_PHRA, BANGKOK, CHIANG_MAI}),
        ("region", "northeast", {KHON_KAEN_MUEANG, THA_PHRA}),
        ("region", "north", {CHIANG_MAI}),
        ("province", "40", {KHON_KAEN_MUEANG, THA_PHRA}),
        ("district", "4001", {KHON_KAEN_MUEANG, THA_PHRA}),
        ("district", "1001", {BANGKOK}),
        ("subdistrict", THA_PHRA, {THA_PHRA}),
    ],
)
def test_each_scope_level_sees_exactly_its_areas(orgs, scope_level, scope_code, expected):
    assert _visible(_officer(scope_level, scope_code)) == expected


def test_grants_add_up_across_assignments(orgs):
    user = _officer("subdistrict", THA_PHRA)
    services.role_assign(
        actor=None, user=user, role="project_officer", scope_level="province", scope_code="10"
    )
    assert _visible(user) == {THA_PHRA, BANGKOK}


def test_a_role_without_the_permission_sees_nothing(orgs):
    user = UserFactory()
    services.role_assign(actor=None, user=user, role="hr_officer", scope_level="country")
    assert _visible(user) == set()


def test_a_user_without_roles_sees_nothing(orgs):
    assert _visible(UserFactory()) == set()


def test_user_can_in_area_follows_the_same_rules():
    director = UserFactory()
    services.role_assign(
        actor=None, user=director, role="regional_director", scope_level="region", scope_code="northeast"
    )
    assert user_can_in_area(director, Perm.ORGS_MANAGE, subdistrict_code=THA_PHRA)
    assert not user_can_in_area(director, Perm.ORGS_MANAGE, subdistrict_code=BANGKOK)
    assert not user_can_in_area(director, Perm.USERS_MANAGE, subdistrict_code=THA_PHRA)


def test_scope_province_codes():
    assert scope_province_codes(_officer("country"), Perm.ORGS_VIEW) is None
    assert scope_province_codes(_officer("district", "4001"), Perm.ORGS_VIEW) == ["40"]
    northeast = scope_province_codes(_officer("region", "northeast"), Perm.ORGS_VIEW)
    assert northeast is not None and len(northeast) == 20 and "40" in northeast


@pytest.mark.parametrize(
    ("scope_level", "scope_code", "message"),
    [
        ("province", "99", "Unknown area code"),
        ("region", "atlantis", "Unknown area code"),
        ("country", "40", "Country scope takes no code"),
        ("planet", "", "Unknown scope level"),
    ],
)
def test_role_assign_validates_the_scope(scope_level, scope_code, message):
    with pytest.raises(services.IdentityError, match=message):
        services.role_assign(
            actor=None,
            user=UserFactory(),
            role="project_officer",
            scope_level=scope_level,
            scope_code=scope_code,
        )


def test_role_assign_is_idempotent_and_audited():
    from codi.core.models import AuditEntry

    user = UserFactory()
    first = services.role_assign(actor=None, user=user, role="executive", scope_level="country")
    second = services.role_assign(actor=None, user=user, role="executive", scope_level="country")
    assert first.pk == second.pk
    assert AuditEntry.objects.filter(action="identity.role_assign", object_id=str(user.pk)).count() == 1
