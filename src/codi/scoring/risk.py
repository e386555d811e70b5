"""The project-risk model: will an approved project go late, have a report returned or be cancelled?

* **Features known at approval only.** Each feature declares when its value became known
  (``known_at``); ``leakage_check`` refuses any feature known after a project's approval in any
  training row. The rows are split by approval time — the earliest 60 % train, the next 15 %
  calibrate, the latest 25 % test — so the evaluation is on a later period than the training.
* **Gradient-boosted trees** (LightGBM) against a **logistic-regression baseline** (scikit-learn)
  in the same run, on the same split; AUC, Brier score and log loss of both on the test period.
* **Calibration**: Platt scaling of the trees' raw score, fitted on the calibration period;
  reliability table (10 bins) and expected calibration error on the test period.
* **Explanations**: LightGBM's ``pred_contrib`` gives each prediction's SHAP values (TreeSHAP,
  Lundberg et al. 2020) in log-odds; the three largest are written in Thai. Global importance is
  the mean absolute SHAP value per feature.
* **Fairness** (fairlearn): selection-rate (demographic-parity) and equalised-odds differences
  across CODI regions, organization types and urban/rural, on the test period, with the flag at
  the 70th percentile of the calibration period's risks. Groups under ``MIN_GROUP`` test rows are
  pooled as "small groups". A model over a threshold is refused and names the metric that failed.
* **Minimum cases per group (decision, stop 32).** The equalised-odds difference compares true-
  and false-positive rates, so a group with two positive cases swings it from 0 to 1 on one
  project. It is computed only over groups with at least ``MIN_OUTCOMES`` positive *and*
  ``MIN_OUTCOMES`` negative test cases; the groups left out are listed on the card
  (``too_few_cases``). Where fewer than two groups qualify, the metric is "not measurable"
  (``None``): the card and the page say so, and it does not count as passing evidence either.
  The selection-rate difference needs no outcome and is always computed over every group.

Heavy libraries (lightgbm, sklearn, fairlearn) are imported inside the functions that train.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

MIN_GROUP = 30
MIN_OUTCOMES = 10
FAIRNESS_THRESHOLDS = {"demographic_parity_difference": 0.25, "equalized_odds_difference": 0.35}
SPLIT = (0.60, 0.75)  # train up to 60 %, calibrate to 75 %, test the rest (by approval time)
MIN_ROWS = 200
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.9,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "seed": 2569,
    "deterministic": True,
    "num_threads": 1,
    "verbose": -1,
}
ROUNDS = 150
FLAG_QUANTILE = 0.70


class LeakageError(ValueError):
    """A feature's value was known only after the project's approval."""

    def __init__(self, feature: str, rows: int) -> None:
        self.feature = feature
        self.rows = rows
        super().__init__(
            f"feature {feature!r} is known after approval in {rows} rows: leakage from the future"
        )


class TrainingError(ValueError):
    pass


@dataclass(frozen=True)
class Feature:
    key: str
    name_th: str
    value: Callable[[dict[str, Any]], float | str | None]
    categorical: bool = False
    # When the value became known; the default is the approval itself.
    known_at: Callable[[dict[str, Any]], datetime | None] = lambda row: row["approved_at"]


def _amount(row: dict[str, Any]) -> float | None:
    amount = row.get("approved_amount") or row.get("requested_amount")
    return math.log10(float(amount)) if amount else None


def _cut(row: dict[str, Any]) -> float | None:
    if row.get("approved_amount") and row.get("requested_amount"):
        return float(row["approved_amount"]) / float(row["requested_amount"])
    return None


def _co_funding(row: dict[str, Any]) -> float | None:
    total = float(row.get("approved_amount") or 0) + float(row.get("co_funding_amount") or 0)
    return float(row.get("co_funding_amount") or 0) / total if total else None


def _duration(row: dict[str, Any]) -> float | None:
    if row.get("start_date") and row.get("end_date"):
        return float((row["end_date"] - row["start_date"]).days)
    return None


def urban_rural(district_name: str | None) -> str:
    """Proxy: the capital district of a province (อำเภอเมือง…) and Bangkok's districts (เขต…) are
    urban, the rest rural. The area register has no urban/rural field; the card says so."""
    name = district_name or ""
    return "urban" if name.startswith(("เมือง", "อำเภอเมือง", "เขต")) else "rural"


FEATURES: tuple[Feature, ...] = (
    Feature("program_kind", "ประเภทแผนงาน", lambda r: r["program__kind"], categorical=True),
    Feature("org_type", "ประเภทองค์กร", lambda r: r.get("org_type") or "unknown", categorical=True),
    Feature(
        "region",
        "ภาค",
        lambda r: str(r.get("subdistrict__district__province__region_id") or "?"),
        categorical=True,
    ),
    Feature("log_amount", "ขนาดงบประมาณที่อนุมัติ", _amount),
    Feature("cut_ratio", "สัดส่วนงบที่อนุมัติต่องบที่ขอ", _cut),
    Feature("co_funding_share", "สัดส่วนงบสมทบ", _co_funding),
    Feature("households", "จำนวนครัวเรือนที่ได้ประโยชน์", lambda r: float(r.get("households") or 0)),
    Feature("planned_days", "ระยะเวลาโครงการตามแผน", _duration),
    Feature("org_age", "อายุองค์กร ณ วันอนุมัติ", lambda r: r.get("org_age")),
    Feature("prior_projects", "จำนวนโครงการก่อนหน้าขององค์กร", lambda r: float(r.get("prior_projects", 0))),
    Feature(
        "prior_problems", "โครงการก่อนหน้าที่มีปัญหา (ทราบก่อนวันอนุมัติ)", lambda r: float(r.get("prior_problems", 0))
    ),
)

# A feature that must never be used: the late steps are known only after approval. Kept here so
# the leakage check can be shown to catch it (tests/scoring/test_risk.py).
LEAKY_LATE_STEPS = Feature(
    "late_steps",
    "จำนวนขั้นตอนที่เกินกำหนด",
    lambda r: float(r["late_steps"]),
    known_at=lambda r: r.get("outcome_known_at") or r["approved_at"],
)


def label(row: dict[str, Any]) -> int:
    """1 when the project went late, had a report returned or was cancelled."""
    return int(row["late_steps"] > 0 or row["returned_reports"] > 0 or row["status"] == "cancelled")


def enrich(projects: list[dict[str, Any]], organizations: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the organization's type, age at approval and its track record known before approval."""
    history: dict[int, list[dict[str, Any]]] = {}
    out = []
    for row in sorted(projects, key=lambda r: (r["approved_at"], r["id"])):
        org_id = row.get("lead_organization_id")
        org = organizations.get(org_id) if org_id else None
        row = dict(row)
        row["org_type"] = org["org_type"] if org else None
        founded = org["founded_on"] if org else None
        row["org_age"] = (row["approved_at"].date() - founded).days / 365.25 if founded else None
        earlier = history.get(org_id, []) if org_id else []
        row["prior_projects"] = len(earlier)
        row["prior_problems"] = sum(
            1
            for e in earlier
            if label(e)
            and e.get("outcome_known_at") is not None
            and e["outcome_known_at"] < row["approved_at"]
        )
        out.append(row)
        if org_id:
            history.setdefault(org_id, []).append(row)
    return out


