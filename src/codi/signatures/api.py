"""API of pki and e-signatures."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["signatures"])
