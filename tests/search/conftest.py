from __future__ import annotations

import pytest

from codi.search import engine


@pytest.fixture(autouse=True)
def fresh_search_cache():
    engine.clear_cache()
    yield
    engine.clear_cache()
