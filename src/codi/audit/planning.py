"""The risk-based annual audit plan and the engagements' working papers.

- ``auditable_units``: every unit with risks in the year's register (and the organization as a
  whole for its organization-wide risks), ranked by the highest residual score, then their sum.
- ``plan_draft`` builds (or rebuilds, while a draft) the plan: one engagement per ranked unit,
  spread over the four quarters in rank order (highest risk first); ``planned_move`` changes a
  quarter; ``plan_approve`` is the head of the organization's (country-wide ``eaudit.manage_risk``,
  never the plan's preparer); ``planned_start`` opens the engagement of an approved plan.
- Working papers are stored in the documents app through its services (versioned there), numbered
  by engagement (``IA2570-001/WP-01``), and signed off by a second auditor.
- Their evidence files are narrower than the rest of internal audit's work: each is filed **secret**
  with named readers only, the engagement's team (lead and members) and the head of internal audit
  (the recorded head of the unit ``AUDIT_UNIT`` in people's records). Another auditor sees that a
  paper exists (reference, title, review) but cannot open its file, neither here nor in the
  document store; only the team and the head add or review papers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from codi.audit import selectors
from codi.audit.models import AuditPlan, Engagement, PlannedEngagement, Risk, WorkingPaper
from codi.audit.services import AuditError, _require, engagement_create
from codi.core.audit import audit_record
from codi.documents import services as documents
from codi.documents.files import FileRefusedError
from codi.identity.models import OrgUnit, User
from codi.identity.roles import Perm
from codi.people import audit_feed as people_feed

MAX_PAPER_BYTES = 20 * 1024 * 1024
AUDIT_UNIT = "HQ-AUDIT"  # the internal audit unit: its recorded head reads every engagement's evidence


def audit_head_ids() -> set[int]:
    return people_feed.unit_head_user_ids(AUDIT_UNIT)


def evidence_reader_ids(engagement: Engagement) -> set[int]:
    """Who may open an engagement's working-paper files: its lead, its team, the head of internal audit."""
    return {engagement.lead_id, *engagement.team.values_list("pk", flat=True), *audit_head_ids()}


def can_see_evidence(actor: Any, engagement: Engagement) -> bool:
    return getattr(actor, "pk", None) in evidence_reader_ids(engagement) and selectors.can_view(actor)


def _require_evidence_reader(actor: Any, engagement: Engagement) -> None:
    if not can_see_evidence(actor, engagement):
        raise AuditError(
            "เฉพาะคณะผู้ตรวจสอบของงานนี้และหัวหน้าผู้ตรวจสอบภายในเท่านั้นที่จัดการกระดาษทำการได้",
            "Only the engagement's audit team and the head of internal audit handle its working papers",
        )


@dataclass(frozen=True)
class AuditableUnit:
    unit: OrgUnit | None
    risk_score: int
    risk_total: int
    risk_count: int

    @property
    def name(self) -> str:
        return self.unit.name_th if self.unit else "ระดับองค์กร"


def auditable_units(*, fiscal_year_be: int) -> list[AuditableUnit]:
    """Units ranked by the risk register of the year (highest residual score, then the sum)."""
    by_unit: dict[int | None, list[Risk]] = {}
    for risk in Risk.objects.filter(fiscal_year_be=fiscal_year_be).select_related("unit"):
        by_unit.setdefault(risk.unit_id, []).append(risk)
    units = []
    for rows in by_unit.values():
        scores = [r.residual for r in rows]
        units.append(AuditableUnit(rows[0].unit, max(scores), sum(scores), len(rows)))
    return sorted(units, key=lambda u: (-u.risk_score, -u.risk_total, u.unit.code if u.unit else ""))


def plan_get(*, actor: Any, fiscal_year_be: int) -> AuditPlan | None:
    if not (selectors.can_view(actor) or selectors.can_manage_risk(actor)):
        return None
    return AuditPlan.objects.filter(fiscal_year_be=fiscal_year_be).first()


def planned_rows(plan: AuditPlan) -> list[PlannedEngagement]:
    return list(plan.planned.select_related("unit", "engagement").order_by("quarter", "rank"))


