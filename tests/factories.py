"""factory_boy factories for the shared models."""

from __future__ import annotations

import factory

from codi.communities.models import Organization, OrgType
from codi.identity.models import RoleAssignment, User

TEST_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name_th = factory.Sequence(lambda n: f"ผู้ใช้ทดสอบ {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = "project_officer"
    scope_level = "country"
    scope_code = ""


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_th = factory.Sequence(lambda n: f"องค์กรชุมชนทดสอบ {n}")
    org_type = OrgType.COMMUNITY_ORGANIZATION
    subdistrict_id = "400101"  # ในเมืองขอนแก่น
