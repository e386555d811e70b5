from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.procurement.demo import procurement_demo_load


class Command(BaseCommand):
    help = "Load the procurement and asset demo (after load_demo and load_finance_demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = procurement_demo_load()
        self.stdout.write(
            f"plan lines: {summary.plan_lines}, demo requisitions: {len(summary.requisitions_by_step)}, "
            f"assets: {summary.assets}, last depreciation: {summary.depreciation_total} baht"
        )
