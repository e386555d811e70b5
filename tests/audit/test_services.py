"""e-Audit over live data: the analytics find the planted duplicate in finance's vouchers, the queue
keeps decisions, findings run through the BPMN to closure on evidence, risks on the 5 x 5 scale."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from codi.audit import selectors, services
from codi.audit.models import AuditException, ExceptionStatus, FindingStatus, Risk, RuleSetting
from codi.audit.services import AuditError
from codi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _raise(people, engagement, exceptions, **kw):
    fields = {
        "title": "จ่ายซ้ำ", "condition": "PV จ่ายซ้ำใบแจ้งหนี้เดียวกัน", "criteria": "ระเบียบการเงิน ข้อ 5",
        "cause": "ไม่เทียบใบแจ้งหนี้", "effect": "เสียหาย 45,000 บาท", "recommendation": "เทียบเลขใบแจ้งหนี้ก่อนจ่าย",
    }  # fmt: skip
    fields.update(kw)
    return services.finding_raise(
        actor=people["auditor"], engagement=engagement, owner=people["executive"],
        exception_ids=[e.pk for e in exceptions], **fields,
    )  # fmt: skip


def test_live_run_finds_the_planted_duplicate_and_keeps_decisions(people, planted):
    result = services.analytics_run(actor=people["auditor"])
    dup = AuditException.objects.filter(rule="duplicate_payment")
    assert sorted(dup.values_list("record_id", flat=True)) == sorted(v.number for v in planted["dup"])
    assert len({e.group_id for e in dup}) == 1
    assert {e.source_type for e in dup} == {"finance.PaymentVoucher"}
    assert result.run.records["finance.payments"] == 3  # the voucher in preparation is not read
    assert result.new == AuditException.objects.count()

    # the second run adds nothing and keeps the auditor's call
    first = dup.first()
    services.exception_decide(
        actor=people["auditor"], exception=first, status="false_positive", note="ใบลดหนี้"
    )
    again = services.analytics_run(actor=None, trigger="scheduled")
    assert again.new == 0
    first.refresh_from_db()
    assert first.status == ExceptionStatus.FALSE_POSITIVE and first.last_run == again.run
    assert AuditEntry.objects.filter(action="eaudit.analytics_run").count() == 2


def test_evidence_has_the_group_and_the_vouchers_audit_trail(people, planted):
    services.analytics_run(actor=people["auditor"])
    exception = AuditException.objects.filter(rule="duplicate_payment").first()
    found = selectors.evidence(exception)
    assert len(found.group) == 2
    actions = {a.action for a in found.trail}
    assert {"finance.voucher_create", "finance.voucher_submit", "finance.voucher_check"} <= actions
    assert {a.object_id for a in found.trail} == {str(v.pk) for v in planted["dup"]}
    services.evidence_viewed(actor=people["auditor"], exception=exception)
    assert AuditEntry.objects.filter(
        action="eaudit.evidence_view", object_type="finance.PaymentVoucher"
    ).exists()


def test_rules_and_runs_refuse_others_and_bad_parameters(people, planted):
    for who in ("executive", "maker", "leader"):
        with pytest.raises(PermissionDenied):
            services.analytics_run(actor=people[who])
    with pytest.raises(AuditError, match="out of range"):
        services.rule_setting_update(
            actor=people["auditor"], rule="split_purchase", enabled=True, params={"threshold": "0"}
        )
    with pytest.raises(AuditError, match="Unknown rule"):
        services.rule_setting_update(actor=people["auditor"], rule="nope", enabled=True, params={})
    assert not RuleSetting.objects.exists()
    services.rule_setting_update(actor=people["auditor"], rule="duplicate_payment", enabled=False, params={})
    services.analytics_run(actor=people["auditor"])
    assert not AuditException.objects.filter(rule="duplicate_payment").exists()


def test_finding_follows_the_bpmn_to_closure_on_evidence(people, planted, engagement):
    services.analytics_run(actor=people["auditor"])
    dup = list(AuditException.objects.filter(rule="duplicate_payment"))
    finding = _raise(people, engagement, dup)
    assert finding.current_step == "respond" and finding.status == FindingStatus.AWAITING_RESPONSE
    assert set(AuditException.objects.filter(rule="duplicate_payment").values_list("status", flat=True)) == {
        "finding"
    }
    assert selectors.owner_inbox(actor=people["executive"]).to_respond == [finding]

    # the auditor cannot respond for management, nor anyone but the owner
    due = timezone.localdate() + timedelta(days=30)
    for who in ("auditor", "director"):
        with pytest.raises(PermissionDenied):
            services.finding_respond(
                actor=people[who],
                finding=finding,
                agreed=True,
                action_plan="x",
                action_owner=people["maker"],
                due_date=due,
            )
    with pytest.raises(AuditError, match="past"):
        services.finding_respond(
            actor=people["executive"], finding=finding, agreed=True, action_plan="เรียกเงินคืน",
            action_owner=people["maker"], due_date=timezone.localdate() - timedelta(days=1),
        )  # fmt: skip
    services.finding_respond(
        actor=people["executive"], finding=finding, agreed=True, action_plan="เรียกเงินคืนและเพิ่มการเทียบใบแจ้งหนี้",
        action_owner=people["maker"], due_date=due,
    )  # fmt: skip
    assert finding.current_step == "follow_up" and finding.due_date == due
    assert selectors.findings(actor=people["maker"]).get() == finding  # the action owner sees it

    # closing without evidence is refused and writes nothing
    with pytest.raises(AuditError, match="evidence"):
        services.finding_follow_up(
            actor=people["auditor2"], finding=finding, outcome="close", note="ตรวจแล้ว", evidence=" "
        )
    assert not finding.follow_ups.exists()
    with pytest.raises(PermissionDenied):
        services.finding_follow_up(
            actor=people["executive"], finding=finding, outcome="close", note="x", evidence="y"
        )

    services.finding_follow_up(
        actor=people["auditor"], finding=finding, outcome="continue", note="ยังไม่ได้เงินคืน"
    )
    assert finding.current_step == "follow_up"
    services.finding_follow_up(actor=people["auditor"], finding=finding, outcome="reopen", note="แผนไม่พอ")
    assert finding.current_step == "respond" and finding.status == FindingStatus.AWAITING_RESPONSE
    services.finding_respond(
        actor=people["executive"], finding=finding, agreed=True, action_plan="ระบบเตือนใบแจ้งหนี้ซ้ำ",
        action_owner=people["maker"], due_date=due,
    )  # fmt: skip
    services.finding_follow_up(
        actor=people["auditor"], finding=finding, outcome="close", note="ได้รับเงินคืนแล้ว",
        evidence="ใบเสร็จรับเงิน RC2570-00012",
    )  # fmt: skip
    assert finding.status == FindingStatus.CLOSED and finding.closed_at and finding.current_step == ""
    diagram = services.PROCESS.diagram(finding.workflow_state)
    assert "end_closed" in diagram["completed"] and diagram["current"] == []
    with pytest.raises(AuditError):
        services.finding_follow_up(actor=people["auditor"], finding=finding, outcome="continue", note="x")


def test_finding_bad_input(people, planted, engagement):
    services.analytics_run(actor=people["auditor"])
    dup = list(AuditException.objects.filter(rule="duplicate_payment"))
    with pytest.raises(AuditError, match="Cause"):
        _raise(people, engagement, dup, cause="  ")
    with pytest.raises(AuditError, match="responsible manager"):
        services.finding_raise(
            actor=people["auditor"], engagement=engagement, title="t", condition="c", criteria="c", cause="c",
            effect="e", recommendation="r", owner=people["auditor"],
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.finding_raise(
            actor=people["executive"], engagement=engagement, title="t", condition="c", criteria="c", cause="c",
            effect="e", recommendation="r", owner=people["maker"],
        )  # fmt: skip
    assert not engagement.findings.exists()
    _raise(people, engagement, dup)
    with pytest.raises(AuditError, match="already a finding"):
        _raise(people, engagement, dup[:1])
    with pytest.raises(AuditError, match="already a finding"):
        services.exception_decide(actor=people["auditor"], exception=dup[0], status="explained", note="x")


def _risk(people, **kw):
    values = dict(
        code="R-1", objective="จ่ายถูกต้อง", event="จ่ายซ้ำ", cause="ไม่เทียบใบแจ้งหนี้", likelihood=4, impact=5,
        residual_likelihood=2, residual_impact=3, owner=people["director"], treatment="reduce",
        kri="rule:duplicate_payment", kri_limit=0,
    )  # fmt: skip
    values.update(kw)
    return services.risk_save(actor=people["executive"], **values)


def test_risk_register_heat_map_and_kri(people, planted):
    risk = _risk(people)
    assert (risk.inherent, risk.residual) == (20, 6)
    _risk(people, code="R-2", likelihood=4, impact=5, residual_likelihood=1, residual_impact=1, kri="")
    rows = list(selectors.risks(actor=people["auditor"]))
    grid = selectors.heat_map(rows)
    assert len(grid[0][3].risks) == 2 and grid[0][3].band == "very_high"  # impact 5, likelihood 4
    residual = selectors.heat_map(rows, residual=True)
    assert residual[2][1].risks == [risk]  # impact 3, likelihood 2
    assert selectors.kri_values(rows)[risk.pk].value == 0
    services.analytics_run(actor=people["auditor"])
    kri = selectors.kri_values(rows)[risk.pk]
    assert kri.value == 2 and kri.breached

    # the owner reviews it; others without the right cannot; bad scales refused
    services.risk_save(actor=people["director"], risk=risk, **{**_fields(risk), "residual_likelihood": 1})
    with pytest.raises(PermissionDenied):
        services.risk_save(actor=people["maker"], risk=risk, **_fields(risk))
    for bad in ({"likelihood": 6}, {"impact": "x"}, {"residual_impact": 5, "residual_likelihood": 5}):
        with pytest.raises(AuditError):
            services.risk_save(actor=people["executive"], risk=risk, **{**_fields(risk), **bad})
    risk.refresh_from_db()
    assert risk.residual_likelihood == 1 and risk.reviewed_on == timezone.localdate()
    assert selectors.risks(actor=people["maker"]).count() == 0
    assert list(selectors.risks(actor=people["director"])) == list(Risk.objects.all())


def _fields(risk: Risk) -> dict:
    return {
        k: getattr(risk, k)
        for k in ("objective", "event", "cause", "likelihood", "impact", "residual_likelihood", "residual_impact",
                  "owner", "treatment", "kri", "kri_limit", "unit")
    }  # fmt: skip
