"""LINE Messaging API as a notification channel: an interface, off unless a token is configured.

No request leaves the machine unless ``NOTIFICATIONS_LINE_TOKEN`` is set; the
push client is kept behind ``LineClient`` so tests and other deployments can
swap it.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Protocol

from django.conf import settings

PUSH_URL = "https://api.line.me/v2/bot/message/push"


class LineClient(Protocol):
    def push(self, *, to: str, text: str) -> None: ...


class LineNotConfiguredError(RuntimeError):
    pass


class HttpLineClient:
    def __init__(self, token: str) -> None:
        self.token = token

    def push(self, *, to: str, text: str) -> None:
        body = json.dumps({"to": to, "messages": [{"type": "text", "text": text[:4900]}]}).encode("utf-8")
        request = urllib.request.Request(
            PUSH_URL,
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if response.status >= 300:
                raise RuntimeError(f"LINE push answered {response.status}")


def line_client() -> LineClient:
    token = getattr(settings, "NOTIFICATIONS_LINE_TOKEN", "")
    if not token:
        raise LineNotConfiguredError("LINE is not configured (NOTIFICATIONS_LINE_TOKEN is empty)")
    return HttpLineClient(token)
