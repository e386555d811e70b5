"""e-Audit writes: rule parameters, analytics runs and the exception queue, engagements, findings
followed to closure (run by ``codi.workflow`` over ``processes/finding_tobe.bpmn``), risks.

Every write is validated, in one transaction, and recorded in the audit trail. Auditors read the
other apps' data only (through their ``audit_feed``); a finding's response is written only by its
responsible manager; closing a finding needs evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from codi.audit import analytics, feeds, selectors
from codi.audit.analytics import AnalyticsError
from codi.audit.models import (
    AnalyticsRun,
    AuditException,
    Engagement,
    ExceptionStatus,
    Finding,
    FindingStatus,
    FollowUp,
    ManagementResponse,
    Rating,
    Risk,
    RuleSetting,
    Treatment,
)
from codi.core.audit import audit_record
from codi.identity.models import OrgUnit, User
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.workflow.engine import Process, StepError

PROCESSES = Path(__file__).resolve().parent / "processes"
TOBE_FILE = PROCESSES / "finding_tobe.bpmn"
ASIS_FILE = PROCESSES / "finding_asis.bpmn"
PROCESS = Process(TOBE_FILE, "codi_finding_tobe")

STEP_NAMES = {
    "respond": ("ผู้บริหารตอบและกำหนดแผนแก้ไข", "Management response"),
    "follow_up": ("ผู้ตรวจสอบติดตามผล", "Auditor follow-up"),
}


class AuditError(Exception):
    """A refused request, with the message in Thai and English."""

    def __init__(self, message_th: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_th = message_th
        self.message_en = message_en


def _require(actor: Any, perm: str) -> None:
    """Internal audit acts organization-wide: the grant must be country-wide."""
    if not selectors._country_wide(actor, perm):
        raise PermissionDenied


def _text(value: str, name_th: str, name_en: str, limit: int = 5000) -> str:
    value = (value or "").strip()
    if not value:
        raise AuditError(f"กรุณากรอก{name_th}", f"{name_en} is required")
    if len(value) > limit:
        raise AuditError(f"{name_th}ยาวเกิน {limit} ตัวอักษร", f"{name_en} is longer than {limit} characters")
    return value


# --- rules and runs -------------------------------------------------------------------------------


def rule_params(rule: str) -> dict[str, Any]:
    setting = RuleSetting.objects.filter(rule=rule).first()
    return dict(setting.params) if setting else {}


def rule_setting_update(*, actor: Any, rule: str, enabled: bool, params: dict[str, Any]) -> RuleSetting:
    _require(actor, Perm.EAUDIT_AUDIT)
    try:
        found = analytics.resolve_rules([rule])[0]
        values = found.resolve({k: v for k, v in params.items() if str(v).strip() != ""})
    except AnalyticsError as exc:
        raise AuditError(exc.message_th, exc.message_en) from None
    stored = {k: str(v) for k, v in values.items() if v != found.params[k].default}
    with transaction.atomic():
        setting, _ = RuleSetting.objects.select_for_update().get_or_create(rule=rule)
        old = {"enabled": setting.enabled, "params": setting.params}
        setting.enabled, setting.params, setting.updated_by = enabled, stored, actor
        setting.save()
        audit_record(
            actor=actor, action="eaudit.rule_update", object_type="eaudit.RuleSetting", object_id=setting.pk,
            changes={"rule": rule, "enabled": [old["enabled"], enabled], "params": [old["params"], stored]},
        )  # fmt: skip
    return setting


def _source(flag: analytics.Flag) -> tuple[str, str]:
    kind, _, pk = flag.source.partition(":")
    return kind, pk


@dataclass(frozen=True)
class RunResult:
    run: AnalyticsRun
    flags: int
    new: int


def analytics_run(
    *, actor: Any | None, trigger: str = AnalyticsRun.Trigger.ON_DEMAND, rules: list[str] | None = None
) -> RunResult:
    """Run the enabled rules (or ``rules``) over live data; each flag lands once in the queue.

    ``actor`` None is the scheduler; a person needs the audit permission. A flag already in the
    queue keeps the auditor's decision (a false positive stays one) and is refreshed."""
    if actor is not None:
        _require(actor, Perm.EAUDIT_AUDIT)
    settings = {s.rule: s for s in RuleSetting.objects.all()}
    try:
        chosen = analytics.resolve_rules(
            rules if rules else [n for n in analytics.RULES if n not in settings or settings[n].enabled]
        )
        params = {r.name: dict(settings[r.name].params) for r in chosen if r.name in settings}
        data, counts = feeds.live_dataset()
        flags = analytics.run_rules(data, chosen, params)
    except AnalyticsError as exc:
        raise AuditError(exc.message_th, exc.message_en) from None
    per_rule: dict[str, int] = {}
    for flag in flags:
        per_rule[flag.rule] = per_rule.get(flag.rule, 0) + 1
    with transaction.atomic():
        run = AnalyticsRun.objects.create(
            trigger=trigger, started_at=timezone.now(), started_by=actor, rules=[r.name for r in chosen],
            records=counts, flags=per_rule,
        )  # fmt: skip
        new, changed, seen = _queue_flags(run, flags, [r.name for r in chosen])
        run.finished_at = timezone.now()
        run.new_exceptions = new
        run.save(update_fields=["finished_at", "new_exceptions"])
        audit_record(
            actor=actor, action="eaudit.analytics_run", object_type="eaudit.AnalyticsRun", object_id=run.pk,
            changes={"trigger": trigger, "records": counts, "flags": per_rule, "new": new, "changed": changed,
                     "unchanged": seen - changed},
        )  # fmt: skip
    return RunResult(run, len(flags), new)


