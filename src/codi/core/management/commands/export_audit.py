from __future__ import annotations

import json
import sys
from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from codi.core.models import AuditEntry


class Command(BaseCommand):
    help = "Write audit entries as JSON Lines (for a SIEM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", required=True, help="YYYY-MM-DD (Gregorian), inclusive")
        parser.add_argument("--output", default="-", help="file to write; '-' for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            since_day = date.fromisoformat(options["since"])
        except ValueError as exc:
            raise CommandError("--since must be a date like 2026-11-01") from exc
        since = timezone.make_aware(datetime.combine(since_day, time.min))
        out = sys.stdout if options["output"] == "-" else open(options["output"], "w", encoding="utf-8")  # noqa: SIM115
        count = 0
        try:
            for entry in AuditEntry.objects.filter(created_at__gte=since).order_by("id").iterator(2000):
                record = {
                    "id": entry.id,
                    "time": entry.created_at.isoformat(),
                    "actor_id": entry.actor_id,
                    "actor": entry.actor_label,
                    "action": entry.action,
                    "object_type": entry.object_type,
                    "object_id": entry.object_id,
                    "changes": entry.changes,
                    "ip": entry.ip,
                    "request_id": entry.request_id,
                    "prev_hash": entry.prev_hash,
                    "hash": entry.hash,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        finally:
            if out is not sys.stdout:
                out.close()
        self.stderr.write(f"exported {count} audit entries since {since_day.isoformat()}")
