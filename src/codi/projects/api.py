"""API of community projects (pms)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["projects"])
