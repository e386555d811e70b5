"""Thai text for social scoring's survey and correction requests (codi.scoring, round three)."""

TH: dict[str, str] = {
    "Awaiting an officer": "รอเจ้าหน้าที่ตอบ",
    "Corrected": "แก้ไขแล้ว",
    "Not corrected": "ไม่แก้ไข",
    "indicator": "ตัวชี้วัด",
    "what is wrong": "ข้อมูลที่ไม่ถูกต้อง",
    "officer's reply": "คำตอบของเจ้าหน้าที่",
    "My organization's community-strength score": "คะแนนความเข้มแข็งขององค์กรของฉัน",
    "See the score and its parts, answer the survey or ask for a correction": "ดูคะแนนและองค์ประกอบ ตอบแบบสำรวจ หรือขอแก้ไขข้อมูล",
    "The score is advice read from the platform's data; tell CODI when a part of it is wrong.": "คะแนนเป็นข้อเสนอแนะจากข้อมูลในระบบ แจ้ง พอช. ได้เมื่อข้อมูลส่วนใดไม่ถูกต้อง",
}
