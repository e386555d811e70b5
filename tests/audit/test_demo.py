"""The e-Audit demo: the planted duplicate is found by the analytics, risks and an engagement exist."""

from __future__ import annotations

from django.core.management import call_command

from codi.audit.demo import PLANTED_INVOICE, audit_demo_load
from codi.audit.models import AuditException, Engagement, Risk
from codi.finance.demo import finance_demo_load


def test_audit_demo_plants_what_the_rules_find_and_is_idempotent(db):
    call_command("load_demo", verbosity=0)
    finance_demo_load()
    summary = audit_demo_load()
    assert len(summary.vouchers) == 3 and summary.engagement and summary.risks_created == 7
    dup = AuditException.objects.filter(rule="duplicate_payment")
    assert sorted(dup.values_list("record_id", flat=True)) == sorted(summary.vouchers[:2])
    assert all(PLANTED_INVOICE in e.reason for e in dup) and len({e.group_id for e in dup}) == 1
    assert AuditException.objects.filter(rule="round_amount", record_id=summary.vouchers[2]).exists()
    counts = (AuditException.objects.count(), Engagement.objects.count(), Risk.objects.count())
    again = audit_demo_load()
    assert again.vouchers == [] and again.risks_created == 0
    assert (AuditException.objects.count(), Engagement.objects.count(), Risk.objects.count()) == counts