def leakage_check(rows: list[dict[str, Any]], features: tuple[Feature, ...]) -> None:
    """Refuse any feature whose value became known after approval in some row."""
    for feature in features:
        late = 0
        for row in rows:
            known = feature.known_at(row)
            if known is not None and known > row["approved_at"]:
                late += 1
        if late:
            raise LeakageError(feature.key, late)


@dataclass
class Encoded:
    matrix: np.ndarray
    categories: dict[str, list[str]]


def encode(
    rows: list[dict[str, Any]], features: tuple[Feature, ...], categories: dict[str, list[str]] | None = None
) -> Encoded:
    """Numbers for LightGBM: a categorical value is its index in the training categories (NaN if new)."""
    categories = {k: list(v) for k, v in (categories or {}).items()}
    learn = not categories
    matrix = np.full((len(rows), len(features)), np.nan)
    for j, feature in enumerate(features):
        if feature.categorical:
            if learn:
                categories[feature.key] = sorted({str(feature.value(r)) for r in rows})
            index = {c: i for i, c in enumerate(categories[feature.key])}
            for i, row in enumerate(rows):
                code = index.get(str(feature.value(row)))
                matrix[i, j] = np.nan if code is None else code
        else:
            for i, row in enumerate(rows):
                v = feature.value(row)
                matrix[i, j] = np.nan if v is None else float(v)
    return Encoded(matrix, categories)


