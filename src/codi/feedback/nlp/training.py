"""Training and evaluation of the sentiment and topic models (``manage.py train_feedback_models``).

Reproducible: the held-out split and the mini-batch order come from fixed
seeds, so the same data gives the same model and the same numbers.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from codi.feedback.nlp.linear import LinearTextModel, TrainConfig
from codi.feedback.nlp.text import FeatureSpec
from codi.feedback.nlp.tfidf import TfidfConfig, TfidfTextModel

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SENTIMENT_DATA = DATA_DIR / "wisesight" / "train.csv"
TOPIC_DATA = DATA_DIR / "topics_th.csv"
SPLIT_SEED = 2569
HELD_OUT_FRACTION = 0.10

# Sentiment v2 (scikit-learn); SENTIMENT_SPEC / SENTIMENT_CONFIG below describe v1, kept for its card.
SENTIMENT_TFIDF = TfidfConfig()
SENTIMENT_SPEC = FeatureSpec(dim=1 << 20, char_min=1, char_max=4, word_bigrams=True, char_weight=1.0)
SENTIMENT_CONFIG = TrainConfig(
    epochs=2, learning_rate=0.1, l2=1e-6, batch_size=64, seed=SPLIT_SEED, loss="hinge"
)
TOPIC_SPEC = FeatureSpec(dim=1 << 18, char_min=2, char_max=3, word_bigrams=True, char_weight=0.5)
TOPIC_CONFIG = TrainConfig(epochs=30, learning_rate=0.3, l2=1e-6, batch_size=16, seed=SPLIT_SEED)

PUBLISHED_BASELINES = {"NBSVM": 0.7203, "XLM-R": 0.7357, "WangchanBERTa": 0.7619}


def read_labelled(path: Path, label_column: str) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(r["text"], r[label_column]) for r in csv.DictReader(handle)]
    return [t for t, _ in rows], [label for _, label in rows]


def split(
    n: int, fraction: float = HELD_OUT_FRACTION, seed: int = SPLIT_SEED
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the training and held-out parts (held-out: the first ``fraction`` of a seeded permutation)."""
    order = np.random.default_rng(seed).permutation(n)
    cut = int(n * fraction)
    return order[cut:], order[:cut]


@dataclass
class Evaluation:
    n_train: int
    n_test: int
    accuracy: float
    macro_f1: float
    per_class_f1: dict[str, float]
    confusion: dict[str, dict[str, int]]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def evaluate(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str], n_train: int
) -> Evaluation:
    gold_a, pred_a = np.asarray(gold), np.asarray(predicted)
    per_class = {}
    confusion: dict[str, dict[str, int]] = {}
    for label in labels:
        tp = int(((pred_a == label) & (gold_a == label)).sum())
        fp = int(((pred_a == label) & (gold_a != label)).sum())
        fn = int(((pred_a != label) & (gold_a == label)).sum())
        per_class[label] = round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else 0.0
        confusion[label] = {other: int(((gold_a == label) & (pred_a == other)).sum()) for other in labels}
    return Evaluation(
        n_train=n_train,
        n_test=len(gold_a),
        accuracy=round(float((gold_a == pred_a).mean()), 4),
        macro_f1=round(float(np.mean(list(per_class.values()))), 4),
        per_class_f1=per_class,
        confusion=confusion,
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def held_out(data: Path, label_column: str) -> tuple[list[str], list[str]]:
    texts, labels = read_labelled(data, label_column)
    _, test_idx = split(len(texts))
    return [texts[i] for i in test_idx], [labels[i] for i in test_idx]


def train_and_evaluate(
    *, data: Path, label_column: str, spec: FeatureSpec, config: TrainConfig
) -> tuple[LinearTextModel, Evaluation]:
    """Train on the training part (90 %) and evaluate on the held-out part (10 %).

    The shipped model is this one, not a refit on all rows, so the held-out
    numbers (and ``bench/feedback_accuracy.py``) describe exactly the file in use.
    """
    texts, labels = read_labelled(data, label_column)
    train_idx, test_idx = split(len(texts))
    model = LinearTextModel.fit(
        [texts[i] for i in train_idx], [labels[i] for i in train_idx], spec=spec, config=config
    )
    predicted = model.predict([texts[i] for i in test_idx])
    evaluation = evaluate([labels[i] for i in test_idx], predicted, model.labels, len(train_idx))
    model.meta = {
        "data": data.name,
        "data_sha256": _sha256(data),
        "rows": len(texts),
        "held_out": evaluation.as_dict(),
        "config": asdict(config),
        "spec": spec.as_dict(),
    }
    return model, evaluation


def train_and_evaluate_tfidf(
    *, data: Path, label_column: str, config: TfidfConfig
) -> tuple[TfidfTextModel, Evaluation]:
    """As ``train_and_evaluate``, for the scikit-learn model: fit on 90 %, report on the held-out 10 %."""
    texts, labels = read_labelled(data, label_column)
    train_idx, test_idx = split(len(texts))
    model = TfidfTextModel.fit([texts[i] for i in train_idx], [labels[i] for i in train_idx], config=config)
    predicted = model.predict([texts[i] for i in test_idx])
    evaluation = evaluate([labels[i] for i in test_idx], predicted, model.labels, len(train_idx))
    model.meta = {
        "data": data.name,
        "data_sha256": _sha256(data),
        "rows": len(texts),
        "held_out": evaluation.as_dict(),
        "config": config.as_dict(),
    }
    return model, evaluation


def write_metrics(path: Path, metrics: dict[str, object]) -> None:
    path.write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
