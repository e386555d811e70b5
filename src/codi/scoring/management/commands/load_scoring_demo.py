"""``manage.py load_scoring_demo``: indicators, index (three years), risk model and predictions.

Runs after the projects and lending demo loaders; idempotent (does nothing when an index exists).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.projects.selectors import fiscal_years
from codi.scoring import risk, services, services_risk
from codi.scoring.models import IndexRun, Level


class Command(BaseCommand):
    help = "Compute the demo community-strength index and train the demo project-risk model."

    def handle(self, *args: Any, **options: Any) -> None:
        if IndexRun.objects.exists():
            self.stdout.write("scoring demo: already loaded")
            return
        for period in sorted(fiscal_years())[-3:]:
            feeds = services.feeds_load(period=period)
            for level in (Level.ORGANIZATION, Level.SUBDISTRICT):
                services.index_compute(
                    indicator_run=services.indicators_compute(period=period, level=level, feeds=feeds)
                )
        try:
            model = services_risk.risk_train()
        except (risk.TrainingError, risk.LeakageError) as exc:
            self.stdout.write(f"scoring demo: index computed; risk model not trained ({exc})")
            return
        predicted = services_risk.risk_predict() if model.status == "accepted" else 0
        self.stdout.write(
            f"scoring demo: index computed; risk model {model.version} {model.status}, {predicted} projects predicted"
        )
