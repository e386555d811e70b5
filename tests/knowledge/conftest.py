from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codi.knowledge.services import BUNDLED_DIR, statutes_import
from codi.search import engine

# Small Acts used across the tests: computer crime (30 sections), official information (43),
# electronic transactions (59, with sub-sections like 12/1).
TEST_ACTS = ("556460", "302231", "570721")


@pytest.fixture(autouse=True)
def fresh_search_cache():
    # Index versions restart with each test's rolled-back transaction; cached indexes must not outlive it.
    engine.clear_cache()
    yield
    engine.clear_cache()


@pytest.fixture
def acts_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "acts"
    folder.mkdir()
    for act_id in TEST_ACTS:
        shutil.copy(BUNDLED_DIR / f"{act_id}.txt", folder / f"{act_id}.txt")
    shutil.copy(BUNDLED_DIR / "index.csv", folder / "index.csv")
    return folder


@pytest.fixture
def statutes(db, acts_dir: Path):
    """Three Acts imported, lexical index only (no embedding: tests stay fast)."""
    return statutes_import(directory=acts_dir)
