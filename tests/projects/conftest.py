from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def tasks_inline(settings):
    """Notification deliveries run at once (the database queue needs a worker process)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded receipts and photos land in a throw-away folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
