"""Sentiment v2 (scikit-learn TF-IDF + calibrated linear SVM): interface, register, held-out record."""

from __future__ import annotations

import json

import numpy as np
import pytest

from codi.feedback import nlp
from codi.feedback.nlp import training
from codi.governance import ai
from codi.governance.ai import UnregisteredModelError


def test_the_shipped_sentiment_model_is_v2_and_registered():
    assert nlp.SENTIMENT_MODEL == "sentiment-v2.joblib"
    assert nlp.model_version(nlp.SENTIMENT_MODEL) == ("feedback.sentiment", "v2")
    for path in sorted(nlp.MODELS_DIR.glob("*.joblib")):
        assert ai.is_registered(*nlp.model_version(path.name)), path.name


def test_classify_sentiment_keeps_its_interface():
    results = nlp.classify_sentiment(["ขอบคุณมากค่ะ ดีใจมาก", "แย่มาก ห่วยที่สุด ไม่พอใจเลย", "ต้องติดต่อที่ไหนคะ", ""])
    assert [label for label, _ in results[:3]] == ["pos", "neg", "q"]
    assert all(label in nlp.SENTIMENTS and 0.0 <= conf <= 1.0 for label, conf in results)


def test_probabilities_are_a_distribution_over_the_four_labels():
    model = nlp.load_model(nlp.SENTIMENT_MODEL)
    probs = model.predict_proba(["ร้านนี้อร่อย", "ไปทางไหนคะ"])
    assert sorted(model.labels) == sorted(nlp.SENTIMENTS)
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert model.predict_proba([]).shape == (0, 4)


def test_the_card_and_the_metrics_file_carry_the_held_out_numbers_of_the_shipped_file():
    metrics = json.loads((nlp.MODELS_DIR / "sentiment-v2.metrics.json").read_text(encoding="utf-8"))
    card = ai.require_registered("feedback.sentiment", "v2")
    assert card.evaluation["held-out accuracy (micro-F1)"] == f"{metrics['accuracy']:.4f}"
    assert card.evaluation["held-out macro-F1"] == f"{metrics['macro_f1']:.4f}"
    assert metrics["n_test"] == 2406 and set(metrics["confusion"]) == set(nlp.SENTIMENTS)
    model = nlp.load_model(nlp.SENTIMENT_MODEL)
    assert model.meta["held_out"]["accuracy"] == metrics["accuracy"]


def test_the_held_out_split_is_disjoint_from_training():
    train_idx, test_idx = training.split(24_064)
    assert len(set(train_idx) & set(test_idx)) == 0 and len(test_idx) == 2406


def test_an_unregistered_joblib_version_is_refused_before_reading(tmp_path):
    (tmp_path / "sentiment-v9.joblib").write_bytes(b"not read")
    with pytest.raises(UnregisteredModelError):
        nlp.load_model("sentiment-v9.joblib", models_dir=tmp_path)
