from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from codi.core.audit import audit_purge


class Command(BaseCommand):
    help = "Remove audit entries older than AUDIT_RETENTION_DAYS (never fewer than 90 days)."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = audit_purge(older_than_days=settings.AUDIT_RETENTION_DAYS)
        self.stdout.write(f"removed {removed} entries older than {settings.AUDIT_RETENTION_DAYS} days")