WRITE_BATCH = 5000


def _queue_flags(run: AnalyticsRun, flags: list[analytics.Flag], rules: list[str]) -> tuple[int, int, int]:
    """Each flag once in the queue (the last flag of a rule and record wins): new ones inserted, ones
    already there keep the auditor's call and point at this run, their group and reason refreshed
    only where they changed. Set-based: plain values read, writes in batches. Returns (new,
    changed, already queued)."""
    latest: dict[tuple[str, str], analytics.Flag] = {}
    for flag in flags:
        latest[(flag.rule, flag.payment_id[:80])] = flag
    existing = {
        (rule, record_id): (pk, group_id, reason)
        for pk, rule, record_id, group_id, reason in AuditException.objects.select_for_update()
        .filter(rule__in=rules)
        .order_by()
        .values_list("pk", "rule", "record_id", "group_id", "reason")
    }
    new: list[AuditException] = []
    changed: list[AuditException] = []
    same: list[int] = []
    for (rule, record_id), flag in latest.items():
        group_id, reason = flag.group_id[:80], flag.reason[:500]
        found = existing.get((rule, record_id))
        if found is None:
            kind, pk = _source(flag)
            new.append(
                AuditException(
                    rule=rule, record_id=record_id, group_id=group_id, reason=reason, source_type=kind,
                    source_id=pk, first_run=run, last_run=run,
                )
            )  # fmt: skip
        elif (found[1], found[2]) != (group_id, reason):
            changed.append(AuditException(pk=found[0], group_id=group_id, reason=reason, last_run=run))
        else:
            same.append(found[0])
    AuditException.objects.bulk_create(new, batch_size=WRITE_BATCH)
    AuditException.objects.bulk_update(changed, ["group_id", "reason", "last_run"], batch_size=1000)
    for start in range(0, len(same), WRITE_BATCH):
        AuditException.objects.filter(pk__in=same[start : start + WRITE_BATCH]).update(last_run=run)
    return len(new), len(changed), len(changed) + len(same)


def exception_decide(*, actor: Any, exception: AuditException, status: str, note: str) -> AuditException:
    """The auditor's call on a flag: explained or false positive (with a note that tunes the rule).
    A flag becomes a finding only through ``finding_raise``."""
    _require(actor, Perm.EAUDIT_AUDIT)
    if status not in (ExceptionStatus.EXPLAINED, ExceptionStatus.FALSE_POSITIVE, ExceptionStatus.OPEN):
        raise AuditError("สถานะไม่ถูกต้อง", "Unknown status")
    note = _text(note, "เหตุผล", "A note", 1000) if status != ExceptionStatus.OPEN else note.strip()[:1000]
    with transaction.atomic():
        row = AuditException.objects.select_for_update().get(pk=exception.pk)
        if row.status == ExceptionStatus.FINDING:
            raise AuditError("รายการนี้เป็นข้อตรวจพบแล้ว", "This exception is already a finding")
        old = row.status
        row.status, row.note, row.decided_by, row.decided_at = status, note, actor, timezone.now()
        row.save()
        audit_record(
            actor=actor, action="eaudit.exception_decide", object_type="eaudit.AuditException", object_id=row.pk,
            changes={"status": [old, status], "note": note},
        )  # fmt: skip
    return row


