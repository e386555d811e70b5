"""AI governance register: a model version must be registered before a feature may use it."""

from __future__ import annotations

from pathlib import Path

import pytest

from codi.feedback import nlp
from codi.governance import ai
from codi.governance.ai import UnregisteredModelError, require_registered, search_embedding_version

MODELS_DIR = Path(nlp.MODELS_DIR)


def test_an_unregistered_version_is_refused():
    with pytest.raises(UnregisteredModelError) as refused:
        require_registered("feedback.sentiment", "v99")
    assert (refused.value.key, refused.value.version) == ("feedback.sentiment", "v99")
    assert "not in the AI governance register" in str(refused.value)


def test_a_registered_version_returns_its_card():
    card = require_registered("feedback.topic", "v1")
    assert card.risk_level == "limited"
    assert card.evaluation["held-out macro-F1"] == "0.627"


def test_the_feedback_classifiers_refuse_a_model_file_that_is_not_registered(tmp_path):
    # given a model file of an unregistered version (a copy of v1 under a new name)
    (tmp_path / "sentiment-v99.npz").write_bytes((MODELS_DIR / "sentiment-v1.npz").read_bytes())
    # when / then: refused before the file is even read
    with pytest.raises(UnregisteredModelError):
        nlp.load_model("sentiment-v99.npz", models_dir=tmp_path)


def test_the_feedback_classifiers_stop_when_their_version_leaves_the_register(monkeypatch):
    # given the register without the sentiment model
    monkeypatch.setattr(ai, "REGISTER", tuple(c for c in ai.REGISTER if c.key != "feedback.sentiment"))
    nlp.clear_models()
    try:
        # when / then
        with pytest.raises(UnregisteredModelError):
            nlp.classify_sentiment(["ดีมาก"])
    finally:
        nlp.clear_models()


@pytest.mark.django_db
def test_the_law_assistant_does_not_answer_when_it_is_not_registered(monkeypatch):
    from codi.knowledge import assistant

    monkeypatch.setattr(ai, "REGISTER", tuple(c for c in ai.REGISTER if c.key != "knowledge.law_assistant"))
    with pytest.raises(UnregisteredModelError):
        assistant.answer("ผู้ให้บริการต้องเก็บข้อมูลจราจรไว้กี่วัน")


def test_every_shipped_feedback_model_and_the_installed_embedding_model_are_registered():
    for path in sorted(MODELS_DIR.glob("*.npz")):
        key, version = nlp.model_version(path.name)
        assert ai.is_registered(key, version), path.name
    assert ai.is_registered("search.e5", search_embedding_version())
    from codi.knowledge.assistant import ASSISTANT_MODEL

    assert ai.is_registered(*ASSISTANT_MODEL)


def test_every_card_is_complete():
    for card in ai.registered_models():
        assert card.risk_level in ai.RISK_LEVELS
        assert card.purpose and card.owner_unit and card.training_data and card.human_oversight
        assert card.evaluation
    assert len({c.slug for c in ai.registered_models()}) == len(ai.registered_models())