def time_split(
    rows: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    ordered = sorted(rows, key=lambda r: (r["approved_at"], r["id"]))
    a, b = int(len(ordered) * SPLIT[0]), int(len(ordered) * SPLIT[1])
    return ordered[:a], ordered[a:b], ordered[b:]


def _platt(raw: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression  # heavy: training only

    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    fit = LogisticRegression(C=1e6).fit(raw.reshape(-1, 1), y)
    return float(fit.coef_[0][0]), float(fit.intercept_[0])


def _raw(booster: Any, x: np.ndarray) -> np.ndarray:
    return np.asarray(booster.predict(x, raw_score=True), dtype=float)


def _contrib(booster: Any, x: np.ndarray) -> np.ndarray:
    """SHAP values per feature and the expected value last (LightGBM ``pred_contrib``)."""
    return np.asarray(booster.predict(x, pred_contrib=True), dtype=float)


def calibrated(raw: np.ndarray, calibration: dict[str, float]) -> np.ndarray:
    z = calibration["a"] * raw + calibration["b"]
    return 1.0 / (1.0 + np.exp(-z))


def _reliability(y: np.ndarray, p: np.ndarray, bins: int = 10) -> tuple[list[dict[str, Any]], float]:
    table: list[dict[str, Any]] = []
    ece = 0.0
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in itertools.pairwise(edges):
        inside = (p >= lo) & ((p < hi) if hi < 1 else (p <= hi))
        n = int(inside.sum())
        if n == 0:
            continue
        mean_p, rate = float(p[inside].mean()), float(y[inside].mean())
        table.append(
            {"bin": f"{lo:.1f}-{hi:.1f}", "n": n, "predicted": round(mean_p, 4), "observed": round(rate, 4)}
        )
        ece += n / len(p) * abs(mean_p - rate)
    return table, round(ece, 4)


def _metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float | None]:
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score  # heavy: training only

    two = len(set(y.tolist())) == 2
    return {
        "auc": round(float(roc_auc_score(y, p)), 4) if two else None,
        "brier": round(float(brier_score_loss(y, p)), 4),
        "log_loss": round(float(log_loss(y, np.clip(p, 1e-6, 1 - 1e-6), labels=[0, 1])), 4),
    }


def _groups(rows: list[dict[str, Any]], key: str) -> list[str]:
    values = [str(r.get(key) or "?") for r in rows]
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return [v if counts[v] >= MIN_GROUP else "small groups" for v in values]


def fairness(rows: list[dict[str, Any]], y: np.ndarray, flagged: np.ndarray) -> dict[str, dict[str, Any]]:
    """Selection-rate and equalised-odds differences for each sensitive attribute (fairlearn)."""
    from fairlearn.metrics import (  # heavy: training only
        MetricFrame,
        demographic_parity_difference,
        equalized_odds_difference,
        selection_rate,
    )

    attributes = {
        "region": _groups(rows, "subdistrict__district__province__region_id"),
        "org_type": _groups(rows, "org_type"),
        "urban_rural": [urban_rural(r.get("subdistrict__district__name_th")) for r in rows],
    }
    out: dict[str, dict[str, Any]] = {}
    for name, groups in attributes.items():
        frame = MetricFrame(metrics=selection_rate, y_true=y, y_pred=flagged, sensitive_features=groups)
        judged, too_few = _outcome_groups(groups, y)
        keep = np.array([g in judged for g in groups], dtype=bool)
        eod: float | None = None
        if len(judged) >= 2:
            eod = round(
                float(
                    np.nan_to_num(
                        equalized_odds_difference(
                            y[keep], flagged[keep], sensitive_features=[g for g in groups if g in judged]
                        )
                    )
                ),
                4,
            )
        out[name] = {
            "demographic_parity_difference": round(
                float(demographic_parity_difference(y, flagged, sensitive_features=groups)), 4
            ),
            "equalized_odds_difference": eod,
            "too_few_cases": sorted(too_few),
            "selection_rate": {str(k): round(float(v), 4) for k, v in frame.by_group.items()},
        }
    return out


def _outcome_groups(groups: list[str], y: np.ndarray) -> tuple[set[str], set[str]]:
    """The groups with at least ``MIN_OUTCOMES`` positive and negative cases, and the others."""
    positives: dict[str, int] = {}
    negatives: dict[str, int] = {}
    for group, outcome in zip(groups, y, strict=True):
        counter = positives if outcome else negatives
        counter[group] = counter.get(group, 0) + 1
    judged = {
        g for g in set(groups) if positives.get(g, 0) >= MIN_OUTCOMES and negatives.get(g, 0) >= MIN_OUTCOMES
    }
    return judged, set(groups) - judged


def fairness_failures(
    report: dict[str, dict[str, Any]], thresholds: dict[str, float] | None = None
) -> list[str]:
    thresholds = thresholds or FAIRNESS_THRESHOLDS
    return [
        f"{metric} over {attribute} = {values[metric]:.4f} > {limit:.2f}"
        for attribute, values in report.items()
        for metric, limit in thresholds.items()
        if values.get(metric) is not None and values[metric] > limit
    ]


@dataclass
class Trained:
    booster_text: str
    calibration: dict[str, float]
    categories: dict[str, list[str]]
    card: dict[str, Any]
    failures: list[str]


def train(
    rows: list[dict[str, Any]],
    *,
    features: tuple[Feature, ...] = FEATURES,
    thresholds: dict[str, float] | None = None,
) -> Trained:
    """Train trees and the logistic baseline on the time split; the card's numbers, and the
    fairness failures (an empty list when the model may be registered)."""
    import lightgbm as lgb  # heavy: training only
    from sklearn.linear_model import LogisticRegression  # heavy: training only
    from sklearn.pipeline import make_pipeline  # heavy: training only
    from sklearn.preprocessing import OneHotEncoder, StandardScaler  # heavy: training only

    if len(rows) < MIN_ROWS:
        raise TrainingError(f"{len(rows)} approved projects: at least {MIN_ROWS} are needed to train")
    leakage_check(rows, features)
    train_rows, cal_rows, test_rows = time_split(rows)
    enc = encode(train_rows, features)
    x_train, cats = enc.matrix, enc.categories
    x_cal = encode(cal_rows, features, cats).matrix
    x_test = encode(test_rows, features, cats).matrix
    y_train = np.array([label(r) for r in train_rows])
    y_cal = np.array([label(r) for r in cal_rows])
    y_test = np.array([label(r) for r in test_rows])
    if len(set(y_train.tolist())) < 2:
        raise TrainingError("the training period has only one outcome")
    categorical = [j for j, f in enumerate(features) if f.categorical]
    data = lgb.Dataset(
        x_train,
        y_train,
        feature_name=[f.key for f in features],
        categorical_feature=categorical,
        free_raw_data=False,
    )
    booster = lgb.train(PARAMS, data, num_boost_round=ROUNDS)
    a, b = _platt(_raw(booster, x_cal), y_cal)
    calibration = {"a": a, "b": b}
    p_trees = calibrated(_raw(booster, x_test), calibration)

    # Baseline: one-hot categories, standardised numbers with missing as the training mean.
    def baseline_x(x: np.ndarray, fill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        num = [j for j in range(x.shape[1]) if j not in categorical]
        numbers = np.where(np.isnan(x[:, num]), fill, x[:, num])
        return x[:, categorical].astype(str), numbers

    fill = np.nanmean(x_train[:, [j for j in range(x_train.shape[1]) if j not in categorical]], axis=0)
    fill = np.nan_to_num(fill)
    cat_tr, num_tr = baseline_x(x_train, fill)
    cat_te, num_te = baseline_x(x_test, fill)
    onehot = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(cat_tr)
    logistic = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    logistic.fit(np.hstack([onehot.transform(cat_tr), num_tr]), y_train)
    p_logit = logistic.predict_proba(np.hstack([onehot.transform(cat_te), num_te]))[:, 1]

    prevalence = float(y_train.mean())
    # "Flagged for early support": above the 70th percentile of the calibration period's risks.
    flag_at = float(np.quantile(calibrated(_raw(booster, x_cal), calibration), FLAG_QUANTILE))
    flagged = (p_trees > flag_at).astype(int)
    fair = fairness(test_rows, y_test, flagged)
    failures = fairness_failures(fair, thresholds)
    reliability, ece = _reliability(y_test, p_trees)
    contrib = _contrib(booster, x_test)[:, :-1]
    importance = {f.key: round(float(np.abs(contrib[:, j]).mean()), 4) for j, f in enumerate(features)}
    trees_m, logit_m = _metrics(y_test, p_trees), _metrics(y_test, p_logit)
    card = {
        "data": {
            "approved_projects": len(rows),
            "train": len(train_rows),
            "calibrate": len(cal_rows),
            "test": len(test_rows),
            "train_until": train_rows[-1]["approved_at"].date().isoformat(),
            "test_from": test_rows[0]["approved_at"].date().isoformat(),
            "prevalence_train": round(prevalence, 4),
            "prevalence_test": round(float(y_test.mean()), 4),
            "demo_data": all(r.get("is_demo", True) for r in rows),
        },
        "features": [f.key for f in features],
        "trees": trees_m,
        "logistic_baseline": logit_m,
        "trees_beat_baseline": (trees_m["auc"] or 0) > (logit_m["auc"] or 0),
        "calibration": {
            "method": "Platt scaling on the calibration period",
            "ece": ece,
            "reliability": reliability,
        },
        "importance": dict(sorted(importance.items(), key=lambda kv: -kv[1])),
        "fairness": fair,
        "fairness_thresholds": thresholds or FAIRNESS_THRESHOLDS,
        "flag_threshold": round(flag_at, 4),
        "fairness_failures": failures,
    }
    return Trained(booster.model_to_string(), calibration, cats, card, failures)


def _describe(feature: Feature, value: float, categories: dict[str, list[str]]) -> str:
    if math.isnan(value):
        return "ไม่มีข้อมูล"
    if feature.categorical:
        names = categories.get(feature.key, [])
        return names[int(value)] if 0 <= int(value) < len(names) else "ไม่ทราบ"
    if feature.key == "log_amount":
        return f"{10**value:,.0f} บาท"
    if feature.key in ("cut_ratio", "co_funding_share"):
        return f"{value * 100:.0f}%"
    return f"{value:,.1f}" if value % 1 else f"{value:,.0f}"


@dataclass
class Prediction:
    probability: float
    explanation: list[dict[str, Any]]


def predict(
    rows: list[dict[str, Any]],
    *,
    booster_text: str,
    calibration: dict[str, float],
    categories: dict[str, list[str]],
    features: tuple[Feature, ...] = FEATURES,
    top: int = 3,
) -> list[Prediction]:
    """Calibrated risk and the SHAP explanation (three largest parts, in Thai) of each row."""
    import lightgbm as lgb  # heavy: loaded when predicting

    if not rows:
        return []
    booster = lgb.Booster(model_str=booster_text)
    x = encode(rows, features, categories).matrix
    raw = _raw(booster, x)
    p = calibrated(raw, calibration)
    contrib = _contrib(booster, x)
    out = []
    for i in range(len(rows)):
        order = np.argsort(-np.abs(contrib[i, :-1]))[:top]
        parts = []
        for j in order:
            c = float(contrib[i, j]) * calibration["a"]
            f = features[j]
            direction = "เพิ่มความเสี่ยง" if c > 0 else "ลดความเสี่ยง"
            shown = _describe(f, float(x[i, j]), categories)
            parts.append({
                "feature": f.key,
                "value": shown,
                "contribution": round(c, 4),
                "text_th": f"{f.name_th} ({shown}) {direction} {abs(c):.2f} (ลอจิต)",
            })  # fmt: skip
        out.append(Prediction(float(p[i]), parts))
    return out
