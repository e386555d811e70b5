"""The law assistant: retrieve sections, pick the answering sentences, and say so when support is weak.

An answer is always a list of cited sections with the sentences that answer
highlighted. When a language model is configured (``KNOWLEDGE_LLM_BASE_URL``),
it may add a written answer, and every sentence of that answer is checked
against the cited sections: a sentence whose words are not found there is
flagged as unsupported and is never shown as fact.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q

from codi.governance.ai import require_registered, search_embedding_version
from codi.knowledge import llm
from codi.knowledge.models import SECTION_SOURCE, ActKind, AnswerStatus, Section
from codi.knowledge.named_laws import acts_named, named_laws
from codi.knowledge.official import OCS_LAW_SEARCH_URL
from codi.search.text import THAI_DIGITS, is_mostly_thai, normalise, tokens


def _engine() -> Any:
    from codi.search import engine  # heavy: numpy and the e5 model, loaded on the first question

    return engine


def _retrieval() -> Any:
    from codi.knowledge import retrieval  # heavy: imports the search engine (numpy, the e5 model)

    return retrieval


if TYPE_CHECKING:
    from codi.search.engine import Hit

log = logging.getLogger("codi.knowledge")

MAX_QUESTION_CHARS = 2000
TOP_PASSAGES = 5
# Calibrated on the 52 development questions and 12 off-topic ones over the bundled Acts (250-character
# vectors): development questions' best e5 cosine was >= 0.858, off-topic ones <= 0.860 (and that one
# shared only 20 % of its words). A question is supported when the best section shares at least a
# quarter of its words and the dense model agrees it is close: 50/52 development questions are
# answered, 12/12 off-topic ones are "weak". Before the vectors exist, word overlap alone must be higher.
MIN_OVERLAP = 0.25
MIN_DENSE = 0.86
MIN_OVERLAP_LEXICAL_ONLY = 0.5
# English questions against Thai text score lower: relevant ~0.80-0.81, off-topic ~0.71-0.75 (4 probes only).
MIN_DENSE_NON_THAI = 0.79
SUPPORTED_SENTENCE_OVERLAP = 0.7

MSG_EMPTY = "กรุณาพิมพ์คำถาม / Please type a question."
MSG_TOO_LONG = (
    f"คำถามยาวเกินไป (ไม่เกิน {MAX_QUESTION_CHARS:,} ตัวอักษร) กรุณาถามให้สั้นลง / "
    f"The question is too long (at most {MAX_QUESTION_CHARS:,} characters); please shorten it."
)
MSG_NOT_THAI = (
    "ตัวบทกฎหมายเป็นภาษาไทย ผลค้นหาจากคำถามภาษาอื่นอาศัยความหมายเท่านั้น ถามเป็นภาษาไทยจะได้ผลดีกว่า / "
    "The statutes are in Thai: a question in another language is matched by meaning only; asking in Thai works better."
)
MSG_WEAK = (
    "ไม่พบมาตราที่ตอบคำถามนี้ได้ชัดเจน ระบบจึงไม่ตอบแทน — ลองถามให้เจาะจงขึ้น หรือตรวจสอบกับนิติกร "
    "(มาตราที่ใกล้เคียงที่สุดแสดงไว้ด้านล่างเพื่อการตรวจสอบเท่านั้น) / "
    "No section clearly answers this question, so the assistant will not guess: ask more specifically or check "
    "with a legal officer (the closest sections are listed below for checking only)."
)
MSG_NO_CORPUS = "ยังไม่มีตัวบทกฎหมายในระบบ / No statutes have been imported yet."
MSG_LAW_MISSING = (
    "ไม่พบ{names}ในคลังกฎหมายของระบบ จึงตอบจากกฎหมายนี้ไม่ได้ และจะไม่ใช้มาตราของกฎหมายอื่นตอบแทน "
    "(มาตราด้านล่างเป็นเพียงส่วนที่อาจเกี่ยวข้อง) — เพิ่มกฎหมายนี้ได้โดยเจ้าหน้าที่จัดการความรู้อัปโหลดที่หน้า "
    "“ระเบียบ พอช.” หรือผู้ดูแลระบบนำเข้าด้วยคำสั่ง manage.py import_statutes --dir <โฟลเดอร์ไฟล์ .txt> / "
    "{names_en} is not in the statute library, so the assistant cannot answer from it and will not answer "
    "with another law's sections (those below may be related only). To add it: a knowledge officer uploads it "
    "on the CODI regulations page, or an administrator runs manage.py import_statutes --dir <folder of .txt files>."
)
MSG_EXCERPT = (
    "บางมาตราที่อ้างอิงมาจากข้อความคัดย่อในแผนปฏิบัติการดิจิทัลของ พอช. ไม่ใช่ตัวบทฉบับเต็ม "
    "ควรตรวจกับราชกิจจานุเบกษาก่อนใช้ / Some citations are excerpts quoted in CODI's plan, not the full statute: "
    "check the Royal Gazette text before relying on them."
)


@dataclass
class Passage:
    id: str
    act_id: str
    act_title: str
    number: str
    chapter: str
    label: str
    score: float
    overlap: float
    dense_score: float
    sentences: list[dict[str, Any]]  # {"text", "answers", "parts": [[piece, is_match], ...]}
    excerpt: bool = False  # from the plan's excerpts, not the full statute
    statute: bool = False  # an Act of the consolidated corpus (not a CODI regulation or an excerpt)


# Where a reader checks the current text of an Act: the Office of the Council of State's search of
# Thai legislation (the statute corpus is its consolidated text as of 2021, which may be outdated).
# Each Act's own document is linked through ``official.official_source``.
OFFICIAL_SOURCE_URL = OCS_LAW_SEARCH_URL


@dataclass
class Answer:
    status: str
    message: str = ""
    passages: list[Passage] = field(default_factory=list)
    generated: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def citation_label(act_title: str, number: str, marker: str = "มาตรา") -> str:
    return f"{act_title}, {marker} {number}" if number else act_title


def _passage(section: Section, hit: Hit, question: str, terms: list[str]) -> Passage:

    text = section.body
    picked = set(_engine().best_sentences(question, text, limit=2))
    sentences = []
    for i, sentence in enumerate(_engine().sentences(text)):
        answers = i in picked
        parts = _engine().highlight_terms(question, sentence) if answers else [(sentence, False)]
        sentences.append({"text": sentence, "answers": answers, "parts": [[p, m] for p, m in parts]})
    return Passage(
        id=section.search_id,
        act_id=section.act.act_id,
        act_title=section.act.title,
        number=section.number,
        chapter=section.chapter,
        label=citation_label(section.act.title, section.number, section.act.marker),
        score=round(hit.score, 5),
        overlap=round(_engine().overlap(terms, f"{section.act.title}\n{section.chapter}\n{text}"), 3),
        dense_score=round(hit.dense_score, 4),
        sentences=sentences,
        excerpt=section.act.kind == ActKind.EXCERPT,
        statute=section.act.kind == ActKind.ACT,
    )


def sections_for(ids: list[str]) -> dict[str, Section]:
    """The sections named by search ids ("act_id:number"), in one query."""
    condition = Q(pk__in=[])
    for object_id in ids:
        act_id, _, number = object_id.partition(":")
        condition |= Q(act__act_id=act_id, number=number)
    return {s.search_id: s for s in Section.objects.filter(condition).select_related("act")}


# The AI governance register's key and version of this feature (codi.governance.ai).
ASSISTANT_MODEL = ("knowledge.law_assistant", "v1")


def answer(question: str, *, k: int = TOP_PASSAGES) -> Answer:

    # The assistant and the embedding model it ranks with must both be registered before it answers.
    require_registered(*ASSISTANT_MODEL)
    require_registered("search.e5", search_embedding_version())
    question = question or ""
    if not question.strip():
        return Answer(status=AnswerStatus.REFUSED, message=MSG_EMPTY)
    if len(question) > MAX_QUESTION_CHARS:
        return Answer(status=AnswerStatus.REFUSED, message=MSG_TOO_LONG)
    # Imported here: the engine brings numpy and the segmenter; importing the web app must not.

    question = normalise(question)
    thai = is_mostly_thai(question)
    terms = tokens(question)
    named = named_laws(question)
    wanted = {act_id for law in named if law.held for act_id in acts_named(law)}
    # When the question names a law the library holds, its sections come first.
    wide = k * 4 if wanted else k
    # Thai questions: the tuned "final" ranking (codi.knowledge.retrieval; HR@10 0.872 against plain
    # hybrid's 0.808 on the lay test half). Other languages match by meaning only.
    if thai:
        hits = _retrieval().final_hits(question, k=wide)
    else:
        hits = _engine().search(SECTION_SOURCE, question, k=wide, method="dense")
    if wanted:
        hits = sorted(hits, key=lambda h: h.object_id.partition(":")[0] not in wanted)[:k]
    notes = [] if thai else [MSG_NOT_THAI]
    found = sections_for([h.object_id for h in hits])
    # A hit whose section is gone (re-imported since the index was read) is dropped, never cited.
    passages = [_passage(found[h.object_id], h, question, terms) for h in hits if h.object_id in found]
    if any(p.excerpt for p in passages):
        notes.append(MSG_EXCERPT)
    missing = [law.name for law in named if not law.held]
    if missing:
        names = ", ".join(missing)
        message = MSG_LAW_MISSING.format(names=f" “{names}” ", names_en=f"The law “{names}”")
        return Answer(status=AnswerStatus.WEAK, message=message, passages=passages, notes=notes)
    if not passages:
        if not Section.objects.exists():
            return Answer(status=AnswerStatus.WEAK, message=MSG_NO_CORPUS)
        return Answer(status=AnswerStatus.WEAK, message=MSG_WEAK, notes=notes)
    best = passages[0]
    best_dense = max((p.dense_score for p in passages), default=0.0)
    if thai:
        if best_dense > 0:
            supported = best.overlap >= MIN_OVERLAP and best_dense >= MIN_DENSE
        else:
            supported = best.overlap >= MIN_OVERLAP_LEXICAL_ONLY
    else:
        supported = best_dense >= MIN_DENSE_NON_THAI
    if not supported:
        return Answer(status=AnswerStatus.WEAK, message=MSG_WEAK, passages=passages, notes=notes)
    result = Answer(status=AnswerStatus.ANSWERED, passages=passages, notes=notes)
    if getattr(settings, "KNOWLEDGE_LLM_BASE_URL", ""):
        result.generated = generate(question, passages)
    return result


# --- optional generation, checked sentence by sentence ---------------------------------------------


_CLAIM_BREAK = re.compile(r"\n+|(?<=[.!?;])\s+|\s+")
CLAIM_MIN_CHARS = 25


def claims(text: str) -> list[str]:
    """A generated answer cut into claims: Thai separates sentences (and clauses) with a space.

    Pieces shorter than ``CLAIM_MIN_CHARS`` ("มาตรา 26", "(1)") are joined to the piece before.
    """
    out: list[str] = []
    for piece in _CLAIM_BREAK.split(unicodedata.normalize("NFC", text or "").translate(THAI_DIGITS)):
        piece = piece.strip()
        if not piece:
            continue
        if out and (len(piece) < CLAIM_MIN_CHARS or len(out[-1]) < CLAIM_MIN_CHARS):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def check_generated(text: str, passages: list[Passage]) -> list[dict[str, Any]]:
    """Each claim of a generated answer is supported when most of its words are in the cited sections."""
    cited = set()
    for passage in passages:
        cited.update(
            tokens(f"{passage.act_title} {passage.chapter} " + " ".join(s["text"] for s in passage.sentences))
        )
    checked = []
    for claim in claims(text):
        words = set(tokens(claim))
        share = len(words & cited) / len(words) if words else 0.0
        checked.append(
            {
                "text": claim,
                "supported": bool(words) and share >= SUPPORTED_SENTENCE_OVERLAP,
                "overlap": round(share, 2),
            }
        )
    return checked


def generate(question: str, passages: list[Passage]) -> dict[str, Any]:
    """Ask the configured OpenAI-compatible model to answer from the passages only; check what it says."""

    try:
        text = llm.complete(question, [(p.label, " ".join(s["text"] for s in p.sentences)) for p in passages])
    except llm.LLMError as error:
        log.warning("language model unavailable: %s", error)
        return {
            "error": "ไม่สามารถเรียกโมเดลภาษาได้ / The language model could not be reached.",
            "sentences": [],
        }
    sentences = check_generated(text, passages)
    return {
        "text": text,
        "sentences": sentences,
        "all_supported": all(s["supported"] for s in sentences),
        "model": getattr(settings, "KNOWLEDGE_LLM_MODEL", ""),
    }
