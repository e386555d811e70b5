from __future__ import annotations

import pytest

from codi.communities.models import Organization, OrgType
from tests.factories import UserFactory
from tests.permissions import Matrix


@pytest.fixture
def officer(matrix: Matrix):
    """A project officer for Khon Kaen (province 40): manages organizations and sees personal data there."""
    return matrix.user("project_officer", "province", "40")


@pytest.fixture
def khon_kaen_orgs() -> list[Organization]:
    return [
        Organization.objects.create(
            name_th=f"กลุ่มออมทรัพย์บ้านทดสอบ {i}",
            org_type=OrgType.SAVINGS_GROUP,
            registration_no=f"KK-{i:03d}",
            subdistrict_id=code,
        )
        for i, code in enumerate(["400101", "400104", "400105", "400201", "400301"])
    ]


@pytest.fixture
def tasks_inline(settings):
    """Background tasks run at once (the database queue needs a worker process)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


__all__ = ["UserFactory"]
