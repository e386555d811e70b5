"""Data catalog entries for security operations (read by codi.governance).

Incidents and alerts name staff accounts and may describe personal-data breaches: confidential.
"""

from __future__ import annotations

from typing import Any

from codi.governance.catalog import dataset

_UNIT = "ฝ่ายเทคโนโลยีสารสนเทศ"
_STEWARD = "information security officer"


def _dataset(
    name_th: str, name_en: str, description: str, fields: dict[str, Any], **extra: str
) -> dict[str, Any]:
    return dataset(
        name_th, name_en, description, fields, owner_unit=_UNIT, steward=_STEWARD,
        retention=extra.get("retention", "5 years after the incident is closed"),
        classification=extra.get("classification", "confidential"),
        source=extra.get("source", "codi.insights services"),
        update_frequency=extra.get("update_frequency", "real-time"),
    )  # fmt: skip


DATASETS = {
    "Incident": _dataset(
        "เหตุการณ์ด้านความมั่นคงปลอดภัย",
        "Security incident",
        "A security incident from detection through triage, containment and recovery to lessons learned.",
        {
            "title": ("หัวข้อ", "Title", "Short name of the incident"),
            "description": ("สิ่งที่พบ", "What was seen", "What was detected and how"),
            "severity": ("ความรุนแรง", "Severity", "Low, medium, high or critical"),
            "stage": ("ขั้นตอน", "Stage", "Current stage of the response"),
            "detected_at": ("พบเมื่อ", "Detected at", "When the incident was detected"),
            "personal_data": ("เกี่ยวกับข้อมูลส่วนบุคคล", "Personal data", "Whether personal data are involved"),
            "breach_id": ("บันทึกการละเมิด PDPA", "PDPA breach", "The privacy app's breach record"),
            "lessons": ("บทเรียน", "Lessons learned", "What will change so it does not happen again"),
            "created_by": ("ผู้เปิด", "Opened by", "Operator who opened it"),
            "created_at": ("เปิดเมื่อ", "Opened at", "Time it was opened"),
            "closed_at": ("ปิดเมื่อ", "Closed at", "Time it was closed"),
        },
    ),
    "IncidentStep": _dataset(
        "ขั้นตอนการรับมือเหตุการณ์",
        "Incident step",
        "One move of an incident to its next stage, with what was done.",
        {
            "incident": ("เหตุการณ์", "Incident", "The incident"),
            "from_stage": ("จากขั้น", "From stage", "Stage before"),
            "to_stage": ("ไปขั้น", "To stage", "Stage after"),
            "note": ("สิ่งที่ทำ", "Note", "What was done at the stage"),
            "actor": ("ผู้บันทึก", "Actor", "Operator who recorded it"),
            "at": ("เมื่อ", "At", "Time recorded"),
        },
    ),
    "Alert": _dataset(
        "การแจ้งเตือนด้านความปลอดภัย",
        "Security alert",
        "An alert raised by a rule over the audit trail or the host.",
        {
            "rule": ("กฎ", "Rule", "Rule that raised it"),
            "severity": ("ความรุนแรง", "Severity", "Severity of the alert"),
            "window_start": ("ช่วงเริ่ม", "Window start", "Start of the time window judged"),
            "window_end": ("ช่วงสิ้นสุด", "Window end", "End of the time window judged"),
            "subject": ("ผู้ใช้หรือทรัพยากร", "Subject", "User or resource concerned"),
            "value": ("ค่าที่พบ", "Value", "Value seen in the window"),
            "baseline": ("ระดับปกติ", "Baseline", "Usual level learned by the detector, or the policy limit"),
            "detail": ("รายละเอียด", "Detail", "Score and how the baseline was built"),
            "incident": ("เหตุการณ์", "Incident", "Incident opened from it"),
            "created_at": ("เกิดเมื่อ", "Created at", "Time raised"),
            "acknowledged_by": ("ผู้รับทราบ", "Acknowledged by", "Operator who acknowledged it"),
            "acknowledged_at": ("รับทราบเมื่อ", "Acknowledged at", "Time acknowledged"),
        },
        retention="2 years",
    ),
    "SiemCursor": _dataset(
        "สถานะการส่งข้อมูลไปยัง SIEM",
        "SIEM feed cursor",
        "How far the SIEM feed has sent the audit trail and what it could not send.",
        {
            "name": ("ชื่อ", "Name", "Feed name"),
            "last_audit_id": ("รายการล่าสุดที่ส่ง", "Last audit entry", "Identifier of the last entry sent"),
            "sent_total": ("ส่งแล้วทั้งหมด", "Sent", "Entries sent"),
            "lost_total": ("สูญหายทั้งหมด", "Lost", "Entries skipped beyond the bounded backlog"),
            "last_error": ("ข้อผิดพลาดล่าสุด", "Last error", "Why the last run could not deliver"),
            "updated_at": ("ทำงานล่าสุด", "Updated at", "Time of the last run"),
        },
        classification="internal",
        retention="while the feed runs",
    ),
    "SatisfactionResponse": _dataset(
        "ความพึงพอใจของผู้ใช้ระบบ",
        "User satisfaction answer",
        "One answer to a module's in-app satisfaction survey (once per person per module per quarter).",
        {
            "module": ("ระบบ", "Module", "Module the answer is about"),
            "quarter": ("ไตรมาส", "Fiscal quarter", "B.E. fiscal year and quarter"),
            "score": ("คะแนน", "Score", "1 (very dissatisfied) to 5 (very satisfied)"),
            "comment": ("ความเห็น", "Comment", "Free text; may mention people"),
            "anonymous": ("ไม่ระบุตัวตน", "Anonymous", "Whether the answer keeps no user"),
            "user": ("ผู้ตอบ", "User", "Staff account, empty when anonymous"),
            "respondent_key": (
                "รหัสผู้ตอบแบบทางเดียว",
                "Respondent key",
                "Keyed hash that keeps one answer per quarter",
            ),
            "sentiment": ("ความรู้สึกของความเห็น", "Sentiment", "From the feedback app's Thai model"),
            "topic": ("หัวข้อของความเห็น", "Topic", "From the feedback app's Thai model"),
            "created_at": ("ตอบเมื่อ", "Answered at", "Time of the answer"),
        },
        classification="internal",
        retention="5 years",
    ),
    "RequestTally": _dataset(
        "ยอดคำขอและข้อผิดพลาดของระบบ",
        "Request tally",
        "The platform's request and 5xx counters at each alert evaluation, for the 5xx-rate rule.",
        {
            "taken_at": ("บันทึกเมื่อ", "Taken at", "Timestamp"),
            "requests": ("คำขอ", "Requests", "Responses counted so far"),
            "errors": ("ข้อผิดพลาด", "Errors", "5xx responses counted so far"),
        },
        classification="internal",
        retention="30 days",
    ),
    "PlannedSystem": _dataset(
        "ระบบตามแผนปฏิบัติการดิจิทัล",
        "Planned system",
        "A system the digital action plan schedules for a fiscal year, with its planned and actual go-live dates.",
        {
            "code": ("รหัส", "Code", "Short name of the system"),
            "name": ("ระบบ", "System", "Name of the system as in the plan"),
            "plan_year": ("ปีตามแผน", "Plan year", "B.E. fiscal year the plan finishes it in"),
            "planned_on": ("กำหนดเปิดใช้งาน", "Planned go-live", "Date it is planned to go live"),
            "delivered_on": ("เปิดใช้งานจริง", "Actual go-live", "Date it went live, empty until then"),
            "note": ("หมายเหตุ", "Note", "Why it was late, or other remarks"),
            "updated_by": ("ผู้บันทึก", "Updated by", "System administrator who last changed it"),
            "updated_at": ("บันทึกเมื่อ", "Updated at", "Time of the last change"),
        },
        classification="internal",
        retention="10 years",
        update_frequency="on change",
    ),
}
