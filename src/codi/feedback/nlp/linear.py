"""Multinomial logistic regression over hashed sparse features, in numpy only.

Written here rather than taken from scikit-learn so the product carries no
SciPy/scikit-learn dependency for one small model; the maths is the textbook
softmax regression with L2 penalty, trained full-batch with Adam from a fixed
seed, so the same data gives the same weights.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from codi.feedback.nlp.text import FeatureSpec, SparseRows, document_frequency_idf, vectorise


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores


@dataclass
class TrainConfig:
    epochs: int = 8
    learning_rate: float = 0.3
    l2: float = 1e-5
    batch_size: int = 64
    # When > 0: average the weights at the end of each epoch from this one on (Polyak averaging).
    # Off by default: on the sentiment data it did not beat the last iterate.
    average_from: int = 0
    loss: str = "log"  # "log": softmax regression; "hinge": one-vs-rest squared hinge (linear SVM)
    class_weight_power: float = 0.0  # 0: plain; 1: balanced; between: partial
    seed: int = 2569


@dataclass
class LinearTextModel:
    labels: list[str]
    spec: FeatureSpec
    weights: np.ndarray  # (dim, k) float32
    bias: np.ndarray  # (k,)
    idf: np.ndarray | None = None
    meta: dict[str, object] = field(default_factory=dict)

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        spec: FeatureSpec | None = None,
        config: TrainConfig | None = None,
        use_idf: bool = True,
    ) -> LinearTextModel:
        spec = spec or FeatureSpec()
        config = config or TrainConfig()
        label_names = sorted(set(labels))
        y = np.array([label_names.index(label) for label in labels])
        idf = None
        if use_idf:
            _, feature_sets = vectorise(texts, spec)
            idf = document_frequency_idf(feature_sets, spec.dim)
        x, _ = vectorise(texts, spec, idf)
        weights, bias = _train(x, y, len(label_names), config)
        return cls(label_names, spec, weights, bias, idf)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        x, _ = vectorise(texts, self.spec, self.idf)
        return x.dot(self.weights) + self.bias

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return _softmax(self.scores(texts))

    def predict(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        return [self.labels[i] for i in self.predict_proba(texts).argmax(axis=1)]

    def save(self, path: Path) -> None:
        header = {"labels": self.labels, "spec": self.spec.as_dict(), "meta": self.meta}
        # Most hashed buckets never occur; storing the non-zero rows keeps the file small.
        used = np.flatnonzero(np.abs(self.weights).sum(axis=1) > 0)
        arrays: dict[str, np.ndarray] = {
            "header": np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8),
            "rows": used.astype(np.int32),
            "weights": self.weights[used].astype(np.float16),
            "bias": self.bias.astype(np.float32),
        }
        if self.idf is not None:
            arrays["idf"] = self.idf.astype(np.float16)
        with path.open("wb") as handle:
            np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(bytes(data["header"]).decode("utf-8"))
            spec = FeatureSpec(**header["spec"])
            weights = np.zeros((spec.dim, len(header["labels"])), dtype=np.float32)
            weights[data["rows"]] = data["weights"].astype(np.float32)
            idf = data["idf"].astype(np.float32) if "idf" in data else None
            bias = data["bias"].astype(np.float64)
        return cls(header["labels"], spec, weights, bias, idf, header.get("meta", {}))


def _gather(x: SparseRows, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The non-zeros of some rows: (row position in ``rows``, column, value)."""
    starts = x.indptr[rows]
    lengths = x.indptr[rows + 1] - starts
    total = int(lengths.sum())
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
    return np.repeat(np.arange(len(rows)), lengths), x.indices[offsets], x.data[offsets]


def _train(x: SparseRows, y: np.ndarray, k: int, config: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """Mini-batch AdaGrad touching only the weights of features present in each batch."""
    rng = np.random.default_rng(config.seed)
    n = x.n_rows
    counts = np.bincount(y, minlength=k).astype(np.float64)
    class_weight = (n / (k * np.maximum(counts, 1))) ** config.class_weight_power
    sample_weight = class_weight[y] / class_weight[y].mean()
    weights = np.zeros((x.n_cols, k))
    accum = np.full((x.n_cols, k), 1e-8)
    bias = np.log(np.maximum(counts, 1) / n)
    bias_accum = np.full(k, 1e-8)
    weight_sum = np.zeros_like(weights)
    bias_sum = np.zeros_like(bias)
    averaged = 0
    for epoch in range(config.epochs):
        order = rng.permutation(n)
        for start in range(0, n, config.batch_size):
            rows = order[start : start + config.batch_size]
            local_row, cols, vals = _gather(x, rows)
            touched, inverse = np.unique(cols, return_inverse=True)
            w = weights[touched]
            scores = np.empty((len(rows), k))
            for j in range(k):
                scores[:, j] = np.bincount(local_row, weights=vals * w[inverse, j], minlength=len(rows))
            if config.loss == "hinge":
                signs = -np.ones((len(rows), k))
                signs[np.arange(len(rows)), y[rows]] = 1.0
                slack = np.maximum(1.0 - signs * (scores + bias), 0.0)
                residual = -2.0 * signs * slack * (sample_weight[rows] / len(rows))[:, None]
            else:
                probs = _softmax(scores + bias)
                probs[np.arange(len(rows)), y[rows]] -= 1.0
                residual = probs * (sample_weight[rows] / len(rows))[:, None]
            grad = np.empty_like(w)
            for j in range(k):
                grad[:, j] = np.bincount(
                    inverse, weights=vals * residual[local_row, j], minlength=len(touched)
                )
            grad += config.l2 * w
            acc = accum[touched] + grad * grad
            accum[touched] = acc
            weights[touched] = w - config.learning_rate * grad / np.sqrt(acc)
            grad_b = residual.sum(axis=0)
            bias_accum += grad_b * grad_b
            bias -= config.learning_rate * grad_b / np.sqrt(bias_accum)
        if config.average_from and epoch + 1 >= config.average_from:
            weight_sum += weights
            bias_sum += bias
            averaged += 1
    if averaged:
        return (weight_sum / averaged).astype(np.float32), bias_sum / averaged
    return weights.astype(np.float32), bias
