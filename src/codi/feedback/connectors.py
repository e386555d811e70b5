"""Intake connectors: each turns an outside payload into ``IncomingReport`` rows.

They share one interface (``Connector.parse``) so a live crawler of a social
platform can be added later by naming its class in configuration
(``FEEDBACK_CONNECTORS``) without touching the intake service.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

MAX_IMPORT_ROWS = 5000


@dataclass(frozen=True)
class IncomingReport:
    text: str
    external_id: str = ""
    subdistrict_code: str = ""
    postal_code: str = ""
    reporter_line_id: str = ""

    def as_row(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "id": self.external_id,
            "subdistrict_code": self.subdistrict_code,
            "postal_code": self.postal_code,
        }


class Connector(Protocol):
    name: str

    def parse(self, payload: bytes) -> list[IncomingReport]: ...


class PullConnector(Connector, Protocol):
    """A connector that fetches by itself (a live crawler of a social platform): ``fetch`` returns
    the raw payload ``parse`` understands. Named in ``settings.FEEDBACK_CONNECTORS`` and run by
    ``manage.py feedback_pull``."""

    def fetch(self) -> bytes: ...


class ImportRefusedError(ValueError):
    pass


class SocialExportConnector:
    """CSV (UTF-8, with or without BOM) or JSON (a list, or ``{"items": [...]}``) from social-listening tools.

    Recognised columns: ``text`` (or ``message``/``content``), ``id`` (or ``post_id``/``url``),
    ``subdistrict_code``, ``postal_code``.
    """

    name = "social_export"

    def parse(self, payload: bytes) -> list[IncomingReport]:
        try:
            raw = payload.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefusedError("the file is not UTF-8 text") from exc
        stripped = raw.lstrip()
        rows: list[dict[str, Any]]
        if stripped.startswith(("[", "{")):
            try:
                data = json.loads(stripped)
            except json.JSONDecodeError as exc:
                raise ImportRefusedError(f"invalid JSON: {exc.msg} (line {exc.lineno})") from exc
            rows = data.get("items", []) if isinstance(data, dict) else data
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise ImportRefusedError("JSON must be a list of objects")
        else:
            reader = csv.DictReader(io.StringIO(raw))
            if not reader.fieldnames or not ({"text", "message", "content"} & set(reader.fieldnames)):
                raise ImportRefusedError("the CSV needs a 'text' column")
            rows = list(reader)
        if len(rows) > MAX_IMPORT_ROWS:
            raise ImportRefusedError(f"at most {MAX_IMPORT_ROWS} rows per file")
        return [self._row(r) for r in rows]

    @staticmethod
    def _row(row: dict[str, Any]) -> IncomingReport:
        text = row.get("text") or row.get("message") or row.get("content") or ""
        external = row.get("id") or row.get("post_id") or row.get("url") or ""
        return IncomingReport(
            text=str(text),
            external_id=str(external)[:150],
            subdistrict_code=str(row.get("subdistrict_code") or "").strip(),
            postal_code=str(row.get("postal_code") or "").strip(),
        )


def line_signature(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def line_signature_valid(body: bytes, signature: str, secret: str) -> bool:
    """X-Line-Signature is base64(HMAC-SHA256(channel secret, raw body)); compared in constant time."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(line_signature(body, secret), signature.strip())


class LineWebhookConnector:
    """Text messages sent to the LINE Official Account (other event types are ignored)."""

    name = "line"

    def parse(self, payload: bytes) -> list[IncomingReport]:
        try:
            data = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ImportRefusedError("invalid LINE webhook body") from exc
        reports = []
        for event in data.get("events", []) if isinstance(data, dict) else []:
            message = event.get("message") or {}
            if event.get("type") != "message" or message.get("type") != "text":
                continue
            reports.append(
                IncomingReport(
                    text=str(message.get("text", "")),
                    external_id=f"line:{message.get('id', '')}",
                    reporter_line_id=str((event.get("source") or {}).get("userId", ""))[:64],
                )
            )
        return reports


def configured_connectors() -> Iterator[PullConnector]:
    """Extra connectors named in ``settings.FEEDBACK_CONNECTORS`` (dotted class paths; none by default)."""
    for path in getattr(settings, "FEEDBACK_CONNECTORS", ()):
        yield import_string(path)()
