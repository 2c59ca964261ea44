"""Quotations no syntactic frame reported: find the speaker clause beside them, or the turn they continue.

A quotation (a region in quotation marks that starts a sentence) is attributed, in order of
preference, to a speaker clause right after it in the same paragraph (``"...," Smith said.``,
``"..." said Smith``, ``"..." Trump wrote on Twitter.``), to one right before it ending in a
colon or comma (``Clinton said: "..."``), or to the speaking turn just before it: joined to it
when only that turn's cue clause lies between (``"A," he said. "B."``), otherwise as a new
quote by the same speaker.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from storyline.stages.quotes.attribution import Attribution, Path, QuotedLetters
from storyline.stages.quotes.cue_classes import CueClass
from storyline.stages.quotes.cues import cue_class, is_speech_cue
from storyline.stages.quotes.frames import subject_of
from storyline.stages.quotes.marks import QuoteRegion

# A quotation continues the turn before it only across this many characters of other text
# (the "he said." between two quoted sentences). PolNeAR train, direct-quote F1 (loose):
# 80 -> 0.885, 160 -> 0.902, 240 -> 0.904, 300 -> 0.905, 400 -> 0.905.
CONTINUATION_GAP = 300
# A quotation between a turn and the next quotation ends the turn only from this many words: a
# scare-quoted word or two in the cue clause ('said Mr. Ekovich, who noted that prices had
# "cratered"') does not. PolNeAR train, direct F1 (loose): 0.921 either way, 3 false direct quotes fewer.
TURN_BREAK_WORDS = 3
# A turn runs on into the next paragraph across at most this many line breaks (a blank line between
# paragraphs is two); set by the text layout, not searched.
TURN_PARAGRAPH_BREAKS = 2
# A speaker clause beside a quotation has at most this many tokens ("Sen. Elizabeth Warren,
# a Democrat from Massachusetts, said in a statement on Tuesday"); set from PolNeAR train
# examples (the longest such clauses seen), not searched.
SPEAKER_CLAUSE_TOKENS = 25
# A bare name before a colon introduces a quotation when it has at most this many tokens
# ("Philip Bump:", "Pew Research:"); set from PolNeAR train examples, not searched.
COLON_NAME_TOKENS = 6
# Dashes that can sign a quotation with the speaker's name after them.
DASHES = frozenset(["―", "—", "–", "--", "-"])
# At most this many tokens of name after such a dash (a first, middle and last name with
# initials); set by hand, not searched.
DASH_NAME_TOKENS = 6
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]['\"”’]*|[.!?]['\"”’]*\s)\s*$")
_CLAUSE_END = {".", "!", "?", ";"}
_RELATIVE_PRONOUNS = frozenset(["which", "who", "whom", "whose"])


def starts_sentence(text: str, pos: int) -> bool:
    """Whether a quotation at ``pos`` opens a sentence (after a sentence end, colon or line break)."""
    return pos == 0 or _SENTENCE_START.search(text, max(0, pos - 6), pos) is not None


def _covered(region: QuoteRegion, found: list[Attribution]) -> bool:
    inner = region.inner_end - region.inner_start
    return any(min(region.inner_end, a.end) - max(region.inner_start, a.start) > inner / 2 for a in found)


def _clause_tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand") if end > start else None


_Clause = tuple[Token, Token | None]  # (cue, subject)


def _cue_in(span: Span | None, any_verb: bool = False) -> _Clause | None:
    """The reporting verb of a short speaker clause, with its subject inside the clause; with
    ``any_verb`` (after a quotation ending in a comma: '"...," an angry Hollande retaliated') any
    verb will do."""
    if span is None or len(span) > SPEAKER_CLAUSE_TOKENS:
        return None
    lead = next((t for t in span if not t.is_punct and not t.is_space), None)
    for tok in span:
        if tok.pos_ in ("VERB", "AUX") and (any_verb or is_speech_cue(tok.lemma_.lower())):
            subject = subject_of(tok)
            if subject is not None and span.start <= subject.i < span.end:
                return tok, subject
            if tok is lead:  # '"...," exhorted Clinton's introducer': the speaker follows the verb
                after = next((c for c in tok.rights if c.pos_ in ("PROPN", "NOUN") and c.i < span.end), None)
                if after is not None:
                    return tok, after
    return None


def _colon_speaker(span: Span | None) -> _Clause | None:
    """``Philip Bump: "..."`` or ``Hoff's letter makes a case: "..."``: a clause ending in a colon
    introduces the quotation; its main verb (or the name alone) stands for the cue."""
    if span is None or len(span) > SPEAKER_CLAUSE_TOKENS or span.end >= len(span.doc) or span.doc[span.end].text != ":":
        return None
    colon = span.doc[span.end]
    roots = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head is t]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX") and subject_of(t) is not None]
    if verbs:
        return verbs[-1], subject_of(verbs[-1])
    names = [t for t in roots if t.pos_ == "PROPN"]
    return (colon, names[-1]) if names and len(span) <= COLON_NAME_TOKENS else None


def _dash_speaker(text: str, region: QuoteRegion, span: Span | None) -> _Clause | None:
    """'"..." ― Karen Bobadilla': a name after a dash signs the quotation (the dash is the cue)."""
    after = text[region.end : region.end + 4].lstrip(" \t\u00a0")
    if span is None or not any(after.startswith(d) for d in DASHES):
        return None
    tokens = [t for t in span if not t.is_space]
    dash = next((t for t in tokens if t.text in DASHES or t.text[-1:] in DASHES), None)
    names = [t for t in tokens if t.idx > region.end and t.text not in DASHES][:DASH_NAME_TOKENS]
    run = []
    for tok in names:
        if tok.pos_ != "PROPN" and not (tok.is_title and tok.is_alpha):
            break
        run.append(tok)
    return (dash or run[0], run[-1]) if run else None


def _verb_before(span: Span | None) -> _Clause | None:
    """'he yelled "You lie!"': a verb right before the quotation, whatever its lemma."""
    if span is None or not len(span) or span[-1].pos_ != "VERB":
        return None
    subject = subject_of(span[-1])
    return (span[-1], subject) if subject is not None and subject.i >= span.start else None


def _after_clause(doc: Doc, text: str, region: QuoteRegion, regions: list[QuoteRegion]) -> Span | None:
    """Tokens after the quotation up to the end of its sentence, the next quotation or the line."""
    span = doc.char_span(region.end, min(len(text), region.end + 1), alignment_mode="expand")
    if span is None:
        return None
    first = span.start
    if doc[first].idx < region.end:
        first += 1
    nxt = min([r.start for r in regions if r.start >= region.end] + [len(text)])
    last = first
    while last < len(doc) and last - first <= SPEAKER_CLAUSE_TOKENS:
        tok = doc[last]
        if tok.idx >= nxt or "\n" in tok.text:
            break
        last += 1
        if tok.text in _CLAUSE_END:
            break
    return doc[first:last] if last > first else None


def _before_clause(doc: Doc, text: str, region: QuoteRegion, regions: list[QuoteRegion]) -> Span | None:
    """Tokens from the sentence start to a quotation introduced by a colon or a comma (also a
    colon ending the paragraph before: "Reporter Jomana Karadsheh says:" + a quoted paragraph),
    or by a verb right before it ('he yelled "You lie!"')."""
    pos = region.start
    while pos > 0 and text[pos - 1] in " \t\u00a0\n":
        pos -= 1
    if pos == 0:
        return None
    if "\n" in text[pos : region.start] and text[pos - 1] != ":":
        return None
    if text[pos - 1] in ":,":
        end = pos - 1
    else:
        last = doc.char_span(pos - 1, pos, alignment_mode="expand")
        if last is None or last[0].pos_ != "VERB":
            return None
        end = pos
    start = max([r.end for r in regions if r.end <= end] + [text.rfind("\n", 0, end) + 1])
    for mark in (". ", "! ", "? ", " - ", " — ", " – "):
        found = text.rfind(mark, 0, end - 1)
        if found != -1:
            start = max(start, found + len(mark))
    return _clause_tokens(doc, start, end)


def _cue_between(text: str, prev: Attribution, region: QuoteRegion) -> bool:
    """Whether only ``prev``'s own cue clause separates it from the quotation (one turn): in the same
    paragraph ('"A," he said. "B."'), or with the cue clause ending the paragraph in one sentence and
    the quotation opening the next ('"A," Christie said on Fox.' + a paragraph '"B."'), as PolNeAR
    annotates a turn that runs on: train direct F1 (loose) 0.888 -> 0.893 on texts 1-400, 0.921 ->
    0.924 on 401-840 (a cue clause ending exactly at its verb only: 0.890, 0.923)."""
    if prev.cue_start is None or prev.cue_end is None:
        return False
    if not (prev.end <= prev.cue_start and prev.cue_end <= region.start):
        return False
    between = text[prev.end : region.start]
    if "\n" not in between:
        return True
    return (between.count("\n") <= TURN_PARAGRAPH_BREAKS and between.rstrip(" \t").endswith("\n")
            and not re.search(r"[.!?][\"”’]?\s+\S", text[prev.cue_end : region.start].strip(" ,\n\t")))


def _named_before(doc: Doc, region: QuoteRegion) -> _Clause | None:
    """'Jane Smith was defiant. "We will never ..."': with no cue and no turn before it, a quotation
    is given to a person who is the subject of the sentence just before it."""
    span = doc.char_span(region.start, min(region.end, region.start + 1), alignment_mode="expand")
    if span is None:
        return None
    j = span.start - 1
    while j >= 0 and (doc[j].is_space or doc[j].idx >= region.start):
        j -= 1
    if j < 0:
        return None
    root = doc[j].sent.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or (subject.pos_ != "PROPN" and subject.lower_ not in ("he", "she")):
        return None
    return root, subject


def _clause_class(verb: Token) -> CueClass:
    """A quotation beside a speaker clause is speech unless its verb reports a belief ("..., he
    thinks"); a colon, a dash or an unknown verb ("..., he laughed") introduce speech."""
    lemma = verb.lemma_.lower()
    classes = {cue_class(lemma, kind) for kind in ("inverted", "ccomp")}
    return "belief" if "belief" in classes and "speech" not in classes else "speech"


def _clause_path(verb: Token) -> Path:
    if verb.text in DASHES or verb.text[-1:] in DASHES:
        return "dash"
    return "clause" if verb.pos_ in ("VERB", "AUX") else "colon"


def _from_clause(clause: _Clause, region: QuoteRegion, cue: bool = True) -> Attribution:
    """An attribution of a quotation to the speaker (and cue) of a clause beside it."""
    verb, subject = clause
    source = None
    root = None
    if subject is not None:
        first, last = subject.left_edge, subject.right_edge
        for child in subject.rights:
            if child.dep_ in ("relcl", "acl", "appos", "punct"):
                last = verb.doc[max(subject.i, child.left_edge.i - 1)]
                break
        source, root = (first.idx, last.idx + len(last)), subject.i
    span = (region.start, region.end)
    if not cue:
        return Attribution(*span, "direct", None, None, source, root, None, 1.0, (span,), "speech", "named")
    return Attribution(*span, "direct", verb.idx, verb.idx + len(verb), source, root, None, 1.0, (span,),
                       _clause_class(verb), _clause_path(verb))


def _words(text: str, region: QuoteRegion) -> int:
    return len(text[region.inner_start : region.inner_end].split())


def _turn_before(text: str, region: QuoteRegion, regions: list[QuoteRegion], out: list[Attribution]) -> int | None:
    """The speaking turn a quotation continues: the last attribution close before it, preferring
    one that ends in a quotation (an attribution inside its cue clause, "asked about X", is not)."""
    ends = {r.end for r in regions}
    near = [
        i for i, a in enumerate(out)
        if a.end <= region.start and len(text[a.end : region.start]) <= CONTINUATION_GAP
        and not any(a.end <= r.start < region.start and _words(text, r) >= TURN_BREAK_WORDS
                    for r in regions if r != region)
    ]
    if not near:
        return None
    quoted = [i for i in near if out[i].end in ends]
    return max(quoted or near, key=lambda i: out[i].end)


def _same_paragraph_quote(text: str, prev: Attribution, region: QuoteRegion, quoted: QuotedLetters) -> bool:
    """A quoted sentence right after a direct quote in the same paragraph continues it (PolNeAR
    train: 59 of 64 such quotations are annotated as one attribution with the one before)."""
    return "\n" not in text[prev.end : region.start] and quoted.kind(prev.parts) == "direct"


def _speaker_beside(doc: Doc, text: str, region: QuoteRegion, regions: list[QuoteRegion]) -> _Clause | None:
    """A speaker clause right after the quotation (a cue verb, or a dash and a name)."""
    open_ended = text[region.inner_start : region.inner_end].rstrip().endswith(",")
    after = _after_clause(doc, text, region, regions)
    if after is not None and len(after) and after[-1].text == ":":
        return None  # '"A." Mr. Zahed said: "B."': the clause introduces the next quotation
    lead = next((t for t in after if not t.is_punct), None) if after is not None else None
    if lead is not None and lead.lower_ in _RELATIVE_PRONOUNS:
        return None  # '"A," which Mozloom thinks will ...': a clause about the quotation, not its speaker's
    return _cue_in(after, any_verb=open_ended) or _dash_speaker(text, region, after)


def _speaker_before(doc: Doc, text: str, region: QuoteRegion, regions: list[QuoteRegion]) -> _Clause | None:
    """A speaker clause right before the quotation (a cue verb, a colon, a verb)."""
    before = _before_clause(doc, text, region, regions)
    return _cue_in(before) or _colon_speaker(before) or _verb_before(before)


def _own_cue(clause: _Clause, prev: Attribution) -> bool:
    """Whether a speaker clause before a quotation is its own, not the cue clause of the turn before it
    ('"A," he said. Asked about B, she replied: "C."' against '"A," he said, "B."')."""
    verb = clause[0]
    if verb.idx < prev.end:
        return False
    return prev.cue_start is None or prev.cue_end is None or not (prev.cue_start <= verb.idx < prev.cue_end)


def attach_regions(
    doc: Doc, text: str, regions: list[QuoteRegion], found: list[Attribution], quoted: QuotedLetters
) -> list[Attribution]:
    """``found`` plus every quotation it leaves out, attributed by a speaker clause or a turn."""
    out = list(found)
    follows: dict[int, int] = {}  # position in ``out`` -> start of the turn it continues
    for region in regions:
        if _covered(region, out):
            continue
        span = (region.start, region.end)
        clause = _speaker_beside(doc, text, region, regions)
        if clause is not None:
            out.append(_from_clause(clause, region))
            continue
        prev_i = _turn_before(text, region, regions, out)
        prev = out[prev_i] if prev_i is not None else None
        clause = _speaker_before(doc, text, region, regions)
        if clause is not None and prev is not None and _own_cue(clause, prev):
            out.append(_from_clause(clause, region))  # '"A," he said. She replied: "B."'
            continue
        if prev_i is not None and prev is not None and (
            _cue_between(text, prev, region) or _same_paragraph_quote(text, prev, region, quoted)
        ):
            out[prev_i] = replace(prev, end=region.end, parts=(*prev.parts, span))  # "A," he said. "B."
            continue
        if clause is not None:
            out.append(_from_clause(clause, region))
        elif not starts_sentence(text, region.start):
            continue
        elif prev is not None:
            follows[len(out)] = prev.start
            out.append(Attribution(*span, "direct", None, None, None, None, None, prev.score, (span,),
                                   prev.cue_class, "turn"))
        else:
            named = _named_before(doc, region)
            if named is not None:
                out.append(_from_clause(named, region, cue=False))
    order = sorted(range(len(out)), key=lambda i: out[i].start)
    index_of_start = {out[i].start: n for n, i in enumerate(order)}
    return [replace(out[i], follows=index_of_start[follows[i]]) if i in follows else out[i] for i in order]
