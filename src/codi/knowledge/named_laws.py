"""Laws a question names ("พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล", "PDPA"), and whether the library holds them.

The assistant must not answer a question about a law it does not hold with sections of other
laws: when a named law is not in the library the answer says so and how to add it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codi.knowledge.models import Act, ActKind

# Prefixes that start a law's name (abbreviations with or without dots and spaces), and the
# word an Act's title starts with for each.
_KINDS = [
    (r"พระราชบัญญัติ|พ\s*\.?\s*ร\s*\.?\s*บ\s*\.?", "พระราชบัญญัติ"),
    (r"พระราชกฤษฎีกา|พ\s*\.?\s*ร\s*\.?\s*ฎ\s*\.?", "พระราชกฤษฎีกา"),
    (r"พระราชกำหนด|พ\s*\.?\s*ร\s*\.?\s*ก\s*\.?", "พระราชกำหนด"),
    (r"ประมวลกฎหมาย", "ประมวลกฎหมาย"),
    (r"ระเบียบสำนักนายกรัฐมนตรี", "ระเบียบสำนักนายกรัฐมนตรี"),
]
# The name runs to a space, a year, punctuation or the end of the question.
_NAMED = [
    (
        re.compile(
            rf"(?:{prefix})\s*(?P<name>[^\s?,;:()\"“”]{{2,80}}?)(?=\s|พ\s*\.\s*ศ\s*\.|\d|[?,;:()\"“”]|$)"
        ),
        word,
    )
    for prefix, word in _KINDS
]
# Words that start the rest of the sentence, not a name ("ตามพระราชกฤษฎีกามีอะไรบ้าง").
_NOT_A_NAME = re.compile(
    r"^(?:มี|ว่า(?!ด้วย)|นี้|ฉบับ|ดังกล่าว|ที่(?:เกี่ยว|กล่าว|ว่า|ระบุ|ใช้)|ให้|ของ|กำหนด|ได้|ไหม|หรือ|อะไร|อย่างไร|คือ|เรื่อง|เกี่ยวกับ|มาตรา|ข้อ(?=\s*\d)|และ|ซึ่ง)"
)
# Common English and colloquial names of Thai laws.
ALIASES = {
    "pdpa": ("พระราชบัญญัติ", "คุ้มครองข้อมูลส่วนบุคคล"),
    "personal data protection act": ("พระราชบัญญัติ", "คุ้มครองข้อมูลส่วนบุคคล"),
    "computer crime act": ("พระราชบัญญัติ", "การกระทำความผิดเกี่ยวกับคอมพิวเตอร์"),
    "cybersecurity act": ("พระราชบัญญัติ", "การรักษาความมั่นคงปลอดภัยไซเบอร์"),
    "official information act": ("พระราชบัญญัติ", "ข้อมูลข่าวสารของราชการ"),
    "labour protection act": ("พระราชบัญญัติ", "คุ้มครองแรงงาน"),
    "land code": ("ประมวลกฎหมาย", "ที่ดิน"),
    "civil and commercial code": ("ประมวลกฎหมาย", "แพ่งและพาณิชย์"),
}
_TRAILING = re.compile(r"(?:ฉบับที่\s*\d+)$")


@dataclass(frozen=True)
class NamedLaw:
    name: str  # the kind word and the name, as the question has it
    held: bool  # an Act (or regulation) with this name is in the library
    excerpt_only: bool  # only the plan's excerpts of it are
    key: str = ""  # the name without the kind word
    kind_word: str = ""  # พระราชบัญญัติ, พระราชกฤษฎีกา, ...


def _key(text: str) -> str:
    return re.sub(r"[\s.]+", "", text).replace("การ", "")


def _holds(titles: list[tuple[str, str]], kind_word: str, name: str) -> set[str]:
    """Kinds of the library's sources whose title starts with the law's kind and holds its name."""
    key = _key(name)
    return {kind for title, kind in titles if _key(title).startswith(_key(kind_word)) and key in _key(title)}


def named_laws(question: str) -> list[NamedLaw]:
    """The laws the question names, each with whether the library holds it."""
    names: list[tuple[str, str]] = []
    for pattern, word in _NAMED:
        for match in pattern.finditer(question):
            name = _TRAILING.sub("", match.group("name")).strip()
            if _NOT_A_NAME.match(name) or len(_key(name)) < 4 or (word, name) in names:
                continue
            names.append((word, name))
    lowered = question.lower()
    for alias, (word, name) in ALIASES.items():
        if re.search(rf"\b{re.escape(alias)}\b", lowered) and (word, name) not in names:
            names.append((word, name))
    if not names:
        return []
    titles = list(Act.objects.values_list("title", "kind"))
    found = []
    for word, name in names:
        kinds = _holds(titles, word, name)
        found.append(
            NamedLaw(
                name=f"{word}{name}",
                held=bool(kinds),
                excerpt_only=bool(kinds) and kinds == {ActKind.EXCERPT},
                key=name,
                kind_word=word,
            )
        )
    return found


def acts_named(law: NamedLaw) -> list[str]:
    """Act ids of the library's sources of this law (to put their sections first)."""
    key, word = _key(law.key), _key(law.kind_word)
    return [
        act_id
        for act_id, title in Act.objects.values_list("act_id", "title")
        if _key(title).startswith(word) and key in _key(title)
    ]
