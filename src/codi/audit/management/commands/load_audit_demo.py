from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.audit.demo import audit_demo_load


class Command(BaseCommand):
    help = (
        "Load the e-Audit demo (after load_lending_demo): planted duplicate and round-amount vouchers, "
        "one analytics run, an engagement for demo_auditor, a risk register."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = audit_demo_load()
        flags = ", ".join(f"{k}: {v}" for k, v in sorted(summary.exceptions.items()))
        self.stdout.write(
            f"planted vouchers: {', '.join(summary.vouchers) or 'already loaded'}; engagement: {summary.engagement}; "
            f"risks created: {summary.risks_created}; last run flags: {flags or 'none'}"
        )
        self.stdout.write(
            f"audit plan {summary.plan_year}: {summary.plan_engagements} planned engagements; "
            f"working papers: {', '.join(summary.working_papers) or 'none'}; "
            f"signed report: {summary.report_signed or 'not yet (demo_auditor has no signing certificate)'}"
        )
