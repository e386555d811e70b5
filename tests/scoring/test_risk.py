"""The project-risk model: time-based leakage check, trees against the logistic baseline in the
same run, calibration and fairness reported, a failing model refused, unregistered versions refused."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from codi.governance.ai import UnregisteredModelError
from codi.scoring import risk, services_risk
from codi.scoring.models import ModelStatus, RiskModel

REGIONS = ["north", "northeast", "south", "central_west"]
KINDS = ["housing", "welfare", "land", "economy"]


def synthetic(n: int = 1200, seed: int = 7) -> list[dict]:
    """Approved projects whose trouble depends on an interaction (small budget AND no co-funding,
    or a large household count) — a shape trees find and a linear model only partly."""
    rng = random.Random(seed)
    start = datetime(2023, 10, 1, tzinfo=UTC)
    rows = []
    for i in range(n):
        approved = start + timedelta(days=i)
        requested = rng.randrange(50, 2000) * 1000
        co = rng.choice([0, 0, rng.randrange(1, 50) * 1000])
        households = rng.randrange(10, 300)
        trouble = (requested < 600_000 and co == 0) or households > 250
        bad = trouble if rng.random() < 0.85 else not trouble
        rows.append({
            "id": i + 1, "code": f"P{i}", "status": "in_progress", "approved_at": approved,
            "program__kind": rng.choice(KINDS), "org_type": "community_org",
            "subdistrict__district__province__region_id": rng.choice(REGIONS),
            "subdistrict__district__name_th": rng.choice(["เมืองขอนแก่น", "บ้านไผ่"]),
            "requested_amount": requested, "approved_amount": requested, "co_funding_amount": co,
            "households": households, "start_date": date(2024, 1, 1), "end_date": date(2024, 12, 31),
            "org_age": rng.random() * 20, "prior_projects": rng.randrange(0, 4), "prior_problems": 0,
            "late_steps": int(bad), "returned_reports": 0,
            "outcome_known_at": approved + timedelta(days=rng.randrange(30, 300)),
            "is_demo": True, "lead_organization_id": None,
        })  # fmt: skip
    return rows


def test_a_leaky_feature_is_caught_by_the_time_based_check():
    rows = synthetic()
    # the late steps are known only after approval: the check names the feature and the rows
    with pytest.raises(risk.LeakageError) as caught:
        risk.train(rows, features=(*risk.FEATURES, risk.LEAKY_LATE_STEPS))
    assert caught.value.feature == "late_steps" and caught.value.rows == len(rows)
    # and the honest features pass the same check
    risk.leakage_check(rows, risk.FEATURES)


def test_a_value_known_before_approval_passes_the_check():
    rows = synthetic(50)
    for r in rows:
        r["outcome_known_at"] = r["approved_at"] - timedelta(days=1)
    risk.leakage_check(rows, (risk.LEAKY_LATE_STEPS,))  # known before approval: not leakage


def test_trees_and_the_logistic_baseline_are_evaluated_on_the_later_period_in_one_run():
    trained = risk.train(synthetic())
    card = trained.card
    assert card["data"]["train"] + card["data"]["calibrate"] + card["data"]["test"] == 1200
    assert card["data"]["train_until"] < card["data"]["test_from"]
    assert card["trees"]["auc"] > 0.8
    assert card["trees"]["auc"] > card["logistic_baseline"]["auc"]
    assert card["trees_beat_baseline"] is True
    assert 0 <= card["calibration"]["ece"] < 0.15 and card["calibration"]["reliability"]
    assert set(card["fairness"]) == {"region", "org_type", "urban_rural"}
    assert set(card["importance"]) == {f.key for f in risk.FEATURES}


def test_explanations_are_shap_values_in_thai_that_add_up_to_the_raw_score():
    import lightgbm as lgb
    import numpy as np

    rows = synthetic()
    trained = risk.train(rows)
    one = rows[-1:]
    (prediction,) = risk.predict(
        one, booster_text=trained.booster_text, calibration=trained.calibration, categories=trained.categories
    )
    assert 0 < prediction.probability < 1
    assert len(prediction.explanation) == 3
    assert all(
        ("เพิ่มความเสี่ยง" in p["text_th"]) or ("ลดความเสี่ยง" in p["text_th"]) for p in prediction.explanation
    )
    booster = lgb.Booster(model_str=trained.booster_text)
    x = risk.encode(one, risk.FEATURES, trained.categories).matrix
    contrib = booster.predict(x, pred_contrib=True)[0]
    assert np.isclose(contrib.sum(), booster.predict(x, raw_score=True)[0])


def test_fairness_failures_name_the_metric():
    report = {"region": {"demographic_parity_difference": 0.4, "equalized_odds_difference": 0.1}}
    assert risk.fairness_failures(report) == ["demographic_parity_difference over region = 0.4000 > 0.25"]


@pytest.mark.django_db
def test_a_model_that_fails_the_fairness_threshold_is_refused_and_cannot_run():
    # given thresholds no model can meet
    model = services_risk.risk_train(
        rows=synthetic(), thresholds={"demographic_parity_difference": 0.0, "equalized_odds_difference": 0.0}
    )
    assert model.status == ModelStatus.REFUSED
    assert "demographic_parity_difference over" in model.refusal
    with pytest.raises(services_risk.ModelRefusedError):
        services_risk.active_model()


@pytest.mark.django_db
def test_an_unregistered_version_is_neither_trained_nor_run():
    with pytest.raises(UnregisteredModelError):
        services_risk.risk_train(version="v9", rows=synthetic())
    RiskModel.objects.create(version="v9", status=ModelStatus.ACCEPTED, booster="x")
    with pytest.raises(UnregisteredModelError):
        services_risk.active_model()


def test_equalised_odds_leaves_out_groups_with_too_few_cases():
    # given region A with 40 positives and 40 negatives, flagged perfectly, and region B with only
    # 3 positives, none flagged, and 20 of its 37 negatives flagged (the same selection rate as A's):
    # B's true-positive rate (0/3) would make the difference 1.0
    rows = [{"subdistrict__district__province__region_id": "A", "org_type": "x"}] * 80
    rows += [{"subdistrict__district__province__region_id": "B", "org_type": "x"}] * 40
    y = np.array([1] * 40 + [0] * 40 + [1] * 3 + [0] * 37)
    flagged = np.array([1] * 40 + [0] * 40 + [0] * 3 + [1] * 20 + [0] * 17)
    report = risk.fairness(rows, y, flagged)
    # then only A has enough cases: the metric is not measurable, B is named, nothing fails
    assert report["region"]["equalized_odds_difference"] is None
    assert report["region"]["too_few_cases"] == ["B"]
    assert risk.fairness_failures(report) == []
    # and the selection-rate difference still sees every group (both flag half)
    assert report["region"]["demographic_parity_difference"] == 0.0


def test_equalised_odds_is_measured_when_two_groups_have_enough_cases():
    rows = [{"subdistrict__district__province__region_id": "A", "org_type": "x"}] * 40
    rows += [{"subdistrict__district__province__region_id": "B", "org_type": "x"}] * 40
    # A: 20 positives all flagged, 20 negatives none; B: 20 positives, 10 flagged, 20 negatives none
    y = np.array(([1] * 20 + [0] * 20) * 2)
    flagged = np.array([1] * 20 + [0] * 20 + [1] * 10 + [0] * 10 + [0] * 20)
    report = risk.fairness(rows, y, flagged)
    assert report["region"]["equalized_odds_difference"] == 0.5
    assert report["region"]["too_few_cases"] == []
