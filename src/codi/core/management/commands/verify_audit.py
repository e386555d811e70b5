from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit non-zero naming the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.is_intact:
            raise CommandError(f"audit chain BROKEN at entry #{report.broken_entry_id}: {report.reason}")
        self.stdout.write(f"audit chain intact: {report.checked} entries verified")