def evidence_viewed(*, actor: Any, exception: AuditException) -> None:
    """Every look at evidence is on the trail (auditors read other units' records)."""
    _require(actor, Perm.EAUDIT_VIEW)
    audit_record(
        actor=actor, action="eaudit.evidence_view", object_type=exception.source_type or "eaudit.AuditException",
        object_id=exception.source_id or exception.pk, changes={"exception": exception.pk, "rule": exception.rule},
    )  # fmt: skip


# --- engagements and findings ------------------------------------------------------------------


def engagement_create(
    *, actor: Any, title: str, scope: str, fiscal_year_be: int, unit: OrgUnit | None = None,
    team: list[User] | None = None, is_demo: bool = False,
) -> Engagement:  # fmt: skip
    _require(actor, Perm.EAUDIT_AUDIT)
    title = _text(title, "ชื่องานตรวจสอบ", "Title", 300)
    scope = _text(scope, "ขอบเขต", "Scope")
    if not 2500 <= int(fiscal_year_be) <= 2700:
        raise AuditError("ปีงบประมาณ (พ.ศ.) ไม่ถูกต้อง", "Fiscal year (B.E.) out of range")
    with transaction.atomic():
        last = (
            Engagement.objects.select_for_update()
            .filter(fiscal_year_be=fiscal_year_be)
            .aggregate(m=Max("sequence"))
        )
        engagement = Engagement.objects.create(
            fiscal_year_be=fiscal_year_be, sequence=(last["m"] or 0) + 1, title=title, scope=scope, unit=unit,
            lead=actor, is_demo=is_demo,
        )  # fmt: skip
        engagement.team.set([actor, *(team or [])])
        audit_record(
            actor=actor, action="eaudit.engagement_create", object_type="eaudit.Engagement", object_id=engagement.pk,
            changes={"number": engagement.number, "title": title},
        )  # fmt: skip
    return engagement


def finding_raise(
    *, actor: Any, engagement: Engagement, title: str, condition: str, criteria: str, cause: str, effect: str,
    recommendation: str, owner: User | None, rating: str = Rating.MEDIUM, exception_ids: list[int] | None = None,
    is_demo: bool = False,
) -> Finding:  # fmt: skip
    _require(actor, Perm.EAUDIT_AUDIT)
    fields = {
        "title": _text(title, "หัวข้อ", "Title", 300),
        "condition": _text(condition, "สิ่งที่พบ (Condition)", "Condition"),
        "criteria": _text(criteria, "เกณฑ์ (Criteria)", "Criteria"),
        "cause": _text(cause, "สาเหตุ (Cause)", "Cause"),
        "effect": _text(effect, "ผลกระทบ (Effect)", "Effect"),
        "recommendation": _text(recommendation, "ข้อเสนอแนะ (Recommendation)", "Recommendation"),
    }
    if owner is None or not owner.is_active:
        raise AuditError("กรุณาระบุผู้บริหารที่รับผิดชอบ", "A responsible manager is required")
    if owner.pk == actor.pk:
        raise AuditError("ผู้ตรวจสอบเป็นผู้รับผิดชอบแก้ไขเองไม่ได้", "The auditor cannot be the responsible manager")
    if rating not in Rating.values:
        raise AuditError("ระดับความสำคัญไม่ถูกต้อง", "Unknown rating")
    if engagement.status == Engagement.Status.CLOSED:
        raise AuditError("งานตรวจสอบนี้ปิดแล้ว", "The engagement is closed")
    with transaction.atomic():
        Engagement.objects.select_for_update().get(pk=engagement.pk)
        linked = list(AuditException.objects.select_for_update().filter(pk__in=exception_ids or []))
        if len(linked) != len(set(exception_ids or [])):
            raise AuditError("ไม่พบรายการผิดปกติที่อ้างถึง", "An exception referred to does not exist")
        if any(e.status == ExceptionStatus.FINDING for e in linked):
            raise AuditError("รายการผิดปกตินี้เป็นข้อตรวจพบแล้ว", "An exception is already a finding")
        sequence = (engagement.findings.aggregate(m=Max("sequence"))["m"] or 0) + 1
        transition = PROCESS.start({"finding": sequence})
        finding = Finding.objects.create(
            engagement=engagement, sequence=sequence, rating=rating, owner=owner, created_by=actor,
            workflow_state=transition.state, current_step=transition.ready[0], is_demo=is_demo, **fields,
        )  # fmt: skip
        now = timezone.now()
        for e in linked:
            e.status, e.finding, e.decided_by, e.decided_at = ExceptionStatus.FINDING, finding, actor, now
            e.note = e.note or finding.number
            e.save()
        audit_record(
            actor=actor, action="eaudit.finding_raise", object_type="eaudit.Finding", object_id=finding.pk,
            changes={"number": finding.number, "owner": owner.pk, "rating": rating, "exceptions": [e.pk for e in linked]},
        )  # fmt: skip
    return finding


