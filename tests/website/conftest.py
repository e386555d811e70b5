from __future__ import annotations

import pytest
from django.core.cache import cache

from codi.website.demo import load_website_demo


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    """The demo website, loaded by the same code as ``manage.py load_website_demo``."""
    return load_website_demo().home
