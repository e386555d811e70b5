"""The SIEM feed: audit and security events as RFC 5424 syslog over TCP (TLS optional).

Each entry of the hash-chained audit trail becomes one syslog message:

    <PRI>1 TIMESTAMP HOSTNAME codi PROCID MSGID [codi@32473 actor="…" object="…" id="…" hash="…"] MSG

- PRI = facility 13 ("log audit") × 8 + severity: 4 (warning) for security events (failed logins,
  lock-outs, refusals, personal-data views out of hours are judged by the alert rules, not here),
  5 (notice) for every other entry.
- MSGID is the audit action (``identity.login_failed``); structured data carries the actor, the
  object and the entry's chain hash, so the collector can check an entry against the trail.
- Over TCP, messages are framed by octet counting (RFC 6587 §3.4.1: ``LEN SP MSG``).

Delivery never touches a request: ``siem_forward`` (a command run by the scheduler, or the task)
reads the audit table after a stored cursor, so the audit table itself is the buffer. When the
collector is down the cursor stays and the backlog grows; the backlog is bounded by
``SIEM_MAX_BACKLOG`` entries: beyond it the oldest unsent entries are skipped and *counted as lost*
(shown on the security page and in the command's output), so a long outage never makes the feed
replay weeks of events or hold them forever.
"""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

FACILITY_LOG_AUDIT = 13
SEVERITY_WARNING = 4
SEVERITY_NOTICE = 5
ENTERPRISE_ID = 32473  # the example private enterprise number of RFC 5612, used for CODI's SD-ID
SECURITY_ACTIONS = frozenset(
    {
        "identity.login_failed",
        "identity.login_locked",
        "identity.login_refused_locked",
        "privacy.breach_recorded",
    }
)
NILVALUE = "-"


def _sd_escape(value: str) -> str:
    """RFC 5424 §6.3.3: escape '"', '\\' and ']' inside a parameter value."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def _printable(value: str, limit: int) -> str:
    """HOSTNAME, APP-NAME, PROCID and MSGID are PRINTUSASCII without spaces."""
    cleaned = "".join(ch if 33 <= ord(ch) <= 126 else "_" for ch in value)[:limit]
    return cleaned or NILVALUE


@dataclass(frozen=True)
class Event:
    id: int
    created_at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    ip: str
    entry_hash: str
    changes: Any


def severity_of(action: str) -> int:
    return SEVERITY_WARNING if action in SECURITY_ACTIONS else SEVERITY_NOTICE


def format_rfc5424(event: Event, *, hostname: str, app_name: str = "codi", procid: str = "audit") -> str:
    pri = FACILITY_LOG_AUDIT * 8 + severity_of(event.action)
    stamp = event.created_at.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    params = {
        "id": str(event.id),
        "actor": event.actor,
        "object": f"{event.object_type}:{event.object_id}",
        "ip": event.ip or "",
        "hash": event.entry_hash,
    }
    pairs = " ".join(f'{k}="{_sd_escape(v)}"' for k, v in params.items())
    sd = f"[codi@{ENTERPRISE_ID} {pairs}]"
    msg = json.dumps(event.changes, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return (
        f"<{pri}>1 {stamp} {_printable(hostname, 255)} {_printable(app_name, 48)} "
        f"{_printable(procid, 128)} {_printable(event.action, 32)} {sd} \ufeff{msg}"
    )


def frame(message: str) -> bytes:
    """Octet-counting framing (RFC 6587): the byte length, a space, the message."""
    data = message.encode("utf-8")
    return str(len(data)).encode("ascii") + b" " + data


@dataclass(frozen=True)
class Collector:
    host: str
    port: int
    tls: bool = False
    ca_file: str = ""
    timeout: float = 5.0

    @classmethod
    def parse(cls, url: str, *, ca_file: str = "") -> Collector:
        """``tcp://host:port`` or ``tls://host:port``; anything else is refused with the reason."""
        scheme, sep, rest = url.partition("://")
        host, colon, port = rest.rpartition(":")
        if not sep or scheme not in {"tcp", "tls"} or not colon or not host or not port.isdigit():
            raise ValueError(f"SIEM_SYSLOG_URL must look like tcp://host:514 or tls://host:6514, not {url!r}")
        return cls(host=host.strip("[]"), port=int(port), tls=scheme == "tls", ca_file=ca_file)


def send(collector: Collector, messages: Iterable[str]) -> int:
    """Open one connection, send every message framed, close; the count sent. Raises OSError."""
    sent = 0
    raw = socket.create_connection((collector.host, collector.port), timeout=collector.timeout)
    try:
        conn: socket.socket = raw
        if collector.tls:
            context = ssl.create_default_context(cafile=collector.ca_file or None)
            conn = context.wrap_socket(raw, server_hostname=collector.host)
        for message in messages:
            conn.sendall(frame(message))
            sent += 1
    finally:
        raw.close()
    return sent
