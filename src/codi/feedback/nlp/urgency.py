"""Urgency flag: keywords that mean danger to people or homes, weighed with the sentiment.

Rules (kept simple so a duty officer can predict them):

* a **strong** keyword alone makes a report urgent (someone hurt or trapped, fire,
  flood water in homes, landslide, collapse, threats of violence);
* a **moderate** keyword ("ด่วน", "อันตราย", "ไม่มีน้ำกิน"...) makes it urgent when
  the sentiment model reads the text as negative, or the topic is ``disaster``;
* anything else is not urgent. The matched words are returned as the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from codi.feedback.nlp.text import normalise

STRONG = (
    "บาดเจ็บ",
    "เสียชีวิต",
    "ตาย",
    "ติดอยู่",
    "ติดค้าง",
    "ไฟไหม้",
    "เพลิงไหม้",
    "น้ำท่วม",
    "น้ำป่า",
    "ดินถล่ม",
    "ดินสไลด์",
    "บ้านพัง",
    "ถล่ม",
    "ทรุด",
    "ข่มขู่",
    "ทำร้าย",
    "ขู่ฆ่า",
    "อพยพ",
    "หมดสติ",
    "injured",
    "trapped",
    "flood",
    "fire",
)
MODERATE = (
    "ด่วน",
    "เร่งด่วน",
    "ฉุกเฉิน",
    "อันตราย",
    "ช่วยด้วย",
    "ไม่มีน้ำกิน",
    "ไม่มีอาหาร",
    "ไม่มีที่อยู่",
    "ไล่รื้อ",
    "ถูกไล่ที่",
    "ป่วยหนัก",
    "ติดเตียง",
    "urgent",
    "emergency",
    "danger",
)


@dataclass(frozen=True)
class Urgency:
    is_urgent: bool
    reasons: tuple[str, ...]


def urgency(text: str, *, sentiment: str = "", topic: str = "") -> Urgency:
    norm = normalise(text)
    strong = tuple(word for word in STRONG if word in norm)
    if strong:
        return Urgency(True, strong)
    moderate = tuple(word for word in MODERATE if word in norm)
    if moderate and (sentiment == "neg" or topic == "disaster"):
        return Urgency(True, moderate)
    return Urgency(False, ())
