"""manage.py import_plan_excerpts: the law excerpts and summaries quoted in CODI's plan (chapter 2.3)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.knowledge.excerpts import plan_excerpts_import


class Command(BaseCommand):
    help = "Import CODI's Royal Decree sections and the law summaries of the plan as labelled excerpts (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = plan_excerpts_import()
        self.stdout.write(
            f"plan excerpts: {report.created} new, {report.updated} updated, {report.unchanged} unchanged; "
            f"{report.parts} parts"
        )
