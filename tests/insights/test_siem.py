"""The SIEM feed: audit events reach a syslog receiver started in the test and parse as RFC 5424."""

from __future__ import annotations

import re
import socket
import threading

import pytest

from codi.core.audit import audit_record
from codi.core.models import AuditEntry
from codi.insights import services, siem
from codi.insights.models import SiemCursor

pytestmark = pytest.mark.django_db

# RFC 5424 §6: <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]
RFC5424 = re.compile(
    r"^<(?P<pri>\d{1,3})>1 (?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) (?P<host>[!-~]{1,255}) "
    r"(?P<app>[!-~]{1,48}) (?P<proc>[!-~]{1,128}) (?P<msgid>[!-~]{1,32}) "
    r"(?P<sd>\[codi@32473(?: [a-z]+=\"(?:[^\"\\\]]|\\[\"\\\]])*\")+\]) \ufeff(?P<msg>.*)$",
    re.S,
)
PARAM = re.compile(r'([a-z]+)="((?:[^"\\\]]|\\["\\\]])*)"')


class Receiver:
    """A TCP syslog receiver reading octet-counted frames (RFC 6587)."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.port = self.server.getsockname()[1]
        self.messages: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            data = b""
            with conn:
                while chunk := conn.recv(65536):
                    data += chunk
            while data:
                length, _, rest = data.partition(b" ")
                size = int(length)
                self.messages.append(rest[:size].decode("utf-8"))
                data = rest[size:]

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _wait(receiver: Receiver, n: int) -> None:
    for _ in range(200):
        if len(receiver.messages) >= n:
            return
        threading.Event().wait(0.02)


def test_audit_events_arrive_as_rfc5424(receiver) -> None:
    start = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    SiemCursor.objects.create(name="default", last_audit_id=start)
    audit_record(actor=None, action="identity.login_failed", object_type="identity.user", object_id="7",
                 changes={"username": 'ผู้ใช้ "ทดสอบ"]'})  # fmt: skip
    audit_record(actor=None, action="projects.update", object_type="projects.project", object_id="12",
                 changes={"status": ["draft", "submitted"]})  # fmt: skip
    result = services.siem_forward(
        collector=siem.Collector("127.0.0.1", receiver.port), hostname="codi-app-1"
    )
    assert result["sent"] == 2 and result["error"] == "" and result["backlog"] == 0
    _wait(receiver, 2)
    parsed = [RFC5424.match(m) for m in receiver.messages]
    assert all(parsed), receiver.messages
    first, second = parsed
    assert int(first["pri"]) == 13 * 8 + 4  # log audit, warning: a failed sign-in
    assert int(second["pri"]) == 13 * 8 + 5  # log audit, notice
    assert (
        first["msgid"] == "identity.login_failed" and first["host"] == "codi-app-1" and first["app"] == "codi"
    )
    params = dict(PARAM.findall(second["sd"]))
    entry = AuditEntry.objects.get(action="projects.update", object_id="12")
    assert (
        params["id"] == str(entry.id)
        and params["hash"] == entry.hash
        and params["object"] == "projects.project:12"
    )
    assert '"status":["draft","submitted"]' in second["msg"]
    assert 'ผู้ใช้ \\"ทดสอบ\\"]' in first["msg"]  # the message keeps Thai and JSON-escapes the quote


def test_a_collector_down_keeps_the_cursor_and_a_long_outage_counts_what_is_lost(receiver) -> None:
    start = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    SiemCursor.objects.create(name="default", last_audit_id=start)
    for i in range(5):
        audit_record(actor=None, action="projects.update", object_type="projects.project", object_id=str(i))
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead_port = closed.getsockname()[1]
    closed.close()  # nothing listens there
    down = services.siem_forward(collector=siem.Collector("127.0.0.1", dead_port, timeout=1))
    assert down["sent"] == 0 and down["error"] and down["backlog"] == 5
    assert SiemCursor.objects.get(name="default").last_audit_id == start
    up = services.siem_forward(collector=siem.Collector("127.0.0.1", receiver.port), max_backlog=3)
    assert up["lost"] == 2 and up["sent"] == 3 and up["lost_total"] == 2
    _wait(receiver, 3)
    ids = [dict(PARAM.findall(RFC5424.match(m)["sd"]))["object"] for m in receiver.messages]
    assert ids == [
        "projects.project:2",
        "projects.project:3",
        "projects.project:4",
    ]  # the oldest two were lost


def test_bad_collector_urls_are_refused() -> None:
    assert siem.Collector.parse("tls://siem.codi.or.th:6514").tls
    for bad in ["udp://x:514", "siem:514", "tcp://:514", "tcp://x:port"]:
        with pytest.raises(ValueError, match="SIEM_SYSLOG_URL"):
            siem.Collector.parse(bad)
