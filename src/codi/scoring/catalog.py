"""Data catalog entries for social scoring (read by codi.governance).

Scores are about organizations and subdistricts, not persons: no personal data beyond the staff
accounts that computed, answered, reviewed or overrode (user ids).
"""

from __future__ import annotations

from typing import Any

_UNIT = "สำนักนโยบายและแผน"
_STEWARD = "social scoring team"


def _dataset(
    name_th: str, name_en: str, description: str, fields: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    entry = {
        "name_th": name_th,
        "name_en": name_en,
        "description": description,
        "owner_unit": _UNIT,
        "steward": _STEWARD,
        "classification": "internal",
        "lawful_basis": "",
        "source": "computed by codi.scoring services from the platform's feeds",
        "update_frequency": "yearly",
        "retention": "kept so that every score can be reproduced",
        "fields": fields,
    }
    entry.update(extra)
    return entry


_PERIOD = ("ปีงบประมาณ", "Fiscal year", "Fiscal year, Buddhist Era")
_LEVEL = ("ระดับ", "Level", "organization or subdistrict")
_USER = ("ผู้ใช้", "User", "The staff account")
_WHEN = ("เวลา", "Time", "When it was recorded")
_ORG = ("องค์กร", "Organization", "Organization id (codi.communities)")

DATASETS = {
    "IndicatorRun": _dataset(
        "รอบการคำนวณตัวชี้วัด",
        "Indicator run",
        "One computation of every indicator of a level for a fiscal year: the snapshot.",
        {
            "period": _PERIOD,
            "level": _LEVEL,
            "computed_at": _WHEN,
            "computed_by": _USER,
            "indicator_keys": ("ตัวชี้วัด", "Indicators", "Keys of the indicators computed"),
            "entity_count": ("จำนวนหน่วย", "Entities", "Entities with at least one value"),
        },
    ),
    "IndicatorValue": _dataset(
        "ค่าตัวชี้วัด",
        "Indicator value",
        "One indicator's value for one entity with the inputs (counts, record ids) it came from.",
        {
            "run": ("รอบการคำนวณ", "Run", "The indicator run"),
            "indicator_key": ("ตัวชี้วัด", "Indicator", "Key in the indicator registry"),
            "entity": ("หน่วย", "Entity", "Organization id or subdistrict code"),
            "value": ("ค่า", "Value", "The indicator's value"),
            "inputs": ("ข้อมูลนำเข้า", "Inputs", "Numerator, denominator and record ids"),
        },
    ),
    "SurveyAnswer": _dataset(
        "คำตอบแบบสำรวจ",
        "Survey answer",
        "An answer to a survey indicator's question for an organization, used once reviewed.",
        {
            "organization_id": _ORG,
            "question": ("คำถาม", "Question", "Survey question key"),
            "period": _PERIOD,
            "value": ("คำตอบ", "Answer", "The answer, within the question's range"),
            "status": ("สถานะ", "Status", "submitted, accepted or rejected"),
            "answered_by": _USER,
            "reviewed_by": _USER,
            "created_at": _WHEN,
        },
        source="entered by community leaders or staff",
    ),
    "WeightDecision": _dataset(
        "มติกำหนดน้ำหนัก",
        "Weight decision",
        "Expert-set weights of the index with the decision that set them.",
        {
            "level": _LEVEL,
            "weights": ("น้ำหนัก", "Weights", "Weight per indicator, summing to 1"),
            "decided_on": ("วันที่มีมติ", "Decided on", "Date of the decision"),
            "reference": ("อ้างอิงมติ", "Decision reference", "Meeting and agenda item"),
            "reason": ("เหตุผล", "Reason", "Why these weights"),
            "recorded_by": _USER,
            "created_at": _WHEN,
        },
        source="entered by staff",
    ),
    "IndexRun": _dataset(
        "รอบการคำนวณดัชนี",
        "Index run",
        "The composite index of a level and year from one snapshot, its method and sensitivity.",
        {
            "indicator_run": ("รอบตัวชี้วัด", "Indicator run", "The snapshot used"),
            "period": _PERIOD,
            "level": _LEVEL,
            "version": ("รุ่น", "Version", "Index version in the AI register"),
            "normalisation": ("การปรับค่า", "Normalisation", "minmax or zscore"),
            "weighting": ("การให้น้ำหนัก", "Weighting", "equal, expert or pca"),
            "aggregation": ("การรวม", "Aggregation", "arithmetic or geometric"),
            "weights": ("น้ำหนัก", "Weights", "Weight per indicator"),
            "weight_decision": ("มติกำหนดน้ำหนัก", "Weight decision", "For expert weights"),
            "sensitivity": ("การวิเคราะห์ความอ่อนไหว", "Sensitivity", "Rank changes per alternative"),
            "created_at": _WHEN,
        },
    ),
    "IndexScore": _dataset(
        "คะแนนดัชนี",
        "Index score",
        "One entity's score, rank, rank range and indicator contributions.",
        {
            "run": ("รอบดัชนี", "Run", "The index run"),
            "entity": ("หน่วย", "Entity", "Organization id or subdistrict code"),
            "score": ("คะแนน", "Score", "0-100, empty when too few indicators"),
            "rank": ("อันดับ", "Rank", "1 is the highest"),
            "rank_best": ("อันดับดีที่สุด", "Best rank", "Over the alternative methods"),
            "rank_worst": ("อันดับต่ำที่สุด", "Worst rank", "Over the alternative methods"),
            "coverage": ("ความครอบคลุม", "Coverage", "Share of weight with data"),
            "parts": ("องค์ประกอบ", "Parts", "Value, normalised value, weight, contribution"),
        },
    ),
    "RiskModel": _dataset(
        "รุ่นโมเดลความเสี่ยงโครงการ",
        "Project-risk model version",
        "A trained project-risk model with its card's numbers; refused versions are kept.",
        {
            "version": ("รุ่น", "Version", "Version in the AI register"),
            "status": ("สถานะ", "Status", "accepted or refused"),
            "refusal": ("เหตุที่ปฏิเสธ", "Refusal", "The fairness metric that failed"),
            "trained_at": _WHEN,
            "card": ("บัตรโมเดล", "Model card", "Data, metrics, calibration, fairness"),
            "booster": ("โมเดล", "Model", "LightGBM model text"),
            "calibration": ("การปรับเทียบ", "Calibration", "Platt scaling parameters"),
            "encoding": ("รหัสหมวดหมู่", "Encoding", "Category codes"),
        },
    ),
    "RiskPrediction": _dataset(
        "ผลประเมินความเสี่ยงโครงการ",
        "Project-risk prediction",
        "A project's predicted risk with its explanation.",
        {
            "model": ("รุ่นโมเดล", "Model", "The model version"),
            "project_id": ("โครงการ", "Project", "Project id (codi.projects)"),
            "project_code": ("รหัสโครงการ", "Project code", "Project code"),
            "organization_id": _ORG,
            "probability": ("ความเสี่ยง", "Risk", "Calibrated probability"),
            "explanation": ("คำอธิบาย", "Explanation", "Largest SHAP contributions in Thai"),
            "created_at": _WHEN,
        },
    ),
    "Override": _dataset(
        "การปรับผลโดยเจ้าหน้าที่",
        "Officer override",
        "An officer's own assessment beside the advice, with the reason.",
        {
            "kind": ("ชนิด", "Kind", "index or risk"),
            "organization_id": _ORG,
            "index_score": ("คะแนนดัชนี", "Index score", "The score overridden"),
            "prediction": ("ผลประเมินความเสี่ยง", "Prediction", "The prediction overridden"),
            "advised": ("ค่าที่ระบบเสนอ", "Advised value", "The advice"),
            "officer_value": ("ค่าของเจ้าหน้าที่", "Officer's value", "The officer's assessment"),
            "reason": ("เหตุผล", "Reason", "Why"),
            "officer": _USER,
            "created_at": _WHEN,
        },
        source="entered by staff",
    ),
    "CorrectionRequest": _dataset(
        "คำขอแก้ไขข้อมูลคะแนน",
        "Score correction request",
        "A community's request to correct the data behind one part of its score, and the officer's answer.",
        {
            "organization_id": _ORG,
            "indicator_key": ("ตัวชี้วัด", "Indicator", "The part of the score the request is about"),
            "index_score": ("คะแนนดัชนี", "Index score", "The score the community saw"),
            "message": ("ข้อมูลที่ไม่ถูกต้อง", "What is wrong", "Written by the community"),
            "requested_by": _USER,
            "privacy_request_id": (
                "คำขอตามกฎหมายข้อมูลส่วนบุคคล",
                "Rectification request",
                "The PDPA request filed with it, if any",
            ),
            "status": ("สถานะ", "Status", "Awaiting an officer, corrected or not corrected"),
            "reply": ("คำตอบ", "Reply", "The officer's answer to the community"),
            "resolved_by": _USER,
            "resolved_at": ("ตอบเมื่อ", "Answered at", "When the officer answered"),
            "created_at": _WHEN,
        },
        source="the community portal and officers' answers",
    ),
}
