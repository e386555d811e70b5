"""Train the sentiment and topic models from the committed data; write them with their metrics."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from codi.feedback import nlp
from codi.feedback.nlp import training


class Command(BaseCommand):
    help = "Train the feedback sentiment and topic models (fixed seeds) and evaluate them on a held-out 10 %."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output-dir", type=Path, default=nlp.MODELS_DIR)
        parser.add_argument("--only", choices=["sentiment", "topic"], default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["output_dir"]
        out.mkdir(parents=True, exist_ok=True)
        if options["only"] in (None, "sentiment"):
            self._sentiment(out)
        jobs = [
            (
                "topic",
                training.TOPIC_DATA,
                "topic",
                training.TOPIC_SPEC,
                training.TOPIC_CONFIG,
                nlp.TOPIC_MODEL,
            ),
        ]
        for name, data, column, spec, config, filename in jobs:
            if options["only"] and options["only"] != name:
                continue
            started = time.perf_counter()
            model, evaluation = training.train_and_evaluate(
                data=data, label_column=column, spec=spec, config=config
            )
            model.save(out / filename)
            metrics = {
                "model": filename,
                "seconds": round(time.perf_counter() - started, 1),
                **evaluation.as_dict(),
            }
            training.write_metrics(out / filename.replace(".npz", ".metrics.json"), metrics)
            self.stdout.write(
                f"{name}: accuracy {evaluation.accuracy:.4f}, macro-F1 {evaluation.macro_f1:.4f} "
                f"on {evaluation.n_test} held-out texts → {out / filename}"
            )
            self.stdout.write(json.dumps(evaluation.per_class_f1, ensure_ascii=False))
        nlp.clear_models()

    def _sentiment(self, out: Path) -> None:
        started = time.perf_counter()
        model, evaluation = training.train_and_evaluate_tfidf(
            data=training.SENTIMENT_DATA, label_column="label", config=training.SENTIMENT_TFIDF
        )
        filename = nlp.SENTIMENT_MODEL
        model.save(out / filename)
        metrics = {
            "model": filename,
            "seconds": round(time.perf_counter() - started, 1),
            **evaluation.as_dict(),
        }
        training.write_metrics(out / filename.replace(".joblib", ".metrics.json"), metrics)
        self.stdout.write(
            f"sentiment: accuracy {evaluation.accuracy:.4f}, macro-F1 {evaluation.macro_f1:.4f} "
            f"on {evaluation.n_test} held-out texts → {out / filename}"
        )
        self.stdout.write(json.dumps(evaluation.per_class_f1, ensure_ascii=False))
