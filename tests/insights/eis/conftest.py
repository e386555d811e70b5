from __future__ import annotations

from datetime import date

import pytest

from codi.projects.generator import projects_demo_load
from tests.factories import UserFactory

TODAY = date(2026, 11, 29)


@pytest.fixture
def demo_projects():
    UserFactory(username="demo_finance")
    return projects_demo_load(count=16, today=TODAY)
