"""Training, registering and running the project-risk model (codi.scoring.risk).

A trained version is kept whatever its outcome; it is *accepted* only when it passes the fairness
thresholds, and it runs only when it is accepted and its version is in the AI register.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from codi.communities import scoring_feed as org_feed
from codi.core.audit import audit_record
from codi.governance.ai import require_registered
from codi.projects import scoring_feed as project_feed
from codi.scoring import risk
from codi.scoring.models import ModelStatus, RiskModel, RiskPrediction

RISK_KEY = "scoring.project_risk"
RISK_VERSION = "v1"
RUNNING = ("approved", "agreement_signed", "in_progress", "final_report")


class ModelRefusedError(RuntimeError):
    """No accepted model of a registered version to run."""


def training_rows() -> list[dict[str, Any]]:
    organizations = {o["id"]: o for o in org_feed.organization_rows()}
    return risk.enrich(project_feed.approved_projects(), organizations)


def risk_train(
    *, version: str = RISK_VERSION, actor: Any = None, thresholds: dict[str, float] | None = None,
    rows: list[dict[str, Any]] | None = None,
) -> RiskModel:  # fmt: skip
    """Train a version; refused (kept with the failed metric) when a fairness threshold is exceeded.

    Raises ``UnregisteredModelError`` for a version that is not in the AI register,
    ``LeakageError`` or ``TrainingError`` when there is nothing honest to train on."""
    require_registered(RISK_KEY, version)
    trained = risk.train(training_rows() if rows is None else rows, thresholds=thresholds)
    status = ModelStatus.REFUSED if trained.failures else ModelStatus.ACCEPTED
    with transaction.atomic():
        model = RiskModel.objects.create(
            version=version,
            status=status,
            refusal="; ".join(trained.failures),
            card=trained.card,
            booster=trained.booster_text,
            calibration=trained.calibration,
            encoding=trained.categories,
        )
        audit_record(
            actor=actor,
            action="scoring.risk.train",
            object_type="scoring.riskmodel",
            object_id=model.pk,
            changes={
                "version": version,
                "status": status,
                "refusal": model.refusal,
                "auc_trees": trained.card["trees"]["auc"],
                "auc_logistic": trained.card["logistic_baseline"]["auc"],
            },
        )
    return model


def active_model() -> RiskModel:
    model = RiskModel.objects.filter(status=ModelStatus.ACCEPTED).order_by("-trained_at", "-pk").first()
    if model is None:
        raise ModelRefusedError("no accepted project-risk model: run manage.py scoring_train")
    require_registered(RISK_KEY, model.version)
    return model


def risk_predict(*, actor: Any = None, project_ids: list[int] | None = None) -> int:
    """Predict the risk of every running project (or those given) with the accepted model."""
    model = active_model()
    organizations = {o["id"]: o for o in org_feed.organization_rows()}
    rows = risk.enrich(project_feed.approved_projects(), organizations)
    rows = [r for r in rows if r["status"] in RUNNING and (project_ids is None or r["id"] in project_ids)]
    predictions = risk.predict(
        rows, booster_text=model.booster, calibration=model.calibration, categories=model.encoding
    )
    with transaction.atomic():
        RiskPrediction.objects.bulk_create(
            (
                RiskPrediction(
                    model=model,
                    project_id=r["id"],
                    project_code=r["code"],
                    organization_id=r.get("lead_organization_id"),
                    probability=p.probability,
                    explanation=p.explanation,
                )
                for r, p in zip(rows, predictions, strict=True)
            ),
            batch_size=2000,
        )
        audit_record(
            actor=actor,
            action="scoring.risk.predict",
            object_type="scoring.riskmodel",
            object_id=model.pk,
            changes={"projects": len(rows)},
        )
    return len(rows)
