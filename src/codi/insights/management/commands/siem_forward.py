"""Send the audit trail after the stored cursor to the SIEM collector (SIEM_SYSLOG_URL) as RFC 5424."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.insights import services, siem


class Command(BaseCommand):
    help = "Send new audit-trail entries to the SIEM collector as RFC 5424 syslog over TCP/TLS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default="", help="tcp://host:514 or tls://host:6514 (default SIEM_SYSLOG_URL)"
        )
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["url"] or settings.SIEM_SYSLOG_URL
        if not url:
            raise CommandError("ยังไม่ได้ตั้งค่า SIEM_SYSLOG_URL / SIEM_SYSLOG_URL is not set")
        try:
            collector = siem.Collector.parse(url, ca_file=settings.SIEM_CA_FILE)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result = services.siem_forward(collector=collector, batch=max(1, options["batch"]))
        self.stdout.write(json.dumps(result, ensure_ascii=False))
        if result["error"]:
            raise CommandError(f"ส่งไม่สำเร็จ / not delivered: {result['error']} (backlog {result['backlog']})")
