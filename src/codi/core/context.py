"""Who is acting and from where, for the current request or command.

Set by ``RequestContextMiddleware``; read by the audit trail and the JSON logs
so that services need not pass the request around.
"""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None = None
    channel: str = "web"


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("codi_request", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        # Management commands and background tasks get an id of their own.
        ctx = RequestContext(request_id=uuid.uuid4().hex, channel="system")
        _current.set(ctx)
    return ctx


def bind(ctx: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(ctx)


def reset(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)
