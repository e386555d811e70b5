"""``manage.py audit_papers_reclassify [--dry-run]``: make the working papers filed while they were
"confidential" secret, readable by their engagement's team and the head of internal audit only.

A management command rather than a data migration: the documents app's service does the change
(classification, named readers, audit entry, search index), and a migration that imported it
would run today's models against whatever schema that point of the migration graph has; a
documents-app migration, for its part, would have to read e-Audit's table, which the apps' import
contracts forbid. Idempotent: run it once after deploying (a second run changes nothing).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.audit import planning


class Command(BaseCommand):
    help = "Reclassify working papers filed as confidential to secret (team and head of internal audit only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list what would change, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        changed = planning.working_papers_reclassify(dry_run=options["dry_run"])
        verb = "จะเปลี่ยน" if options["dry_run"] else "เปลี่ยนแล้ว"
        self.stdout.write(f"กระดาษทำการเป็นเอกสารลับ: {verb} {len(changed)} ฉบับ {changed}")
