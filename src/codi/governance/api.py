"""API of data governance."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["governance"])
