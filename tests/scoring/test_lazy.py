"""The web process does not load the risk model's libraries until a model is trained or run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_web_app_does_not_load_the_model_libraries():
    code = (
        "import django, sys; django.setup(); import codi.urls, codi.scoring.views, codi.scoring.services_risk; "
        "heavy = [m for m in ('lightgbm', 'sklearn', 'fairlearn', 'pandas', 'scipy') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "codi.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
