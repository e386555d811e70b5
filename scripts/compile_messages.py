"""Compile the .po translation catalogues to .mo without needing GNU gettext."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "src" / "codi" / "locale"
for po_path in root.glob("*/LC_MESSAGES/*.po"):
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        continue
    catalogue = polib.pofile(str(po_path))
    catalogue.save_as_mofile(str(mo_path))
    print(f"compiled {mo_path.relative_to(root.parent.parent.parent)}", file=sys.stderr)
