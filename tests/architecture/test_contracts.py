"""The import contracts hold, and they do fail when an app reaches into another app's pages.

Each test copies the Python files of ``src/codi`` to a temporary tree, adds a deliberate
throw-away module there, and runs the real ``lint-imports`` (pyproject's contracts) or
``scripts/check_cycles.py`` over the copy. The source tree itself is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_tree(tmp_path: Path) -> Path:
    src = tmp_path / "src"

    def only_python(directory: str, names: list[str]) -> list[str]:
        return [n for n in names if not (n.endswith(".py") or (Path(directory) / n).is_dir())]

    shutil.copytree(ROOT / "src" / "codi", src / "codi", ignore=only_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return src


def _lint(tmp_path: Path, src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tmp_path / "pyproject.toml"), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _cycles(src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_cycles.py"), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp_path = tmp_path_factory.mktemp("contracts")
    return tmp_path, _copy_tree(tmp_path)


def test_the_contracts_and_the_cycle_check_hold_on_the_code_as_it_is(tree):
    tmp_path, src = tree
    lint = _lint(tmp_path, src)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "0 broken" in lint.stdout
    cycles = _cycles(src)
    assert cycles.returncode == 0, cycles.stdout
    assert "No import loop" in cycles.stdout


@pytest.mark.parametrize(
    ("probe", "contract"),
    [
        # Domain code of one app reaching another app's pages.
        ("projects/services/probe.py", "domain code of every app never imports a pages or API layer"),
        # One app's pages importing another app's pages.
        ("projects/views_probe_helper.py", None),
        # A new app that does not exist today is covered without editing the contracts.
        ("finance/services.py", "domain code of every app never imports a pages or API layer"),
    ],
)
def test_an_app_importing_another_apps_views_breaks_the_contracts(tmp_path, probe, contract):
    src = _copy_tree(tmp_path)
    target = src / "codi" / probe
    target.parent.mkdir(parents=True, exist_ok=True)
    (target.parent / "__init__.py").touch()
    target.write_text("from codi.knowledge import views  # deliberate violation\n")
    if probe.startswith("projects/views"):
        # pages → pages: the probe is imported by projects' own views.
        views = src / "codi" / "projects" / "views" / "__init__.py"
        views.write_text(views.read_text() + "\nfrom codi.projects import views_probe_helper  # noqa\n")

    lint = _lint(tmp_path, src)

    assert lint.returncode != 0, lint.stdout
    assert "codi.knowledge.views" in lint.stdout
    if contract:
        assert f"{contract} BROKEN" in " ".join(lint.stdout.split())
    else:
        assert "an app's pages never import another app's pages BROKEN" in " ".join(lint.stdout.split())


def test_a_loop_between_two_apps_is_found(tmp_path):
    src = _copy_tree(tmp_path)
    # areas sits below identity; an areas selector asking identity closes a loop.
    selectors = src / "codi" / "areas" / "selectors.py"
    selectors.write_text(
        selectors.read_text() + "\nfrom codi.identity.selectors import user_has_perm  # noqa\n"
    )

    cycles = _cycles(src)

    assert cycles.returncode == 1
    assert "Import loop between: codi.areas, codi.identity" in cycles.stdout
    assert "codi.areas.selectors → codi.identity.selectors" in cycles.stdout


def test_privacy_writing_another_apps_table_breaks_the_contract(tmp_path):
    src = _copy_tree(tmp_path)
    # privacy may only orchestrate: reaching a document row to blank it is another app's write.
    probe = src / "codi" / "privacy" / "services" / "probe.py"
    probe.write_text(
        "from codi.documents.models import Document  # deliberate violation\n\n\n"
        "def blank(pk):\n    Document.objects.filter(pk=pk).update(title='')\n"
    )

    lint = _lint(tmp_path, src)

    assert lint.returncode != 0, lint.stdout
    out = " ".join(lint.stdout.split())
    assert (
        "privacy orchestrates data-subject requests through the collectors each app registers BROKEN" in out
    )
    assert "codi.privacy.services.probe -> codi.documents.models" in out


def test_an_import_hidden_inside_a_function_is_still_checked(tmp_path):
    src = _copy_tree(tmp_path)
    # import-linter reads imports inside functions too: deferring one does not hide the edge.
    probe = src / "codi" / "communities" / "services" / "probe.py"
    probe.write_text(
        "def page():\n    from codi.knowledge import views  # deliberate violation\n\n    return views\n"
    )

    lint = _lint(tmp_path, src)

    assert lint.returncode != 0, lint.stdout
    out = " ".join(lint.stdout.split())
    assert "domain code of every app never imports a pages or API layer BROKEN" in out
    assert "codi.communities.services.probe -> codi.knowledge.views" in out
