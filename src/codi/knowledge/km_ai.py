"""KM helpers that read Thai text: suggested topic tags and extractive summaries.

Both are suggestions for a person to accept or edit — an author accepts tags, an officer edits
the summary drafted into a lesson — and both say *why* (the words that triggered a tag, the
sentence order kept from the source). Nothing here writes to the database.

* ``suggest_topics``: each CODI topic has cue words (written from CODI's programme areas, not
  tuned on any article); a topic is suggested when its cues occur in the text, strongest first.
  Tags already used in the library are suggested when they occur verbatim.
* Extractive summaries live in ``km_summary`` (TF-IDF LexRank over PyThaiNLP sentences).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from codi.search.text import is_mostly_thai

TOPIC_CUES: dict[str, tuple[str, ...]] = {
    "สวัสดิการ": ("สวัสดิการ", "เจ็บป่วย", "เสียชีวิต", "ผู้สูงอายุ", "คนพิการ", "ทุนการศึกษา"),
    "การออม": ("ออม", "สัจจะ", "เงินฝาก", "กองทุน"),
    "ที่อยู่อาศัย": ("บ้านมั่นคง", "ที่อยู่อาศัย", "สร้างบ้าน", "ซ่อมบ้าน", "บ้านพัก", "ชุมชนแออัด"),
    "ที่ดิน": ("ที่ดิน", "โฉนด", "เช่าที่", "สิทธิในที่ดิน", "ไล่ที่", "กรรมสิทธิ์"),
    "ภัยพิบัติ": ("น้ำท่วม", "ภัยพิบัติ", "ไฟไหม้", "ภัยแล้ง", "พายุ", "อพยพ"),
    "เกษตรและอาหาร": ("เกษตร", "ปลูก", "นาข้าว", "ผัก", "ปุ๋ย", "แปลงรวม"),
    "เศรษฐกิจชุมชน": ("อาชีพ", "รายได้", "วิสาหกิจชุมชน", "ตลาด", "สินค้า", "ขายได้"),
    "การเงินโครงการ": ("เบิก", "งวด", "ใบเสร็จ", "บัญชี", "งบประมาณ", "โอนเงิน"),
    "สิ่งแวดล้อม": ("ป่า", "ขยะ", "น้ำเสีย", "ต้นไม้", "คลอง", "ป่าชุมชน"),
    "การจัดการองค์กรชุมชน": ("คณะกรรมการ", "ประชุม", "สภาองค์กรชุมชน", "เครือข่าย", "ผู้นำ"),
}


@dataclass(frozen=True)
class TopicSuggestion:
    topic: str
    score: int
    because: tuple[str, ...]  # the words found in the text


def suggest_topics(text: str, *, known: Iterable[str] = (), limit: int = 3) -> list[TopicSuggestion]:
    """Up to ``limit`` topics for an article or lesson; [] for text that is not mostly Thai."""
    text = (text or "").strip()
    if not text or not is_mostly_thai(text):
        return []
    suggestions: dict[str, TopicSuggestion] = {}
    for topic, cues in TOPIC_CUES.items():
        found = tuple(cue for cue in cues if cue in text)
        if found:
            score = sum(text.count(cue) for cue in found)
            suggestions[topic] = TopicSuggestion(topic, score, found)
    for tag in {t.strip() for t in known if t and t.strip()}:
        if tag in text and tag not in suggestions:
            suggestions[tag] = TopicSuggestion(tag, text.count(tag), (tag,))
    ranked = sorted(suggestions.values(), key=lambda s: (-s.score, -len(s.because), s.topic))
    return ranked[:limit]


def split_tags(value: str) -> list[str]:
    return [t.strip() for t in (value or "").split(",") if t.strip()]


def merge_tags(current: str, accepted: Sequence[str]) -> str:
    """The author's tags with the accepted suggestions added once, comma-separated (fits 300 chars)."""
    tags = split_tags(current)
    for tag in accepted:
        if tag not in tags:
            tags.append(tag)
    out = ", ".join(tags)
    while len(out) > 300 and tags:
        tags.pop()
        out = ", ".join(tags)
    return out
