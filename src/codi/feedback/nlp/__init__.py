"""Thai text analytics for community feedback: sentiment, topic, urgency, duplicates, personal data.

Everything runs offline on CPU from files under ``codi/feedback/data/models``.
The models and PyThaiNLP load on first use (``analyse``), never at import, so
the web process starts without them; ``tests/feedback/test_nlp.py`` proves it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from codi.feedback.nlp.cues import adjust
from codi.feedback.nlp.pii import has_personal_data, mask_personal_data
from codi.feedback.nlp.urgency import urgency
from codi.governance.ai import require_registered

if TYPE_CHECKING:
    from codi.feedback.nlp.linear import LinearTextModel
    from codi.feedback.nlp.tfidf import TfidfTextModel

MODELS_DIR = Path(__file__).resolve().parent.parent / "data" / "models"
SENTIMENT_MODEL = "sentiment-v2.joblib"  # scikit-learn TF-IDF + calibrated SVM (tfidf.py)
TOPIC_MODEL = "topic-v1.npz"
SENTIMENTS = ("pos", "neu", "neg", "q")
TOPICS = (
    "housing_land",
    "welfare",
    "livelihood_economy",
    "disaster",
    "environment",
    "infrastructure",
    "project_finance",
    "transparency_corruption",
    "other",
)
# Below this probability the topic model's best guess is not trusted: "other".
TOPIC_MIN_CONFIDENCE = 0.30

_lock = threading.Lock()
_models: dict[str, LinearTextModel | TfidfTextModel] = {}


def model_version(name: str) -> tuple[str, str]:
    """("feedback.sentiment", "v1") for "sentiment-v1.npz" (or "-v2.joblib"): register key and version."""
    stem = name.removesuffix(".npz").removesuffix(".joblib")
    base, _, version = stem.rpartition("-")
    return f"feedback.{base}", version


def load_model(name: str, models_dir: Path | None = None) -> LinearTextModel | TfidfTextModel:
    # heavy: the model code is loaded on the first classification only (test_nlp holds it)
    from codi.feedback.nlp.linear import LinearTextModel
    from codi.feedback.nlp.tfidf import TfidfTextModel

    # A model version must be in the AI governance register before it may classify anything.
    require_registered(*model_version(name))
    path = (models_dir or MODELS_DIR) / name
    key = str(path)
    with _lock:
        if key not in _models:
            if not path.is_file():
                raise FileNotFoundError(f"{path} is missing: run `manage.py train_feedback_models`")
            loader = TfidfTextModel.load if path.suffix == ".joblib" else LinearTextModel.load
            _models[key] = loader(path)
        return _models[key]


def clear_models() -> None:
    with _lock:
        _models.clear()


@dataclass(frozen=True)
class Analysis:
    sentiment: str
    sentiment_confidence: float
    topic: str
    topic_confidence: float
    is_urgent: bool
    urgency_reasons: tuple[str, ...]
    has_personal_data: bool


def classify_sentiment(texts: Sequence[str]) -> list[tuple[str, float]]:
    if not texts:
        return []
    model = load_model(SENTIMENT_MODEL)
    probs = model.predict_proba(texts)
    out = []
    for text, row in zip(texts, probs, strict=True):
        label = adjust(model.labels[int(row.argmax())], text)  # plain-language complaints: negative
        out.append((label, float(row[model.labels.index(label)])))
    return out


def classify_topic(texts: Sequence[str]) -> list[tuple[str, float]]:
    if not texts:
        return []
    model = load_model(TOPIC_MODEL)
    probs = model.predict_proba(texts)
    out = []
    for row in probs:
        best = int(row.argmax())
        label = model.labels[best] if row[best] >= TOPIC_MIN_CONFIDENCE else "other"
        out.append((label, float(row[best])))
    return out


def analyse_many(texts: Sequence[str]) -> list[Analysis]:
    """Analyse a batch (faster than one by one: the model products are vectorised)."""
    texts = [t or "" for t in texts]
    sentiments = classify_sentiment(texts)
    topics = classify_topic(texts)
    results = []
    for text, (sentiment, s_conf), (topic, t_conf) in zip(texts, sentiments, topics, strict=True):
        flag = urgency(text, sentiment=sentiment, topic=topic)
        results.append(
            Analysis(sentiment, s_conf, topic, t_conf, flag.is_urgent, flag.reasons, has_personal_data(text))
        )
    return results


def analyse(text: str) -> Analysis:
    return analyse_many([text])[0]


__all__ = [
    "SENTIMENTS",
    "TOPICS",
    "Analysis",
    "analyse",
    "analyse_many",
    "classify_sentiment",
    "classify_topic",
    "mask_personal_data",
]
