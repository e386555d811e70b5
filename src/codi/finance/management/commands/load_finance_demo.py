from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.finance.demo import finance_demo_load


class Command(BaseCommand):
    help = "Load the finance demo (after load_demo and load_projects_demo): budget, vouchers at every step, PMS sync."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = finance_demo_load()
        self.stdout.write(
            f"accounts created: {summary.accounts_created}, budget lines created: {summary.budget_lines_created}, "
            f"demo vouchers: {len(summary.vouchers_by_step)}, PMS entries posted: {summary.pms_entries_posted}, "
            f"PMS errors: {len(summary.pms_errors)}"
        )
        for error in summary.pms_errors[:20]:
            self.stderr.write(error)
