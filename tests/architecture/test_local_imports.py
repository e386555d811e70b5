"""An import inside a function says why it is there.

Imports belong at the top of a module, where a reader sees every edge. One is kept inside a
function only to defer a heavy library (``# heavy: ...``), to break a real cycle
(``# cycle: ...``) or to register into another app once the app registry is ready
(``# app registry: ...``); the comment on its line gives the reason. Every app is checked,
a new one included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "codi"
# Every app, a new one included, without editing this file.
CLEANED = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").exists())
# Files excused from the check while someone reworks them (none now).
PENDING: set[str] = set()


def local_imports(path: Path) -> list[tuple[int, str, bool]]:
    """Every import inside a function: its line, its text, and whether a reason covers it.

    A reason is a comment on the import's own line, or on the line just above the block of
    imports it belongs to (one comment may cover a function's group of deferred imports).
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    nodes = {
        inner.lineno: inner
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    }
    covered_until: dict[int, bool] = {}  # end line of an import → whether it was covered
    found = []
    for lineno in sorted(nodes):
        node = nodes[lineno]
        own = any("#" in lines[n - 1] for n in range(node.lineno, (node.end_lineno or node.lineno) + 1))
        above = lines[lineno - 2].strip() if lineno > 1 else ""
        covered = own or above.startswith("#") or covered_until.get(lineno - 1, False)
        covered_until[node.end_lineno or lineno] = covered
        found.append((lineno, lines[lineno - 1].strip(), covered))
    return found


@pytest.mark.parametrize("app", CLEANED)
def test_every_import_inside_a_function_gives_its_reason(app):
    missing = []
    for path in sorted((SRC / app).rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative in PENDING or "/migrations/" in relative:
            continue
        missing += [f"{relative}:{n}: {line}" for n, line, covered in local_imports(path) if not covered]
    assert not missing, "hoist these to the top of the module, or say why they stay:\n" + "\n".join(missing)


def test_the_check_sees_an_import_without_a_reason(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os\n\n\ndef f():\n    import json\n    import re  # heavy: reason\n    return json, re, os\n\n\n"
        "def g():\n    # cycle: reason\n    import csv\n    import io\n\n    import zipfile\n"
        "    return csv, io, zipfile\n"
    )
    assert local_imports(probe) == [
        (5, "import json", False),
        (6, "import re  # heavy: reason", True),
        (12, "import csv", True),
        (13, "import io", True),
        (15, "import zipfile", False),
    ]
