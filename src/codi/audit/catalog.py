"""Data catalog entries for e-Audit (read by codi.governance).

Audit working data is confidential: it names the records and the staff an auditor looked at.
No personal data of its own beyond staff accounts (owners, auditors, responders).
"""

from __future__ import annotations

from typing import Any

from codi.governance.catalog import dataset

_UNIT = "สำนักตรวจสอบภายใน"
_STEWARD = "head of internal audit"
_RETENTION = "10 years after the finding is closed (audit working papers)"


def _dataset(
    name_th: str, name_en: str, description: str, fields: dict[str, Any], **extra: str
) -> dict[str, Any]:
    return dataset(
        name_th, name_en, description, fields, owner_unit=_UNIT, steward=_STEWARD, retention=_RETENTION,
        classification=extra.get("classification", "confidential"),
        source=extra.get("source", "entered through codi.audit services"),
        update_frequency=extra.get("update_frequency", "real-time"),
    )  # fmt: skip


_DEMO = ("ข้อมูลตัวอย่าง", "Demo", "Made by load_audit_demo")

DATASETS = {
    "RuleSetting": _dataset(
        "พารามิเตอร์กฎตรวจสอบ",
        "Analytics rule setting",
        "Parameters of each continuous-audit rule and whether it runs.",
        {
            "rule": ("กฎ", "Rule", "Rule name in the registry"),
            "enabled": ("เปิดใช้", "Enabled", "Whether the rule runs"),
            "params": ("พารามิเตอร์", "Parameters", "Overrides of the rule's defaults"),
            "updated_at": ("แก้ไขเมื่อ", "Updated at", "Time of the last change"),
            "updated_by": ("แก้ไขโดย", "Updated by", "Auditor who changed it"),
        },
        classification="internal",
        update_frequency="on change",
    ),
    "AnalyticsRun": _dataset(
        "รอบการตรวจสอบต่อเนื่อง",
        "Analytics run",
        "One run of the rules over live data: what was read and flagged.",
        {
            "trigger": ("การเริ่ม", "Trigger", "Scheduled or on demand"),
            "started_at": ("เริ่มเมื่อ", "Started at", "Start time"),
            "finished_at": ("เสร็จเมื่อ", "Finished at", "End time"),
            "started_by": ("ผู้สั่ง", "Started by", "Auditor, or empty for the scheduler"),
            "rules": ("กฎที่ใช้", "Rules", "Rule names run"),
            "records": ("จำนวนข้อมูล", "Records read", "Rows read per feed"),
            "flags": ("จำนวนที่พบ", "Flags", "Flags per rule"),
            "new_exceptions": ("รายการใหม่", "New exceptions", "Exceptions first seen in this run"),
        },
        classification="internal",
        source="codi.audit.services.analytics_run",
    ),
    "AuditException": _dataset(
        "รายการผิดปกติ",
        "Audit exception",
        "A record a rule flagged, with the auditor's decision.",
        {
            "rule": ("กฎ", "Rule", "Rule that flagged it"),
            "record_id": ("รายการ", "Record", "Payment or record identifier"),
            "group_id": ("กลุ่ม", "Group", "Records flagged together"),
            "reason": ("เหตุผล", "Reason", "Why the rule flagged it"),
            "source_type": ("ประเภทเอกสารต้นทาง", "Source type", "Model of the source record"),
            "source_id": ("เอกสารต้นทาง", "Source", "Identifier of the source record"),
            "first_run": ("พบครั้งแรก", "First run", "Run that first flagged it"),
            "last_run": ("พบล่าสุด", "Last run", "Run that last flagged it"),
            "status": ("สถานะ", "Status", "To review, explained, finding or false positive"),
            "note": ("หมายเหตุ", "Note", "Auditor's explanation"),
            "decided_by": ("ผู้พิจารณา", "Decided by", "Auditor"),
            "decided_at": ("พิจารณาเมื่อ", "Decided at", "Time of the decision"),
            "finding": ("ข้อตรวจพบ", "Finding", "Finding it was raised as"),
            "is_demo": _DEMO,
        },
    ),
    "Engagement": _dataset(
        "งานตรวจสอบ",
        "Audit engagement",
        "An engagement of the annual audit plan with its team and scope.",
        {
            "fiscal_year_be": ("ปีงบประมาณ", "Fiscal year", "Buddhist Era"),
            "sequence": ("ลำดับ", "Sequence", "Number within the year"),
            "title": ("ชื่องาน", "Title", "Engagement title"),
            "unit": ("หน่วยรับตรวจ", "Unit", "Audited unit, empty for organization-wide"),
            "scope": ("ขอบเขต", "Scope", "What is audited"),
            "lead": ("หัวหน้าทีม", "Lead", "Lead auditor"),
            "team": ("ทีมตรวจสอบ", "Team", "Auditors"),
            "status": ("สถานะ", "Status", "Planned, fieldwork, reporting, closed"),
            "created_at": ("สร้างเมื่อ", "Created at", "Time created"),
            "is_demo": _DEMO,
        },
        update_frequency="on change",
    ),
    "Finding": _dataset(
        "ข้อตรวจพบ",
        "Audit finding",
        "A finding (condition, criteria, cause, effect, recommendation) followed to closure.",
        {
            "engagement": ("งานตรวจสอบ", "Engagement", "The engagement"),
            "sequence": ("ลำดับ", "Sequence", "Number within the engagement"),
            "title": ("หัวข้อ", "Title", "Short title"),
            "condition": ("สิ่งที่พบ", "Condition", "What was found"),
            "criteria": ("เกณฑ์", "Criteria", "What should be"),
            "cause": ("สาเหตุ", "Cause", "Why it happened"),
            "effect": ("ผลกระทบ", "Effect", "What it leads to"),
            "recommendation": ("ข้อเสนอแนะ", "Recommendation", "What to do"),
            "rating": ("ระดับ", "Rating", "High, medium, low"),
            "owner": ("ผู้บริหารที่รับผิดชอบ", "Responsible manager", "Who responds"),
            "status": ("สถานะ", "Status", "Awaiting response, follow-up, closed"),
            "workflow_state": ("สถานะกระบวนการ", "Workflow state", "Serialized BPMN state"),
            "current_step": ("ขั้นตอนปัจจุบัน", "Current step", "Ready BPMN task"),
            "due_date": ("กำหนดแก้ไขเสร็จ", "Due date", "From the management response"),
            "created_by": ("ผู้ออกข้อตรวจพบ", "Raised by", "Auditor"),
            "created_at": ("ออกเมื่อ", "Raised at", "Time raised"),
            "closed_at": ("ปิดเมื่อ", "Closed at", "Time closed on evidence"),
            "is_demo": _DEMO,
        },
    ),
    "ManagementResponse": _dataset(
        "คำชี้แจงของผู้บริหาร",
        "Management response",
        "The action plan, its owner and due date.",
        {
            "finding": ("ข้อตรวจพบ", "Finding", "The finding"),
            "agreed": ("เห็นด้วย", "Agreed", "Whether management agrees"),
            "action_plan": ("แผนการแก้ไข", "Action plan", "What will be done"),
            "action_owner": ("ผู้รับผิดชอบ", "Action owner", "Who does it"),
            "due_date": ("กำหนดเสร็จ", "Due date", "By when"),
            "responded_by": ("ผู้ตอบ", "Responded by", "Responsible manager"),
            "responded_at": ("ตอบเมื่อ", "Responded at", "Time"),
        },
    ),
    "FollowUp": _dataset(
        "การติดตามผล",
        "Follow-up",
        "The auditor's follow-up; closing carries the evidence checked.",
        {
            "finding": ("ข้อตรวจพบ", "Finding", "The finding"),
            "outcome": ("ผล", "Outcome", "Continue, reopen or close"),
            "note": ("บันทึก", "Note", "What was checked"),
            "evidence": ("หลักฐาน", "Evidence", "Document, record or link checked"),
            "recorded_by": ("ผู้ติดตาม", "Recorded by", "Auditor"),
            "recorded_at": ("บันทึกเมื่อ", "Recorded at", "Time"),
        },
    ),
    "Risk": _dataset(
        "ทะเบียนความเสี่ยง",
        "Risk register",
        "Risks per unit on a 5 x 5 likelihood x impact scale with treatment and KRI.",
        {
            "unit": ("หน่วยงาน", "Unit", "Empty for organization-wide"),
            "fiscal_year_be": ("ปีงบประมาณ", "Fiscal year", "Buddhist Era"),
            "code": ("รหัส", "Code", "Risk code"),
            "objective": ("วัตถุประสงค์", "Objective", "Objective at risk"),
            "event": ("เหตุการณ์ความเสี่ยง", "Risk event", "What may happen"),
            "cause": ("สาเหตุ", "Cause", "Why"),
            "likelihood": ("โอกาสเกิด", "Likelihood", "1-5"),
            "impact": ("ผลกระทบ", "Impact", "1-5"),
            "residual_likelihood": ("โอกาสเกิดคงเหลือ", "Residual likelihood", "1-5 after controls"),
            "residual_impact": ("ผลกระทบคงเหลือ", "Residual impact", "1-5 after controls"),
            "owner": ("เจ้าของความเสี่ยง", "Owner", "Risk owner"),
            "treatment": ("การจัดการ", "Treatment", "Reduce, accept, transfer, avoid"),
            "treatment_plan": ("แผนจัดการ", "Treatment plan", "Controls planned"),
            "kri": ("ตัวชี้วัดความเสี่ยง", "Key risk indicator", "Indicator read from platform data"),
            "kri_limit": ("ค่าที่ยอมรับได้", "Tolerance", "Indicator limit"),
            "reviewed_on": ("ทบทวนล่าสุด", "Last review", "Quarterly review date"),
            "updated_at": ("แก้ไขเมื่อ", "Updated at", "Time"),
            "is_demo": _DEMO,
        },
        classification="internal",
        update_frequency="on change",
    ),
    "ControlAssessment": _dataset(
        "แบบประเมินการควบคุมภายในด้วยตนเอง",
        "Internal-control self-assessment",
        "A unit's yearly self-assessment over the five components, signed by the head of the unit.",
        {
            "unit": ("หน่วยงาน", "Unit", "Assessed unit"),
            "fiscal_year_be": ("ปีงบประมาณ", "Fiscal year", "Buddhist Era"),
            "created_by": ("ผู้จัดทำ", "Prepared by", "Staff who prepared it"),
            "created_at": ("จัดทำเมื่อ", "Prepared at", "Time"),
            "signed_by": ("ผู้ลงนาม", "Signed by", "Head of the unit"),
            "signed_at": ("ลงนามเมื่อ", "Signed at", "Time signed"),
            "pdf": ("แฟ้มที่ลงนาม", "Signed PDF", "The signed self-assessment (PAdES)"),
            "sha256": ("ค่าแฮช", "SHA-256", "Digest of the signed PDF"),
            "is_demo": _DEMO,
        },
        classification="internal",
        update_frequency="yearly",
    ),
    "ControlAssessmentItem": _dataset(
        "ผลประเมินรายองค์ประกอบ",
        "Self-assessment component",
        "One component's adequacy, weaknesses, evidence and improvement plan.",
        {
            "assessment": ("แบบประเมิน", "Assessment", "The self-assessment"),
            "component": ("องค์ประกอบ", "Component", "One of the five components"),
            "rating": ("ความเพียงพอ", "Adequacy", "1-5"),
            "gaps": ("จุดอ่อน", "Weaknesses", "Weaknesses found"),
            "evidence": ("หลักฐาน", "Evidence", "Documents or records that support the rating"),
            "improvement": ("แผนปรับปรุง", "Improvement plan", "What will be improved"),
        },
        classification="internal",
        update_frequency="yearly",
    ),
    "AuditPlan": _dataset(
        "แผนการตรวจสอบประจำปี",
        "Annual audit plan",
        "The risk-based annual audit plan of a fiscal year and its approval.",
        {
            "fiscal_year_be": ("ปีงบประมาณ", "Fiscal year", "Buddhist Era"),
            "status": ("สถานะ", "Status", "Draft or approved"),
            "created_by": ("ผู้จัดทำ", "Prepared by", "Auditor"),
            "created_at": ("จัดทำเมื่อ", "Prepared at", "Time"),
            "approved_by": ("ผู้อนุมัติ", "Approved by", "Head of the organization"),
            "approved_at": ("อนุมัติเมื่อ", "Approved at", "Time"),
            "is_demo": _DEMO,
        },
        classification="internal",
        update_frequency="yearly",
    ),
    "PlannedEngagement": _dataset(
        "งานตรวจสอบตามแผน",
        "Planned engagement",
        "An auditable unit ranked by the risk register, planned in a quarter.",
        {
            "plan": ("แผน", "Plan", "The annual plan"),
            "rank": ("ลำดับ", "Rank", "1 = highest risk"),
            "unit": ("หน่วยรับตรวจ", "Unit", "Empty for organization-wide"),
            "title": ("ชื่องาน", "Title", "Engagement title"),
            "quarter": ("ไตรมาส", "Quarter", "1-4 of the fiscal year"),
            "risk_score": ("ความเสี่ยงคงเหลือสูงสุด", "Highest residual risk", "At planning time"),
            "risk_total": ("ผลรวมความเสี่ยงคงเหลือ", "Total residual risk", "At planning time"),
            "risk_count": ("จำนวนความเสี่ยง", "Risks", "At planning time"),
            "engagement": ("งานตรวจสอบ", "Engagement", "Once started"),
        },
        classification="internal",
        update_frequency="yearly",
    ),
    "WorkingPaper": _dataset(
        "กระดาษทำการ",
        "Working paper",
        "An engagement's working paper, stored in the documents app, and its review sign-off.",
        {
            "engagement": ("งานตรวจสอบ", "Engagement", "The engagement"),
            "sequence": ("ลำดับ", "Sequence", "WP number within the engagement"),
            "title": ("ชื่อ", "Title", "Working paper title"),
            "document_id": ("เอกสาร", "Document", "Document in the documents app"),
            "prepared_by": ("ผู้จัดทำ", "Prepared by", "Auditor"),
            "prepared_at": ("จัดทำเมื่อ", "Prepared at", "Time"),
            "reviewed_by": ("ผู้สอบทาน", "Reviewed by", "Second auditor"),
            "reviewed_at": ("สอบทานเมื่อ", "Reviewed at", "Time"),
            "review_note": ("ความเห็นผู้สอบทาน", "Review note", "Free text"),
            "is_demo": _DEMO,
        },
    ),
    "EngagementReport": _dataset(
        "รายงานผลการตรวจสอบที่ลงนาม",
        "Signed engagement report",
        "The engagement report PDF signed by its lead through the platform PKI.",
        {
            "engagement": ("งานตรวจสอบ", "Engagement", "The engagement"),
            "pdf": ("ไฟล์ PDF", "PDF", "Signed PDF (PAdES)"),
            "sha256": ("ค่าแฮช", "SHA-256", "Hash of the signed file"),
            "signed_by": ("ผู้ลงนาม", "Signed by", "Engagement lead"),
            "signed_at": ("ลงนามเมื่อ", "Signed at", "Time"),
        },
        update_frequency="on change",
    ),
}
