from __future__ import annotations

import pytest

from tests.permissions import Matrix


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the real Thai areas (loaded once per session)."""
    from codi.areas.services import areas_load_reference

    with django_db_blocker.unblock():
        areas_load_reference()


@pytest.fixture
def matrix() -> Matrix:
    return Matrix()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's cost is the point in production and only slowness in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