def _locked(finding: Finding, step: str) -> Finding:
    row = Finding.objects.select_for_update().select_related("engagement").get(pk=finding.pk)
    if row.current_step != step:
        raise AuditError("ข้อตรวจพบไม่ได้อยู่ในขั้นตอนนี้", "The finding is not at this step")
    return row


def _advance(row: Finding, step: str, data: dict[str, Any]) -> None:
    try:
        transition = PROCESS.complete(row.workflow_state, task=step, data=data)
    except StepError:
        raise AuditError("ข้อตรวจพบไม่ได้อยู่ในขั้นตอนนี้", "The finding is not at this step") from None
    row.workflow_state = transition.state
    row.current_step = transition.ready[0] if transition.ready else ""
    if transition.ended == "end_closed":
        row.status, row.closed_at = FindingStatus.CLOSED, timezone.now()
    else:
        row.status = (
            FindingStatus.AWAITING_RESPONSE if row.current_step == "respond" else FindingStatus.FOLLOW_UP
        )


def _parse_date(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise AuditError("วันที่ไม่ถูกต้อง (ค.ศ. YYYY-MM-DD)", "Invalid date (YYYY-MM-DD)") from None


def finding_respond(
    *,
    actor: Any,
    finding: Finding,
    agreed: bool,
    action_plan: str,
    action_owner: User | None,
    due_date: date | str,
) -> ManagementResponse:
    """The responsible manager's response: the action plan, who does it and by when."""
    if finding.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied
    plan = _text(action_plan, "แผนการแก้ไข", "An action plan")
    due = _parse_date(due_date)
    if due < timezone.localdate():
        raise AuditError("วันกำหนดเสร็จต้องไม่ก่อนวันนี้", "The due date cannot be in the past")
    if action_owner is None or not action_owner.is_active:
        raise AuditError("กรุณาระบุผู้รับผิดชอบดำเนินการ", "An action owner is required")
    with transaction.atomic():
        row = _locked(finding, "respond")
        response = ManagementResponse.objects.create(
            finding=row,
            agreed=agreed,
            action_plan=plan,
            action_owner=action_owner,
            due_date=due,
            responded_by=actor,
        )
        _advance(row, "respond", {})
        row.due_date = due
        row.save()
        audit_record(
            actor=actor, action="eaudit.finding_respond", object_type="eaudit.Finding", object_id=row.pk,
            changes={"agreed": agreed, "action_owner": action_owner.pk, "due_date": due.isoformat()},
        )  # fmt: skip
    finding.refresh_from_db()
    return response


def finding_follow_up(
    *, actor: Any, finding: Finding, outcome: str, note: str, evidence: str = ""
) -> FollowUp:
    """The auditor's follow-up: still in progress, sent back for a new response, or closed — the
    last only with evidence (a document, a record, a reference the auditor checked)."""
    _require(actor, Perm.EAUDIT_AUDIT)
    if outcome not in FollowUp.Outcome.values:
        raise AuditError("ผลการติดตามไม่ถูกต้อง", "Unknown follow-up outcome")
    note = _text(note, "บันทึกการติดตาม", "A follow-up note")
    evidence = (evidence or "").strip()
    if outcome == FollowUp.Outcome.CLOSE and not evidence:
        raise AuditError("ปิดข้อตรวจพบได้เมื่อมีหลักฐานการแก้ไขเท่านั้น", "A finding is closed only with evidence")
    if len(evidence) > 500:
        raise AuditError("หลักฐานยาวเกิน 500 ตัวอักษร", "Evidence is longer than 500 characters")
    with transaction.atomic():
        row = _locked(finding, "follow_up")
        follow = FollowUp.objects.create(
            finding=row, outcome=outcome, note=note, evidence=evidence, recorded_by=actor
        )
        _advance(row, "follow_up", {"follow_up_outcome": outcome})
        row.save()
        audit_record(
            actor=actor, action="eaudit.finding_follow_up", object_type="eaudit.Finding", object_id=row.pk,
            changes={"outcome": outcome, "evidence": evidence, "status": row.status},
        )  # fmt: skip
    finding.refresh_from_db()
    return follow


# --- risks --------------------------------------------------------------------------------------


def _scale(value: Any, name_th: str, name_en: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if not 1 <= number <= 5:
        raise AuditError(f"{name_th}ต้องเป็น 1 ถึง 5", f"{name_en} must be 1 to 5")
    return number


def risk_save(*, actor: Any, risk: Risk | None = None, **values: Any) -> Risk:
    """Create or update a risk. A country-wide risk manager keeps every risk; a region-scoped one
    (a regional director) adds risks they own; the owner of a risk reviews it."""
    is_owner = risk is not None and risk.owner_id == getattr(actor, "pk", None)
    own_new = risk is None and user_has_perm(actor, Perm.RISK_MANAGE) and values.get("owner") == actor
    if not (is_owner or own_new or selectors.can_manage_risk(actor)):
        raise PermissionDenied
    scores = {
        key: _scale(values.get(key), th, en)
        for key, th, en in (
            ("likelihood", "โอกาสเกิด", "Likelihood"), ("impact", "ผลกระทบ", "Impact"),
            ("residual_likelihood", "โอกาสเกิดคงเหลือ", "Residual likelihood"),
            ("residual_impact", "ผลกระทบคงเหลือ", "Residual impact"),
        )
    }  # fmt: skip
    if scores["residual_likelihood"] * scores["residual_impact"] > scores["likelihood"] * scores["impact"]:
        raise AuditError(
            "ความเสี่ยงคงเหลือต้องไม่สูงกว่าความเสี่ยงก่อนควบคุม", "Residual risk cannot exceed inherent risk"
        )
    treatment = values.get("treatment", "")
    if treatment not in Treatment.values:
        raise AuditError("วิธีจัดการความเสี่ยงไม่ถูกต้อง", "Unknown treatment")
    owner = values.get("owner")
    if owner is None:
        raise AuditError("กรุณาระบุเจ้าของความเสี่ยง", "A risk owner is required")
    fields = {
        "objective": _text(values.get("objective", ""), "วัตถุประสงค์", "Objective", 500),
        "event": _text(values.get("event", ""), "เหตุการณ์ความเสี่ยง", "Risk event", 500),
        "cause": _text(values.get("cause", ""), "สาเหตุ", "Cause", 500),
        "treatment": treatment, "treatment_plan": str(values.get("treatment_plan", ""))[:5000],
        "kri": str(values.get("kri", ""))[:40], "kri_limit": values.get("kri_limit"), "owner": owner,
        "unit": values.get("unit"), **scores,
    }  # fmt: skip
    with transaction.atomic():
        if risk is None:
            code = _text(values.get("code", ""), "รหัสความเสี่ยง", "Code", 30)
            if Risk.objects.filter(code=code).exists():
                raise AuditError("รหัสความเสี่ยงนี้มีแล้ว", "This risk code exists")
            risk = Risk.objects.create(
                code=code, fiscal_year_be=int(values.get("fiscal_year_be") or 0) or _fiscal_year_be(),
                is_demo=bool(values.get("is_demo")), **fields,
            )  # fmt: skip
            action = "eaudit.risk_create"
        else:
            risk = Risk.objects.select_for_update().get(pk=risk.pk)
            for key, value in fields.items():
                setattr(risk, key, value)
            risk.reviewed_on = timezone.localdate()
            risk.save()
            action = "eaudit.risk_review"
        audit_record(
            actor=actor, action=action, object_type="eaudit.Risk", object_id=risk.pk,
            changes={"code": risk.code, **{k: v for k, v in scores.items()}, "treatment": treatment},
        )  # fmt: skip
    return risk


def _fiscal_year_be(day: date | None = None) -> int:
    day = day or timezone.localdate()
    return day.year + 543 + (1 if day.month >= 10 else 0)
