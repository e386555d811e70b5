"""Split the plain text of a Thai Act into its sections (มาตรา).

The Council of State's consolidated texts put each section at the start of a
line: ``มาตรา ๒๖/๑  ข้อความ…``. The number may sit on the next line
(``มาตรา`` alone, then ``๒``), a footnote mark may follow it (``มาตรา ๒[๑]``),
and sub-sections inserted by amendments carry a slash (๒๖/๑). A line that
*starts* with a reference such as ``มาตรา ๗ มาตรา ๘ …`` is not a header: a
header's number is followed by two spaces, a footnote mark or the end of the
line, and numbers only go forward. The text after the countersignature
(``ผู้รับสนองพระบรมราชโองการ``) holds notes and the transitional sections of
amending Acts, which restart at มาตรา ๑; it is not part of the Act's sections.

Chapter headings (``หมวด ๑`` + title line, ``ส่วนที่ …``, ``บทเฉพาะกาล``) are
kept with every section under them.

CODI's own regulations, orders and manuals number their clauses ``ข้อ ๑``; they are
split the same way with ``marker="ข้อ"`` (one space after the number is enough there,
since a regulation's text is typed by staff, not consolidated by the Council of State).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from codi.search.text import thai_to_arabic

SECTION_MARKER = "มาตรา"
CLAUSE_MARKER = "ข้อ"


def _header(marker: str, *, spaces_after: int) -> re.Pattern[str]:
    return re.compile(
        rf"^[ \t\u00a0]*{marker}[ \t\u00a0]*\n?[ \t\u00a0]*"
        r"(?P<num>[๐-๙0-9]+(?:[ \t]*/[ \t]*[๐-๙0-9]+)?)"
        r"(?P<mark>(?:\[[๐-๙0-9]+\])*)"
        rf"(?P<after>[ \t\u00a0]{{{spaces_after},}}|[ \t\u00a0]*$|[ \t\u00a0]*\n)",
        re.MULTILINE,
    )


_HEADERS = {
    SECTION_MARKER: _header(SECTION_MARKER, spaces_after=2),
    CLAUSE_MARKER: _header(CLAUSE_MARKER, spaces_after=1),
}
_CHAPTER = re.compile(
    r"^[ \t]*(หมวด[ \t]*[๐-๙0-9]+|ส่วนที่[ \t]*[๐-๙0-9]+|บทเฉพาะกาล|บททั่วไป)[ \t]*(\[[๐-๙0-9]+\])?[ \t]*$"
)
_FOOTNOTE = re.compile(r"\[[๐-๙0-9]+\]")
_END = "ผู้รับสนองพระบรมราชโองการ"
_YEAR = re.compile(r"(?:พ\.ศ\.|พุทธศักราช)\s*([๐-๙0-9]{4})")
_SPACE_RUN = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class ParsedSection:
    number: str  # Arabic digits, sub-sections as "26/1"
    chapter: str
    body: str
    ordinal: int


@dataclass
class ParsedAct:
    title: str
    year_be: int | None
    sections: list[ParsedSection] = field(default_factory=list)


def section_key(number: str) -> tuple[int, int]:
    """Sort key of a section number: "26/1" → (26, 1), "26" → (26, 0)."""
    base, _, sub = number.partition("/")
    return (int(base), int(sub) if sub else 0)


def _clean_number(raw: str) -> str:
    return re.sub(r"\s+", "", thai_to_arabic(raw))


def clean_body(text: str) -> str:
    text = _FOOTNOTE.sub("", text)
    lines = [_SPACE_RUN.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _headings(text: str) -> list[tuple[int, str]]:
    """(offset, heading) for every chapter heading; a "หมวด N" line takes the next line as its title."""
    found: list[tuple[int, str]] = []
    lines = text.splitlines(keepends=True)
    offset = 0
    for i, line in enumerate(lines):
        match = _CHAPTER.match(line.rstrip("\n"))
        if match:
            label = _SPACE_RUN.sub(" ", match.group(1)).strip()
            if not label.startswith("บท"):
                for following in lines[i + 1 : i + 3]:
                    title = _FOOTNOTE.sub("", following).strip()
                    if title and not title.startswith((SECTION_MARKER, CLAUSE_MARKER)):
                        label = f"{label} {_SPACE_RUN.sub(' ', title)}"
                        break
            found.append((offset, thai_to_arabic(label)))
        offset += len(line)
    return found


def parse_title(text: str) -> tuple[str, int | None]:
    """The Act's title (the first lines up to the year) and its Buddhist-Era year."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    parts: list[str] = []
    for line in lines[:6]:
        parts.append(line)
        if _YEAR.search(line):
            break
    title = _FOOTNOTE.sub("", " ".join(parts))
    year = _YEAR.search(title)
    return _SPACE_RUN.sub(" ", title).strip(), int(thai_to_arabic(year.group(1))) if year else None


def parse_act(text: str, *, marker: str = SECTION_MARKER) -> ParsedAct:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title, year = parse_title(text)
    end = text.find(_END)
    body_text = text if end < 0 else text[:end]
    headings = _headings(body_text)

    accepted: list[tuple[int, int, str]] = []  # (start of header, start of body, number)
    last: tuple[int, int] = (0, 0)
    for match in _HEADERS[marker].finditer(body_text):
        number = _clean_number(match.group("num"))
        key = section_key(number)
        # Numbers only go forward, and not by a leap (a reference at a line start is not a header).
        if key <= last or key[0] > last[0] + 50:
            continue
        accepted.append((match.start(), match.end(), number))
        last = key

    sections: list[ParsedSection] = []
    for i, (start, body_start, number) in enumerate(accepted):
        body_end = accepted[i + 1][0] if i + 1 < len(accepted) else len(body_text)
        chapter = ""
        for offset, heading in headings:
            if offset < start:
                chapter = heading
            else:
                break
        body = clean_body(body_text[body_start:body_end])
        # A chapter heading that opens the next section belongs to it, not to this body.
        for offset, _heading in headings:
            if body_start <= offset < body_end:
                body = clean_body(body_text[body_start:offset])
                break
        sections.append(ParsedSection(number=number, chapter=chapter, body=body, ordinal=i))
    return ParsedAct(title=thai_to_arabic(title), year_be=year, sections=sections)
