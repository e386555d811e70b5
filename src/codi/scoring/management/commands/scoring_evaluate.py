"""``manage.py scoring_evaluate [--output card.md]``: the card's numbers of the latest model and index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.scoring.models import IndexRun, RiskModel


def _card_markdown(model: RiskModel, runs: list[IndexRun]) -> str:
    c = model.card
    lines = [
        f"# Project-risk model {model.version} ({model.status})",
        "",
        f"Trained {model.trained_at:%Y-%m-%d %H:%M} on {c['data']['approved_projects']} approved projects "
        f"(demo data: {c['data']['demo_data']}); train {c['data']['train']} until {c['data']['train_until']}, "
        f"calibrate {c['data']['calibrate']}, test {c['data']['test']} from {c['data']['test_from']}.",
        "",
        "| test period | AUC | Brier | log loss |",
        "|---|---|---|---|",
        f"| gradient-boosted trees | {c['trees']['auc']} | {c['trees']['brier']} | {c['trees']['log_loss']} |",
        f"| logistic baseline | {c['logistic_baseline']['auc']} | {c['logistic_baseline']['brier']} | "
        f"{c['logistic_baseline']['log_loss']} |",
        "",
        f"Trees beat the baseline: {c['trees_beat_baseline']}. Calibration: {c['calibration']['method']}, "
        f"ECE {c['calibration']['ece']}.",
        "",
        "## Fairness (test period)",
    ]
    for attribute, values in c["fairness"].items():
        lines.append(
            f"- {attribute}: selection-rate difference {values['demographic_parity_difference']}, "
            f"equalised-odds difference {values['equalized_odds_difference']}"
        )
    lines += ["", f"Refusal: {model.refusal or 'none'}", "", "## Index runs"]
    for run in runs:
        worst = max((s["max_rank_change"] for s in run.sensitivity.get("scenarios", [])), default=0)
        lines.append(
            f"- {run.level} {run.period} {run.version}: {run.normalisation}/{run.weighting}/{run.aggregation}, "
            f"{run.scores.exclude(score=None).count()} scored, largest rank change under alternatives {worst}"
        )
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print (or write) the model card's numbers of the latest risk model and index runs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        model = RiskModel.objects.order_by("-trained_at", "-pk").first()
        if model is None:
            raise CommandError("no risk model trained yet: run manage.py scoring_train")
        text = _card_markdown(model, list(IndexRun.objects.order_by("-created_at")[:6]))
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        self.stdout.write(text)
