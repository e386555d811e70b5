"""The e-Audit demo: the planted duplicate is found by the analytics, risks and an engagement exist;
the audit plan is approved, a working paper is filed, and once the demo auditor holds a certificate
the report is signed (and verifies); the loader's output says so."""

from __future__ import annotations

import io

from django.core.management import call_command

from codi.audit.demo import PLANTED_INVOICE, audit_demo_load
from codi.audit.models import AuditException, AuditPlan, Engagement, EngagementReport, Risk, WorkingPaper
from codi.audit.reports import report_bytes
from codi.finance.demo import finance_demo_load
from codi.identity.models import User
from codi.signatures import services as signatures


def test_audit_demo_plants_what_the_rules_find_and_is_idempotent(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    finance_demo_load()
    summary = audit_demo_load()
    assert len(summary.vouchers) == 3 and summary.engagement and summary.risks_created == 7
    dup = AuditException.objects.filter(rule="duplicate_payment")
    assert sorted(dup.values_list("record_id", flat=True)) == sorted(summary.vouchers[:2])
    assert all(PLANTED_INVOICE in e.reason for e in dup) and len({e.group_id for e in dup}) == 1
    assert AuditException.objects.filter(rule="round_amount", record_id=summary.vouchers[2]).exists()
    plan = AuditPlan.objects.get(fiscal_year_be=summary.plan_year)
    assert plan.status == AuditPlan.Status.APPROVED and plan.is_demo
    assert summary.plan_engagements == plan.planned.count() >= 4  # units with risks, and the organization
    first = plan.planned.order_by("rank").first()
    assert first.engagement is not None and first.engagement.is_demo
    assert summary.working_papers == [f"{summary.engagement}/WP-01"]
    paper = WorkingPaper.objects.get()
    assert paper.reviewed_at is None and paper.engagement.number == summary.engagement
    assert summary.report_signed == "" and not EngagementReport.objects.exists()  # no certificate yet
    counts = (AuditException.objects.count(), Engagement.objects.count(), Risk.objects.count())

    signatures.pki_init()  # as `make run` does after the demo loaders, then loads this one again
    auditor = User.objects.get(username="demo_auditor")
    signatures.certificate_issue(actor=None, user=auditor, second_factor_verified=True)
    out = io.StringIO()
    call_command("load_audit_demo", stdout=out)
    report = EngagementReport.objects.get()
    assert report.engagement == first.engagement and report.signed_by == auditor
    assert f"signed report: {first.engagement.number}" in out.getvalue()
    assert f"working papers: {summary.engagement}/WP-01" in out.getvalue()
    assert signatures.pdf_verify(pdf=report_bytes(engagement=first.engagement)[0]).is_valid
    again = audit_demo_load()
    assert (
        again.vouchers == [] and again.risks_created == 0 and again.report_signed == first.engagement.number
    )
    assert (AuditException.objects.count(), Engagement.objects.count(), Risk.objects.count()) == counts
    assert WorkingPaper.objects.count() == 1 and EngagementReport.objects.count() == 1
