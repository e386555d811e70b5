"""feedback_accuracy: the shipped sentiment model on the held-out 10 % of the Wisesight training data.

The split is the one ``manage.py train_feedback_models`` holds out (seed 2569, 2,406 texts); the
shipped model was trained on the other 90 % only, so these texts are unseen. Accuracy equals
micro-F1 for single-label classification, which is what the published baselines report — but
they are measured on the corpus's separate, cleaner test split (not available here), so the
comparison is indicative, not like for like.

Goal (issue 25): accuracy >= 0.75 and macro-F1 >= 0.65 (model v2: scikit-learn TF-IDF + calibrated
linear SVM). The settings were chosen on an inner validation slice of the training part; these
held-out texts were scored once, to report.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bench import common

NAME = "feedback_accuracy"
GOAL_ACCURACY = 0.75
GOAL_MACRO_F1 = 0.65
STRETCH_ACCURACY = 0.76


def _evaluate() -> dict[str, Any]:
    import django

    django.setup()
    from codi.feedback import nlp
    from codi.feedback.nlp import training

    texts, gold = training.held_out(training.SENTIMENT_DATA, "label")
    model = nlp.load_model(nlp.SENTIMENT_MODEL)
    predicted = model.predict(texts)
    evaluation = training.evaluate(
        gold, predicted, model.labels, n_train=int(model.meta.get("rows", 0)) - len(texts)
    )
    return {
        **evaluation.as_dict(),
        "model": nlp.SENTIMENT_MODEL,
        "baselines_micro_f1": training.PUBLISHED_BASELINES,
    }


def run() -> dict[str, Any]:
    load = common.load_average()
    with common.temp_dir("feedback-accuracy") as tmp:
        from pathlib import Path

        result = common.last_json_line(
            common.run_child(
                ["-m", "bench.feedback_accuracy", "--worker"], common.fresh_env(Path(tmp)), timeout=1800
            )
        )
    return {
        **result,
        "goal_accuracy": GOAL_ACCURACY,
        "goal_macro_f1": GOAL_MACRO_F1,
        "goal_met": result["accuracy"] >= GOAL_ACCURACY and result["macro_f1"] >= GOAL_MACRO_F1,
        "stretch_met": result["accuracy"] >= STRETCH_ACCURACY,
        "machine": common.machine_info("none", load_at_start=load),
    }


def summary(result: dict[str, Any]) -> str:
    baselines = ", ".join(f"{k} {v:.4f}" for k, v in result["baselines_micro_f1"].items())
    return (
        f"   sentiment on {result['n_test']} held-out texts: accuracy {result['accuracy']:.4f}, "
        f"macro-F1 {result['macro_f1']:.4f} (published micro-F1 on the test split: {baselines})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    if parser.parse_args().worker:
        print(json.dumps(_evaluate()))
