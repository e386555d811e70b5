"""Thai text for social scoring's survey and correction requests (codi.scoring, round three)."""

TH: dict[str, str] = {
    "Awaiting an officer": "รอเจ้าหน้าที่ตอบ",
    "Corrected": "แก้ไขแล้ว",
    "Not corrected": "ไม่แก้ไข",
    "indicator": "ตัวชี้วัด",
    "what is wrong": "ข้อมูลที่ไม่ถูกต้อง",
    "officer's reply": "คำตอบของเจ้าหน้าที่",
}
