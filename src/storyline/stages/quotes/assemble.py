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
from storyline.stages.quotes.records import QuoteKind
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


# What may stand right before a quotation that is a whole utterance rather than words taken into the
# writer's own sentence: a sentence or paragraph start, a colon, a comma or a dash ('he said, "..."'),
# an opening bracket.
_UTTERANCE_BEFORE = frozenset(".!?:;,—–-([\n")
_CLAUSE_END_MARKS = frozenset(",.?!")


def _opens_utterance(doc: Doc, text: str, pos: int) -> bool:
    """Whether the quotation at ``pos`` stands as an utterance: at a sentence start, after a colon, a
    comma or a dash, or right after a verb of speech or belief introducing it ('writing "Feels great
    ..."'); a quotation inside the writer's sentence ('he had "very serious concerns"', 'to end
    "the wasteful regime"', 'the "Bathroom Bill"') is a partial quote."""
    before = text[:pos].rstrip(" \t\u00a0")
    if not before or before[-1] in _UTTERANCE_BEFORE or before[-1] in "\"”’'»":
        return True
    span = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if span is None or span[-1].pos_ != "VERB":
        return False
    lemma = span[-1].lemma_.lower()
    return cues.cue_class(lemma, "dobj") is not None or cues.cue_class(lemma, "ccomp") is not None


def _continues_sentence(text: str, region: QuoteRegion) -> bool:
    """'That, the commission said, "would be helpful in avoiding uncertainty."': a quotation opening in
    lower case carries on a sentence begun outside its marks (PolNeAR train: of the direct quotes
    found beside a speaker clause that open in lower case, 14 were gold direct and 30 not)."""
    inner = text[region.inner_start : region.inner_end].lstrip(" .…\u00a0")
    return inner[:1].islower()


def _short_utterance(doc: Doc, text: str, region: QuoteRegion) -> bool:
    """'"We lost," he said': a short quotation that is a clause (it has a verb), opens with a capital,
    ends in a clause's punctuation inside its marks and stands as an utterance."""
    inner = text[region.inner_start : region.inner_end].strip()
    if not inner or not inner[0].isupper() or inner[-1] not in _CLAUSE_END_MARKS:
        return False
    span = doc.char_span(region.inner_start, region.inner_end, alignment_mode="expand")
    if span is None or not any(t.pos_ in ("VERB", "AUX") for t in span):
        return False
    before = text[: region.start].rstrip(" \t\u00a0")
    return not before or before[-1] in ".!?:,\n" or before[-1] in "\"”’'»"


def _kind(doc: Doc, text: str, att: Attribution, quoted: QuotedLetters, regions: list[QuoteRegion]) -> QuoteKind:
    """What is quoted decides the kind (see :meth:`QuotedLetters.kind`); then a quotation inside the
    writer's own sentence is a partial quote (mixed), and a short quotation that is a whole clause
    standing as an utterance is direct. PolNeAR train, direct-quote F1 (loose): 0.909 before; with any
    verb excepted in :func:`_opens_utterance`, 0.913 with the partial-quote rule alone, 0.911 with the
    short-utterance rule alone, 0.916 with both; 0.917 excepting verbs of speech or belief only (no
    exception: 0.915)."""
    kind = quoted.kind(att.parts)
    first = next((r for r in regions if r.start == att.parts[0][0]), None)
    if first is None:
        return kind
    if kind == "direct" and not _opens_utterance(doc, text, first.start):
        return "mixed"
    if kind == "direct" and att.path in ("clause", "turn") and _continues_sentence(text, first):
        return "mixed"
    if kind == "mixed" and len(att.parts) == 1 and att.parts[0] == (first.start, first.end) and _short_utterance(
        doc, text, first
    ):
        return "direct"
    return kind


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
    return [replace(a, kind=_kind(doc, text, a, quoted, regions)) for a in found]
