"""API of documents and ocr."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["documents"])
