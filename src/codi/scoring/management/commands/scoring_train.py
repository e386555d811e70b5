"""``manage.py scoring_train [--version v1]``: train the project-risk model and write its card."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.governance.ai import UnregisteredModelError
from codi.scoring import risk, services_risk


class Command(BaseCommand):
    help = "Train the project-risk model (trees and logistic baseline); refuse it when unfair."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--version", default=services_risk.RISK_VERSION)
        parser.add_argument("--predict", action="store_true", help="then predict the running projects")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            model = services_risk.risk_train(version=options["version"])
        except (UnregisteredModelError, risk.LeakageError, risk.TrainingError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(model.card, ensure_ascii=False, indent=1, default=str))
        if model.status != "accepted":
            raise CommandError(f"model {model.version} refused: {model.refusal}")
        self.stdout.write(f"model {model.version} accepted (#{model.pk})")
        if options["predict"]:
            self.stdout.write(f"{services_risk.risk_predict()} running projects predicted")
