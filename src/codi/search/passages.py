"""Long chunks split into overlapping passages for the dense model; a chunk scores the max of its passages.

e5-small reads ``EMBED_CHARS`` characters of a chunk cheaply; a statute section is often longer
(median 351 characters, 10 % over 1,000 on the 671-Act corpus), so a question about its end was
matched against its beginning only. A source registered with ``passages=True`` is embedded as:

* passage 0: ``"{title}\\n{text}"`` cut at ``EMBED_CHARS`` — exactly the single vector a chunk had
  before, so "whole-section" dense scoring is the first passage;
* passages 1…: ``"{title}\\n"`` + a window of ``PASSAGE_BODY_CHARS`` of the text, each starting
  ``PASSAGE_OVERLAP`` characters before the previous one ended (at a space when one is near),
  at most ``MAX_PASSAGES`` in all. Every passage carries the title (the Act and section number).

The vectors are stored one after the other in the chunk's ``embedding`` (n × 384 float32), so a
chunk is "embedded" or not as before and the resumable embedding pass is unchanged.
"""

from __future__ import annotations

EMBED_CHARS = 250
PASSAGE_BODY_CHARS = 200
PASSAGE_OVERLAP = 50
MAX_PASSAGES = 8
_SNAP = 20  # how far to look for a space to start a window on


def passages(title: str, text: str, *, split: bool = True) -> list[str]:
    """The texts the dense model reads for one chunk (one unless ``split`` and the chunk is long)."""
    whole = f"{title}\n{text}"
    first = whole[:EMBED_CHARS]
    if not split or len(whole) <= EMBED_CHARS:
        return [first]
    out = [first]
    covered = max(EMBED_CHARS - len(title) - 1, 0)  # characters of text the first passage read
    start = max(covered - PASSAGE_OVERLAP, 0)
    while start < len(text) and len(out) < MAX_PASSAGES:
        space = text.find(" ", start, start + _SNAP)
        if space > 0 and space + 1 < len(text):
            start = space + 1
        window = text[start : start + PASSAGE_BODY_CHARS]
        out.append(f"{title}\n{window}")
        if start + PASSAGE_BODY_CHARS >= len(text):
            break
        start += PASSAGE_BODY_CHARS - PASSAGE_OVERLAP
    return out


def is_split(title: str, text: str) -> bool:
    """Whether the chunk has more than one passage (what the SQL test for "re-embed" mirrors)."""
    return len(title) + 1 + len(text) > EMBED_CHARS