def plan_draft(*, actor: Any, fiscal_year_be: int, is_demo: bool = False) -> AuditPlan:
    """The draft plan of the year from the risk register (rebuilt while it is a draft)."""
    _require(actor, Perm.EAUDIT_AUDIT)
    if not 2500 <= int(fiscal_year_be) <= 2700:
        raise AuditError("ปีงบประมาณ (พ.ศ.) ไม่ถูกต้อง", "Fiscal year (B.E.) out of range")
    ranked = auditable_units(fiscal_year_be=fiscal_year_be)
    if not ranked:
        raise AuditError(
            "ยังไม่มีความเสี่ยงในทะเบียนของปีนี้ จึงจัดลำดับหน่วยรับตรวจไม่ได้",
            "The year's risk register is empty: no unit to rank",
        )
    with transaction.atomic():
        plan = AuditPlan.objects.select_for_update().filter(fiscal_year_be=fiscal_year_be).first()
        if plan is not None and plan.status == AuditPlan.Status.APPROVED:
            raise AuditError("แผนการตรวจสอบปีนี้อนุมัติแล้ว แก้ไขไม่ได้", "The year's plan is approved")
        if plan is None:
            plan = AuditPlan.objects.create(fiscal_year_be=fiscal_year_be, created_by=actor, is_demo=is_demo)
        plan.planned.all().delete()
        per_quarter = math.ceil(len(ranked) / 4)
        PlannedEngagement.objects.bulk_create(
            [
                PlannedEngagement(
                    plan=plan,
                    rank=i + 1,
                    unit=u.unit,
                    title=f"ตรวจสอบ{u.name}",
                    quarter=min(4, i // per_quarter + 1),
                    risk_score=u.risk_score,
                    risk_total=u.risk_total,
                    risk_count=u.risk_count,
                )
                for i, u in enumerate(ranked)
            ]
        )
        audit_record(
            actor=actor, action="eaudit.plan_draft", object_type="eaudit.AuditPlan", object_id=plan.pk,
            changes={"fiscal_year_be": fiscal_year_be, "units": [u.unit.code if u.unit else "-" for u in ranked]},
        )  # fmt: skip
    return plan


def planned_move(*, actor: Any, planned: PlannedEngagement, quarter: Any) -> PlannedEngagement:
    _require(actor, Perm.EAUDIT_AUDIT)
    if str(quarter) not in {"1", "2", "3", "4"}:
        raise AuditError("ไตรมาสต้องเป็น 1–4", "The quarter must be 1 to 4")
    with transaction.atomic():
        planned = PlannedEngagement.objects.select_for_update().select_related("plan").get(pk=planned.pk)
        if planned.plan.status != AuditPlan.Status.DRAFT:
            raise AuditError("แผนอนุมัติแล้ว แก้ไขไม่ได้", "The plan is approved")
        before = planned.quarter
        planned.quarter = int(quarter)
        planned.save(update_fields=["quarter"])
        audit_record(
            actor=actor, action="eaudit.plan_move", object_type="eaudit.AuditPlan", object_id=planned.plan_id,
            changes={"rank": planned.rank, "quarter": [before, planned.quarter]},
        )  # fmt: skip
    return planned


def plan_approve(*, actor: Any, plan: AuditPlan) -> AuditPlan:
    """The head of the organization approves the plan; its preparer cannot."""
    _require(actor, Perm.RISK_MANAGE)
    with transaction.atomic():
        plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != AuditPlan.Status.DRAFT:
            raise AuditError("แผนนี้อนุมัติแล้ว", "The plan is already approved")
        if plan.created_by_id == actor.pk:
            raise AuditError("ผู้จัดทำแผนอนุมัติแผนของตนเองไม่ได้", "The plan's preparer cannot approve it")
        if not plan.planned.exists():
            raise AuditError("แผนยังไม่มีงานตรวจสอบ", "The plan has no engagements")
        plan.status, plan.approved_by, plan.approved_at = AuditPlan.Status.APPROVED, actor, timezone.now()
        plan.save(update_fields=["status", "approved_by", "approved_at"])
        audit_record(
            actor=actor, action="eaudit.plan_approve", object_type="eaudit.AuditPlan", object_id=plan.pk,
            changes={"fiscal_year_be": plan.fiscal_year_be, "engagements": plan.planned.count()},
        )  # fmt: skip
    return plan


def planned_start(*, actor: Any, planned: PlannedEngagement, scope: str) -> Engagement:
    _require(actor, Perm.EAUDIT_AUDIT)
    with transaction.atomic():
        planned = (
            PlannedEngagement.objects.select_for_update(of=("self",))
            .select_related("plan", "unit")
            .get(pk=planned.pk)
        )
        if planned.plan.status != AuditPlan.Status.APPROVED:
            raise AuditError("แผนยังไม่ได้รับอนุมัติ", "The plan is not approved yet")
        if planned.engagement_id:
            raise AuditError("งานตรวจสอบนี้เริ่มแล้ว", "This engagement has already started")
        engagement = engagement_create(
            actor=actor, title=planned.title, scope=scope, fiscal_year_be=planned.plan.fiscal_year_be,
            unit=planned.unit, is_demo=planned.plan.is_demo,
        )  # fmt: skip
        planned.engagement = engagement
        planned.save(update_fields=["engagement"])
    return engagement


def auditor_choices() -> list[Any]:
    """Who the lead may name to a team: active users holding a country-wide internal-audit grant."""
    users = (
        User.objects.filter(is_active=True, role_assignments__isnull=False).distinct().order_by("username")
    )
    return [u for u in users if selectors.can_audit(u)]


def engagement_team_set(*, actor: Any, engagement: Engagement, members: list[Any]) -> Engagement:
    """The lead names the engagement's team (country-wide auditors; the lead stays on it); the named
    readers of every working-paper file follow, so a member taken off no longer opens them."""
    _require(actor, Perm.EAUDIT_AUDIT)
    if engagement.lead_id != actor.pk:
        raise PermissionDenied
    if any(not selectors.can_audit(m) for m in members):
        raise AuditError("สมาชิกคณะผู้ตรวจสอบต้องเป็นผู้ตรวจสอบภายใน", "Team members must be internal auditors")
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
        before = sorted(engagement.team.values_list("pk", flat=True))
        engagement.team.set([actor, *members])
        readers = sorted(evidence_reader_ids(engagement))
        for document_id in engagement.working_papers.values_list("document_id", flat=True):
            documents.document_readers_set(actor=actor, document_id=document_id, user_ids=readers)
        audit_record(
            actor=actor, action="eaudit.engagement_team", object_type="eaudit.Engagement", object_id=engagement.pk,
            changes={"team": [before, sorted(engagement.team.values_list("pk", flat=True))]},
        )  # fmt: skip
    return engagement


# --- working papers ----------------------------------------------------------------------------------


def working_paper_add(
    *, actor: Any, engagement: Engagement, title: str, data: bytes, filename: str, is_demo: bool = False
) -> WorkingPaper:
    """File a working paper in the documents app (confidential, organization-wide) and number it."""
    _require(actor, Perm.EAUDIT_AUDIT)
    title = (title or "").strip()
    if not title or len(title) > 250:
        raise AuditError(
            "กรุณาระบุชื่อกระดาษทำการ (ไม่เกิน 250 ตัวอักษร)", "A title of at most 250 characters is required"
        )
    if not data:
        raise AuditError("กรุณาแนบไฟล์กระดาษทำการ", "Attach the working paper's file")
    if len(data) > MAX_PAPER_BYTES:
        raise AuditError("ไฟล์ใหญ่เกิน 20 MB", "The file is larger than 20 MB")
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
        if engagement.status == Engagement.Status.CLOSED:
            raise AuditError("งานตรวจสอบนี้ปิดแล้ว", "The engagement is closed")
        _require_evidence_reader(actor, engagement)
        sequence = (engagement.working_papers.aggregate(m=Max("sequence"))["m"] or 0) + 1
        reference = f"{engagement.number}/WP-{sequence:02d}"
        try:
            version = documents.document_create(
                actor=actor,
                fields=documents.DocumentFields(
                    title=f"{reference} {title}", doc_type="report", classification="secret",
                    description=f"กระดาษทำการของงานตรวจสอบ {engagement.number} {engagement.title}",
                    retention_years=10,
                ),
                data=data, filename=filename,
            )  # fmt: skip
        except PermissionDenied as exc:
            raise AuditError(
                "ท่านไม่มีสิทธิ์จัดเก็บเอกสารในคลังเอกสาร", "You may not file documents in the document store"
            ) from exc
        except FileRefusedError as exc:
            raise AuditError(f"ไม่รับไฟล์นี้: {exc}", f"File refused: {exc}") from exc
        except ValidationError as exc:
            raise AuditError(f"ข้อมูลเอกสารไม่ถูกต้อง: {exc}", f"Invalid document: {exc}") from exc
        readers = sorted(evidence_reader_ids(engagement))
        documents.document_readers_set(actor=actor, document_id=version.document_id, user_ids=readers)
        paper = WorkingPaper.objects.create(
            engagement=engagement, sequence=sequence, title=title, document_id=version.document_id,
            prepared_by=actor, is_demo=is_demo,
        )  # fmt: skip
        audit_record(
            actor=actor, action="eaudit.working_paper_add", object_type="eaudit.Engagement", object_id=engagement.pk,
            changes={
                "reference": reference, "document": version.document_id, "sha256": version.sha256, "readers": readers,
            },
        )  # fmt: skip
    return paper


def working_papers_reclassify(*, dry_run: bool = False) -> list[int]:
    """Working papers filed before they were made secret (they were filed "confidential") become
    secret, readable by each engagement's team and the head of internal audit only, through the
    documents app's service (a system change, audited there per document and here once). Idempotent:
    a paper already secret is left alone. Returns the document ids changed (or to change)."""
    papers = WorkingPaper.objects.select_related("engagement").order_by("pk")
    readers: dict[int, list[int]] = {}
    by_engagement: dict[int, list[int]] = {}
    for paper in papers:
        if paper.engagement_id not in by_engagement:
            by_engagement[paper.engagement_id] = sorted(evidence_reader_ids(paper.engagement))
        readers[paper.document_id] = by_engagement[paper.engagement_id]
    with transaction.atomic():
        changed = documents.documents_classification_raise(
            actor=None, document_ids=sorted(readers), classification="secret", readers=readers,
            reason="กระดาษทำการของงานตรวจสอบเป็นเอกสารลับ (Working papers are secret)", dry_run=dry_run,
        )  # fmt: skip
        if changed and not dry_run:
            audit_record(
                actor=None, action="eaudit.working_papers_reclassify", object_type="eaudit.WorkingPaper",
                object_id="", changes={"documents": changed},
            )  # fmt: skip
    return changed


def working_paper_review(*, actor: Any, paper: WorkingPaper, note: str = "") -> WorkingPaper:
    """A second auditor signs the review off (never the preparer; once)."""
    _require(actor, Perm.EAUDIT_AUDIT)
    note = (note or "").strip()
    if len(note) > 1000:
        raise AuditError("หมายเหตุยาวเกิน 1,000 ตัวอักษร", "The note is longer than 1,000 characters")
    with transaction.atomic():
        paper = WorkingPaper.objects.select_for_update().select_related("engagement").get(pk=paper.pk)
        _require_evidence_reader(actor, paper.engagement)
        if paper.prepared_by_id == actor.pk:
            raise AuditError(
                "ผู้จัดทำสอบทานกระดาษทำการของตนเองไม่ได้", "The preparer cannot review their own paper"
            )
        if paper.reviewed_at is not None:
            raise AuditError("กระดาษทำการนี้สอบทานแล้ว", "This paper is already reviewed")
        paper.reviewed_by, paper.reviewed_at, paper.review_note = actor, timezone.now(), note
        paper.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        audit_record(
            actor=actor, action="eaudit.working_paper_review", object_type="eaudit.Engagement",
            object_id=paper.engagement_id, changes={"reference": paper.reference, "note": note},
        )  # fmt: skip
    return paper
