from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from codi.identity.models import User
from codi.lending.demo import lending_demo_load
from codi.lending.demo_community import demo_reports, demo_stages_reached
from codi.lending.selectors import portfolio


class Command(BaseCommand):
    help = "Load the lending demo (after load_demo and load_finance_demo): products and a loan portfolio in every region."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = lending_demo_load()
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(summary.loans_by_status.items()))
        self.stdout.write(
            f"products created: {summary.products_created}, demo loans: {statuses}, regions: {summary.regions}, "
            f"repayments: {summary.repayments}, housing projects: {summary.housing_projects}, "
            f"welfare funds: {summary.welfare_funds}, NPL history months back-filled: {summary.npl_months}"
        )
        self.stdout.write(
            f"housing project stages reached: {demo_stages_reached()}, welfare annual reports: {demo_reports()}"
        )
        figures = portfolio(actor=User.objects.get(username="demo_credit"), as_of=timezone.localdate()).total
        buckets = ", ".join(f"{k}: {v}" for k, v in figures.bucket_loans.items())
        self.stdout.write(
            f"ageing (loans): {buckets}; NPL {figures.npl_ratio} %, PAR30 {figures.par30_ratio} %"
        )
