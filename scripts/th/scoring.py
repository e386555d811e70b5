"""Thai text for the social scoring module's English message ids (codi.scoring)."""

TH: dict[str, str] = {
    "Awaiting review": "รอตรวจรับ",
    "decided on": "วันที่มีมติ",
    "decision reference": "อ้างอิงมติ",
    "Community-strength score": "คะแนนความเข้มแข็ง",
    "Project risk": "ความเสี่ยงโครงการ",
    "advised value": "ค่าที่ระบบเสนอ",
    "officer's value": "ค่าที่เจ้าหน้าที่ประเมิน",
    "Expert weights need a recorded weight decision.": "น้ำหนักตามผู้เชี่ยวชาญต้องมีมติที่บันทึกไว้",
    "An expert weight decision needs its reference and reason.": "มติกำหนดน้ำหนักต้องระบุอ้างอิงและเหตุผล",
    "Unknown survey question.": "ไม่พบคำถามแบบสำรวจนี้",
    "The answer must be between %(low)s and %(high)s.": "คำตอบต้องอยู่ระหว่าง %(low)s ถึง %(high)s",
    "This answer has already been reviewed.": "คำตอบนี้ตรวจรับไปแล้ว",
    "An answer is reviewed by someone other than the person who gave it.": "ผู้ตรวจรับคำตอบต้องไม่ใช่ผู้ที่ตอบ",
    "Give the reason for the override (at least 10 characters).": "กรุณาระบุเหตุผลของการประเมินแทน (อย่างน้อย 10 ตัวอักษร)",
    "There is no score to override.": "ยังไม่มีคะแนนให้ประเมินแทน",
    "The officer's score must be between 0 and 100.": "คะแนนที่เจ้าหน้าที่ประเมินต้องอยู่ระหว่าง 0 ถึง 100",
    "There is no risk prediction to override.": "ยังไม่มีผลประเมินความเสี่ยงให้ประเมินแทน",
    "The officer's risk must be between 0 and 1.": "ความเสี่ยงที่เจ้าหน้าที่ประเมินต้องอยู่ระหว่าง 0 ถึง 1",
    "Unknown override kind.": "ไม่รู้จักชนิดของการประเมินแทน",
    "Social scoring": "การประเมินทางสังคม",
}
