"""``manage.py load_scoring_demo``: indicators, index (three years), risk model and predictions.

Runs after the projects and lending demo loaders; idempotent (does nothing when an index exists).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from codi.core.thaidate import fiscal_year_be
from codi.projects.selectors import fiscal_years, portal_organization_ids
from codi.scoring import corrections, risk, selectors, services, services_risk
from codi.scoring.models import IndexRun, Level


class Command(BaseCommand):
    help = "Compute the demo community-strength index and train the demo project-risk model."

    def handle(self, *args: Any, **options: Any) -> None:
        if IndexRun.objects.exists():
            self.stdout.write("scoring demo: already loaded")
            return
        for period in sorted(fiscal_years())[-3:]:
            feeds = services.feeds_load(period=period)
            for level in (Level.ORGANIZATION, Level.SUBDISTRICT):
                services.index_compute(
                    indicator_run=services.indicators_compute(period=period, level=level, feeds=feeds)
                )
        self.stdout.write(f"scoring demo: {_leader_requests()}")
        try:
            model = services_risk.risk_train()
        except (risk.TrainingError, risk.LeakageError) as exc:
            self.stdout.write(f"scoring demo: index computed; risk model not trained ({exc})")
            return
        predicted = services_risk.risk_predict() if model.status == "accepted" else 0
        self.stdout.write(
            f"scoring demo: index computed; risk model {model.version} {model.status}, {predicted} projects predicted"
        )


def _leader_requests() -> str:
    """demo_leader's survey answers (awaiting demo_officer's review) and one correction request,
    filed through the same services as the portal's pages."""
    leader = get_user_model().objects.filter(username="demo_leader").first()
    org_ids = portal_organization_ids(leader) if leader is not None else []
    if leader is None or not org_ids:
        return "no demo_leader portal account; no survey answers or correction request"
    org_id, period = org_ids[0], max(fiscal_years(), default=fiscal_year_be(date.today()))
    answers = [
        services.survey_answer_record(
            actor=leader, organization_id=org_id, question=q.question, period=period, value=4.0
        )
        for q in selectors.survey_questions()
    ]
    corrections.correction_request(
        actor=leader,
        organization_id=org_id,
        indicator_key="org_members",
        message="ทะเบียนสมาชิกยังไม่รวมสมาชิกใหม่ 8 คนที่สมัครเมื่อเดือนที่แล้ว (ตัวอย่าง)",
    )
    return f"{len(answers)} survey answers and 1 correction request from demo_leader"
