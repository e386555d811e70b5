"""Master data for organizations: how two records of one organization are recognised.

Two organizations are reported as likely duplicates when

* their registration numbers are the same once spaces, dashes and dots are ignored
  (the database already refuses exactly equal numbers), anywhere in the country; or
* they are in the same subdistrict, of compatible types, and their names are similar:
  Thai names are normalised (NFC, Thai digits, no spaces or punctuation) and the generic
  words that say *what kind* of organization it is ("กลุ่มออมทรัพย์", "ชุมชน", "สหกรณ์",
  "จำกัด" ...) are taken off, then the remaining distinctive parts are compared with
  difflib's ratio (``NAME_SIMILARITY`` or more).

The kind prefix is not simply thrown away: "กลุ่มออมทรัพย์บ้านโนน" and
"กองทุนสวัสดิการชุมชนบ้านโนน" share "บ้านโนน" but are two different organizations of one
village, so names are compared only when the kinds the prefixes (and ``org_type``) name agree,
or when one of them does not say.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations

NAME_SIMILARITY = 0.85
# Under this many characters the distinctive part is too short for a ratio to mean anything.
MIN_CORE_CHARS = 4

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NOISE = re.compile(r"[\s\.\,\-\(\)\[\]\"'“”‘’/_:;]+")

# Generic words, each with the kind of organization it names ("" when it names no kind).
# Longest first, so "กลุ่มออมทรัพย์เพื่อการผลิต" is taken off before "กลุ่ม".
_PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        [
            ("เครือข่ายองค์กรชุมชน", "network"),
            ("เครือข่าย", "network"),
            ("สภาองค์กรชุมชนตำบล", "council"),
            ("สภาองค์กรชุมชน", "council"),
            ("กองทุนสวัสดิการชุมชนตำบล", "welfare_fund"),
            ("กองทุนสวัสดิการชุมชน", "welfare_fund"),
            ("กองทุนสวัสดิการ", "welfare_fund"),
            ("กลุ่มออมทรัพย์เพื่อการผลิต", "savings_group"),
            ("กลุ่มออมทรัพย์", "savings_group"),
            ("สัจจะออมทรัพย์", "savings_group"),
            ("สหกรณ์เคหสถานบ้านมั่นคง", "housing_coop"),
            ("สหกรณ์เคหสถาน", "housing_coop"),
            ("สหกรณ์", "housing_coop"),
            ("วิสาหกิจชุมชน", "enterprise"),
            ("องค์กรชุมชน", ""),
            ("กลุ่ม", ""),
            ("ชุมชน", ""),
            ("ตำบล", ""),
            ("คณะกรรมการ", ""),
        ],
        key=lambda p: -len(p[0]),
    )
)
_SUFFIXES = ("จำกัด", "จก")


def normalise_text(text: str) -> str:
    """NFC, Thai digits as Arabic, lower case, without spaces and punctuation."""
    text = unicodedata.normalize("NFC", text or "").translate(_THAI_DIGITS).lower()
    return _NOISE.sub("", text)


def name_core(name: str) -> tuple[str, str]:
    """(distinctive part, kind named by the prefixes) of an organization name."""
    text = normalise_text(name)
    kind = ""
    changed = True
    while changed:
        changed = False
        for prefix, prefix_kind in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix) :]
                kind = kind or prefix_kind
                changed = True
                break
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
    return text, kind


def normalise_registration(number: str) -> str:
    return normalise_text(number).upper()


def name_similarity(a: str, b: str) -> float:
    """Similarity of two organization names' distinctive parts (0 to 1)."""
    core_a, _ = name_core(a)
    core_b, _ = name_core(b)
    if not core_a or not core_b:
        return 0.0
    if core_a == core_b:
        return 1.0
    if min(len(core_a), len(core_b)) < MIN_CORE_CHARS:
        return 0.0
    # SequenceMatcher's greedy matching depends on which side comes first ('0010' against '1120' is
    # 0.25 one way and 0.5 the other); the better of the two orders makes the measure symmetric.
    return max(
        SequenceMatcher(None, core_a, core_b, autojunk=False).ratio(),
        SequenceMatcher(None, core_b, core_a, autojunk=False).ratio(),
    )


@dataclass(frozen=True)
class OrgRecord:
    id: int
    name_th: str
    subdistrict_id: str
    org_type: str
    registration_no: str


@dataclass
class DuplicatePair:
    first: OrgRecord
    second: OrgRecord
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, int]:
        return (self.first.id, self.second.id)


def _kinds_compatible(a: OrgRecord, kind_a: str, b: OrgRecord, kind_b: str) -> bool:
    type_a = kind_a or (a.org_type if a.org_type not in {"other", "community_org"} else "")
    type_b = kind_b or (b.org_type if b.org_type not in {"other", "community_org"} else "")
    return not type_a or not type_b or type_a == type_b


def find_duplicates(
    records: Iterable[OrgRecord],
    *,
    dismissed: set[tuple[int, int]] | None = None,
    threshold: float = NAME_SIMILARITY,
) -> list[DuplicatePair]:
    """Likely duplicate pairs among ``records`` (first id < second id), best first."""
    dismissed = dismissed or set()
    rows = sorted(records, key=lambda r: r.id)
    pairs: dict[tuple[int, int], DuplicatePair] = {}

    by_registration: dict[str, list[OrgRecord]] = {}
    for row in rows:
        number = normalise_registration(row.registration_no)
        if number:
            by_registration.setdefault(number, []).append(row)
    for number, group in by_registration.items():
        for a, b in combinations(group, 2):
            pair = pairs.setdefault((a.id, b.id), DuplicatePair(a, b, 1.0))
            pair.reasons.append(f"registration_no:{number}")

    by_area: dict[str, list[tuple[OrgRecord, str, str]]] = {}
    for row in rows:
        core, kind = name_core(row.name_th)
        by_area.setdefault(row.subdistrict_id, []).append((row, core, kind))
    matcher = SequenceMatcher(autojunk=False)
    for area_group in by_area.values():
        for i, (a, core_a, kind_a) in enumerate(area_group):
            if not core_a:
                continue
            # The second sequence is the one SequenceMatcher analyses: set it once per name.
            matcher.set_seq2(core_a)
            for b, core_b, kind_b in area_group[i + 1 :]:
                if not core_b or not _kinds_compatible(a, kind_a, b, kind_b):
                    continue
                if core_a == core_b:
                    ratio = 1.0
                else:
                    shorter, longer = sorted((len(core_a), len(core_b)))
                    # ratio ≤ 2·shorter / (shorter + longer): skip pairs whose lengths already rule it out.
                    if shorter < MIN_CORE_CHARS or 2 * shorter / (shorter + longer) < threshold:
                        continue
                    matcher.set_seq1(core_b)
                    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                        continue
                    ratio = matcher.ratio()
                    if ratio < threshold:
                        continue
                pair = pairs.setdefault((a.id, b.id), DuplicatePair(a, b, ratio))
                pair.score = max(pair.score, ratio)
                pair.reasons.append(f"similar_name:{ratio:.2f}")
    result = [p for key, p in pairs.items() if key not in dismissed]
    result.sort(key=lambda p: (-p.score, p.first.id, p.second.id))
    return result


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def records_from_rows(rows: Sequence[tuple[int, str, str, str, str]]) -> list[OrgRecord]:
    return [OrgRecord(*row) for row in rows]
