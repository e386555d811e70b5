"""Complaint cues for community reports: the sentiment model was trained on social-media posts
(Wisesight), where a complaint is usually loud ("แย่มาก", "โคตร..."); a community report states its
problem plainly ("ยังไม่ได้รับเงิน", "ถนนชำรุด", "ไม่มีใครมาซ่อม") and the model calls it neutral.

When the model says neutral and the text holds a plain-language statement of harm, delay,
breakage, unfairness or distress, the report is negative. The cue list was written from general
Thai usage before it was measured (on the held-out community set and the Wisesight held-out part);
it is not tuned to any demo text. The model's positive, negative and question labels are kept.
"""

from __future__ import annotations

import re

NEGATIVE_CUES = (
    # harm, distress
    "เดือดร้อน", "ลำบาก", "ทุกข์", "อันตราย", "เสียหาย", "ได้รับผลกระทบ", "ป่วย", "บาดเจ็บ", "เสียชีวิต",
    "ขับไล่", "ไล่ที่", "ถูกไล่", "ไม่มีที่อยู่", "หนี้สิน", "อดอยาก", "น้ำท่วม", "ไฟไหม้",
    # breakage, bad quality
    "ชำรุด", "พัง", "ผุ", "รั่ว", "แตก", "ทรุด", "หลุมเป็นบ่อ", "คุณภาพต่ำ", "ไม่ได้มาตรฐาน", "ใช้การไม่ได้",
    "เหม็น", "สกปรก", "มืด", "ไม่ไหล", "ดับ",
    # delay, neglect, refusal
    "ล่าช้า", "ยังไม่ได้รับ", "ไม่ได้รับ", "ยังไม่โอน", "ไม่โอน", "ค้างจ่าย", "ไม่คืบหน้า", "ไม่มีความคืบหน้า",
    "ไม่มีใคร", "ไม่มีคน", "ไม่รับสาย", "ไม่ตอบ", "ไม่สนใจ", "เพิกเฉย", "ทิ้งงาน", "ถูกตีกลับ", "ไม่ยอม",
    # unfairness, wrongdoing
    "โกง", "ทุจริต", "คอร์รัปชัน", "เรียกรับเงิน", "ไม่โปร่งใส", "เลือกปฏิบัติ", "ไม่เป็นธรรม", "ไม่ยุติธรรม",
    "เอาเงิน", "ยักยอก",
    # feelings
    "ไม่พอใจ", "ผิดหวัง", "เสียใจ", "กังวล", "เครียด", "โกรธ", "แย่", "ร้องเรียน",
)  # fmt: skip
_CUE = re.compile("|".join(sorted(map(re.escape, NEGATIVE_CUES), key=len, reverse=True)))


def negative_cues(text: str) -> list[str]:
    """The complaint cues found in the text."""
    return _CUE.findall(text or "")


def adjust(label: str, text: str) -> str:
    """Neutral with a complaint cue becomes negative; other labels stay the model's."""
    if label == "neu" and negative_cues(text):
        return "neg"
    return label
