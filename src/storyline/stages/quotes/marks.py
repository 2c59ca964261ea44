"""Quotation marks: pair them into quoted regions of a text.

Handles straight, curly, low-9, angle and doubled-apostrophe (``''``) marks, marks mixed within
one quote (an opening curly mark closed by a straight one), quotes that run over several
paragraphs (each paragraph reopens, only the last closes), a missing closing mark (the quote
ends with its paragraph) and a missing opening mark (the quote starts with its paragraph).
Single marks count only around several words, so apostrophes and scare quotes stay out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Opening-only and closing-only double marks by their shape; "“" closes after "„" (German).
_OPEN = "“„«"
_CLOSE = "”»"
_DOUBLE = re.compile(r"``|''|[\"“”„«»]")
_SINGLE = re.compile(r"[‘’']")
# Characters after which a mark is "left-flanking" (it opens what follows).
_BEFORE_OPEN = set(" \t\n([{—–-:/\u00a0")
# A quote in single marks counts only around at least this many words: "'historic'" or
# "'malign'" are scare quotes, not speech (calibrated by eye on the example corpus and PolNeAR
# train headlines, where single-mark speech is always a clause).
MIN_SINGLE_QUOTE_WORDS = 3
_PARAGRAPH = re.compile(r"\n[ \t\u00a0]*")


@dataclass(frozen=True, slots=True)
class QuoteRegion:
    """One quoted stretch: ``text[start:end]`` includes its marks, ``inner`` excludes them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool


def _direction(text: str, start: int, end: int) -> str:
    """``open``, ``close`` or ``either`` for the mark at ``text[start:end]``, from its neighbours."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    left = before in _BEFORE_OPEN or _DOUBLE.match(before) is not None
    right = not before.isspace() and (after.isspace() or not after.isalnum())
    if left and not after.isspace():
        return "open"
    if right and not left:
        return "close"
    mark = text[start:end]
    if mark in _OPEN or mark == "``":
        return "open"
    if mark in _CLOSE:
        return "close"
    return "either"


def _paragraph_ends(text: str) -> list[int]:
    """Offsets where a paragraph (a line) ends."""
    return [m.start() for m in _PARAGRAPH.finditer(text)] + [len(text)]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _next_paragraph_opens(text: str, pos: int) -> re.Match[str] | None:
    """The opening mark that starts the paragraph after ``pos`` (a multi-paragraph quote)."""
    brk = _PARAGRAPH.match(text, pos)
    if not brk:
        return None
    nxt = brk.end()
    while nxt < len(text) and text[nxt].isspace():
        nxt += 1
    mark = _DOUBLE.match(text, nxt)
    if mark and _direction(text, mark.start(), mark.end()) != "close":
        return mark
    return None


def double_regions(text: str) -> list[QuoteRegion]:
    """Regions quoted with double marks, in text order."""
    regions: list[QuoteRegion] = []
    paragraph_ends = _paragraph_ends(text)
    para = 0
    open_at: tuple[int, int] | None = None  # (mark start, inner start)
    consumed_until = -1
    para_start = 0
    marks_in_paragraph = 0
    for mark in _DOUBLE.finditer(text):
        if mark.start() < consumed_until:
            continue
        while mark.start() > paragraph_ends[para]:
            if open_at is not None:
                cont = _next_paragraph_opens(text, paragraph_ends[para])
                if cont is not None and cont.start() <= mark.start():
                    consumed_until = cont.end()
                    para += 1
                    continue
                end = _trim_end(text, open_at[1], paragraph_ends[para])
                regions.append(QuoteRegion(open_at[0], end, open_at[1], end, False))
                open_at = None
            para += 1
            para_start = paragraph_ends[para - 1]
            marks_in_paragraph = 0
        if mark.start() < consumed_until:
            continue
        direction = _direction(text, mark.start(), mark.end())
        marks_in_paragraph += 1
        if open_at is None:
            if direction == "close":
                start = _paragraph_start(text, para_start)
                if marks_in_paragraph == 1 and mark.start() > start and text[mark.start() - 1] in ",.!?":
                    regions.append(QuoteRegion(start, mark.end(), start, mark.start(), True))
                continue
            open_at = (mark.start(), mark.end())
        elif direction == "open" and mark.start() > open_at[1]:
            end = _trim_end(text, open_at[1], mark.start())
            regions.append(QuoteRegion(open_at[0], end, open_at[1], end, False))
            open_at = (mark.start(), mark.end())
        else:
            regions.append(QuoteRegion(open_at[0], mark.end(), open_at[1], mark.start(), True))
            open_at = None
    if open_at is not None:
        while para < len(paragraph_ends) - 1 and paragraph_ends[para] < open_at[1]:
            para += 1
        end = _trim_end(text, open_at[1], paragraph_ends[para])
        regions.append(QuoteRegion(open_at[0], end, open_at[1], end, False))
    return [r for r in regions if r.inner_end > r.inner_start]


def _paragraph_start(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def single_regions(text: str, outside: list[QuoteRegion]) -> list[QuoteRegion]:
    """Regions quoted with single marks around at least MIN_SINGLE_QUOTE_WORDS words."""
    regions: list[QuoteRegion] = []
    opened: int | None = None
    for mark in _SINGLE.finditer(text):
        pos = mark.start()
        if any(r.start <= pos < r.end for r in outside):
            continue
        before = text[pos - 1] if pos > 0 else " "
        after = text[pos + 1] if pos + 1 < len(text) else " "
        if opened is None:
            if (before in _BEFORE_OPEN or before == '"') and after.isalnum() and mark.group() != "’":
                opened = pos
            continue
        if "\n" in text[opened:pos]:
            opened = pos if (before in _BEFORE_OPEN and after.isalnum()) else None
            continue
        if not before.isspace() and not after.isalnum() and before != "s":
            if len(text[opened + 1 : pos].split()) >= MIN_SINGLE_QUOTE_WORDS:
                regions.append(QuoteRegion(opened, pos + 1, opened + 1, pos, True))
            opened = None
    return regions


def quote_regions(text: str) -> list[QuoteRegion]:
    """All quoted regions of ``text`` (double marks, then long single-mark quotes), in order."""
    double = double_regions(text)
    return sorted(double + single_regions(text, double), key=lambda r: r.start)


def quoted_share(regions: list[QuoteRegion], start: int, end: int, text: str) -> float:
    """The share of the letters and digits of ``text[start:end]`` that lie inside a region."""
    inside = total = 0
    for pos in range(start, end):
        if text[pos].isalnum():
            total += 1
            if any(r.inner_start <= pos < r.inner_end for r in regions):
                inside += 1
    return inside / total if total else 0.0
