from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.permissions import Matrix


@pytest.fixture(autouse=True)
def tasks_inline(settings):
    """Notification deliveries run at once (the database queue needs a worker process)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(matrix: Matrix):
    """The project officer for Khon Kaen (province 40, region northeast)."""
    user = matrix.user("project_officer", "province", "40")
    user.email = "officer40@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def director(matrix: Matrix):
    return matrix.user("regional_director", "region", "northeast")
