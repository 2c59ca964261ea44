"""Assemble the attributions of one parsed article from cue frames and quotation marks.

Frames the lexicon accepts become attributions; their content is kept within the cue's
paragraph and widened to whole quotations; overlapping frames keep the most reliable one; a
quotation no frame covers continues the speaking turn before it (``"A," he said. "B."``) or
starts a new quote by the same speaker; what is quoted decides the kind.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import replace

from spacy.tokens import Doc

from storyline.stages.quotes import cues
from storyline.stages.quotes.attribution import Attribution, QuotedLetters
from storyline.stages.quotes.cue_classes import CueClass
from storyline.stages.quotes.frames import Frame, doc_frames
from storyline.stages.quotes.marks import QuoteRegion, quote_regions
from storyline.stages.quotes.turns import attach_regions

# Two frames conflict when their contents overlap by more than this share of the shorter one;
# the lower-scored one is dropped (PolNeAR gives each word one attribution). PolNeAR train F1
# is the same for 0.3, 0.5 and 0.7.
OVERLAP_SHARE = 0.5
_PARAGRAPH_BREAK = re.compile(r"\n")


def _paragraphs(text: str) -> list[int]:
    """Offsets where paragraphs (lines) start."""
    return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]


def _clip(frame: Frame, starts: list[int], text: str, regions: list[QuoteRegion]) -> tuple[int, int] | None:
    """The frame's content kept within the cue's paragraph, widened to whole quotations."""
    para = bisect.bisect_right(starts, frame.cue_start) - 1
    lo = para_lo = starts[para]
    hi = para_hi = starts[para + 1] if para + 1 < len(starts) else len(text)
    start, end = frame.start, frame.end
    for r in regions:
        if r.start < end and start < r.end:
            if r.start < para_hi and para_lo < r.end:  # a quotation running over paragraphs
                lo, hi = min(lo, r.start), max(hi, r.end)
            if r.start < start < r.end or (start >= r.start and start <= r.inner_start):
                start = r.start
            if r.start < end < r.end or (end <= r.end and end >= r.inner_end):
                end = r.end
    start, end = max(start, lo), min(end, hi)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end - start >= 2 else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def _from_frames(
    doc: Doc, text: str, regions: list[QuoteRegion], lexicon: Mapping[str, float] | None
) -> list[Attribution]:
    starts = _paragraphs(text)
    scored: list[tuple[float, Frame, tuple[int, int]]] = []
    classes: dict[int, CueClass] = {}
    for frame in doc_frames(doc):
        if any(r.inner_start <= frame.cue_start < r.inner_end for r in regions):
            continue  # a cue inside a quotation is part of what was quoted
        score = cues.cue_score(frame.lemma, frame.kind, lexicon)
        cls = cues.cue_class(frame.lemma, frame.kind)
        if score < cues.accept_score(frame.kind) or cls is None:
            continue  # not an attribution, or one of an action or a stance, not of speech or belief
        span = _clip(frame, starts, text, regions)
        if span and frame.source is None and any(span[0] <= r.start and r.end <= frame.cue_start for r in regions):
            continue  # '"...," Gene Sperling, an adviser, said': the quotation's own speaker clause
        if span:
            scored.append((score, frame, span))
            classes[id(frame)] = cls
    scored.sort(key=lambda t: (-t[0], t[2][0]))
    kept: list[tuple[float, Frame, tuple[int, int]]] = []
    cue_tokens: set[int] = set()
    for score, frame, span in scored:
        if frame.cue_token in cue_tokens or any(_overlap(span, other) > OVERLAP_SHARE for _, _, other in kept):
            continue
        cue_tokens.add(frame.cue_token)
        kept.append((score, frame, span))
    kept.sort(key=lambda t: t[2][0])
    return [
        Attribution(s, e, "indirect", f.cue_start, f.cue_end, f.source, f.source_root, None, score, ((s, e),),
                    classes[id(f)], "frame", f.kind)
        for score, f, (s, e) in kept
    ]


def attributions(
    doc: Doc, lexicon: Mapping[str, float] | None = None, regions: list[QuoteRegion] | None = None,
    text: str | None = None,
) -> list[Attribution]:
    """Every attribution of a parsed article (``text`` is ``doc.text``), in text order, with kinds."""
    if text is None:
        text = doc.text
    if regions is None:
        regions = quote_regions(text)
    quoted = QuotedLetters(text, regions)
    found = attach_regions(doc, text, regions, _from_frames(doc, text, regions, lexicon), quoted)
    return [replace(a, kind=quoted.kind(a.parts)) for a in found]
