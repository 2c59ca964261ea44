"""Name mentions in a parsed article: spaCy's entities, trimmed, plus every recurrence of a
name string that spaCy missed, each with the evidence it gives for the entity's type."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from storyline.stages.entities.names import HONORIFICS, name_key
from storyline.stages.entities.titles import appositive_title, is_title_head, title_before

# spaCy labels that name a person, organisation, place or group (the small model puts people
# under FAC or PRODUCT now and then; type voting outvotes that).
NAME_LABELS = frozenset(["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT"])
# Tie-break between types with equal votes, most likely first.
TYPE_ORDER = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT")
# Votes a person title gives ("Interior Minister X", "X, a former intelligence chief"): worth two
# spaCy labels, so one title outvotes one stray GPE tag (the example corpus's "Vulin").
TITLE_VOTE = 2
# Votes for a place from "in X" / "near X" (a person is rarely the object of "in"); one, like a
# spaCy label (set by hand: "in Vladivostok" outvotes a stray PERSON tag in the example corpus).
LOCATIVE_VOTE = 1
_LOCATIVE = frozenset(["in", "near", "across", "throughout"])
_LEADING_POS = frozenset(["DET", "VERB", "AUX", "ADV", "ADP", "PRON", "PUNCT", "SCONJ", "CCONJ", "PART", "SPACE"])


@dataclass(slots=True)
class NameMention:
    """A name occurrence: token range ``[first, last)``, characters ``[start, end)``."""

    first: int
    last: int
    start: int
    end: int
    text: str
    label: str | None
    key: str
    votes: Counter[str] = field(default_factory=Counter)
    title: tuple[int, int] | None = None  # token range of an attached or appositive title

    @property
    def words(self) -> int:
        """Number of words in the name (honorifics excluded)."""
        return len(self.key.split())


def _trim(doc: Doc, first: int, last: int, label: str) -> tuple[int, int]:
    while first < last and (doc[first].pos_ in _LEADING_POS or not doc[first].text[:1].isupper()):
        first += 1
    if label == "PERSON":
        while first < last - 1 and is_title_head(doc[first]) and doc[first].lower_.rstrip(".") not in HONORIFICS:
            first += 1
    while last > first and (doc[last - 1].tag_ == "POS" or doc[last - 1].is_punct or doc[last - 1].is_space):
        last -= 1
    return first, last


def _mention(doc: Doc, first: int, last: int, label: str | None) -> NameMention | None:
    span = doc[first:last]
    text = span.text
    key = name_key(text)
    if not key or not any(ch.isalpha() for ch in text) or len(text) < 2:
        return None
    mention = NameMention(first, last, span.start_char, span.end_char, text, label, key)
    if label:
        mention.votes[label] += 1
    return mention


def _spacy_mentions(doc: Doc) -> list[NameMention]:
    out = []
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        first, last = _trim(doc, ent.start, ent.end, ent.label_)
        mention = _mention(doc, first, last, ent.label_) if last > first else None
        if mention:
            out.append(mention)
    return out


def _recurrences(doc: Doc, text: str, found: list[NameMention]) -> list[NameMention]:
    """Occurrences of known name strings (and of surnames of people) that spaCy did not tag.

    A one-word recurrence counts on a proper-noun token, a capitalised word inside a sentence, or a
    person's surname ("May" the month at a sentence start is not "Theresa May", but "Zelenskyy
    asserts" is Zelenskyy even where the tagger calls it a common noun)."""
    taken = bytearray(len(doc))
    for m in found:
        taken[m.first : m.last] = b"\x01" * (m.last - m.first)
    strings = {m.text for m in found if m.label != "NORP"}
    surnames = {doc[m.last - 1].text for m in found if m.label == "PERSON" and m.last - m.first > 1}
    strings |= surnames
    out = []
    for string in sorted(s for s in strings if len(s) >= 3):
        for match in re.finditer(rf"(?<!\w){re.escape(string)}(?!\w)", text):
            span = doc.char_span(match.start(), match.end())
            if span is None or any(taken[span.start : span.end]):
                continue
            tok = span[0]
            if len(span) == 1 and tok.pos_ != "PROPN" and not (
                tok.is_title and (not tok.is_sent_start or string in surnames)
            ):
                continue
            mention = _mention(doc, span.start, span.end, None)
            if mention:
                taken[span.start : span.end] = b"\x01" * len(span)
                out.append(mention)
    return out


def _evidence(doc: Doc, mention: NameMention) -> None:
    """Type votes from the context: a person title, an honorific, or a locative preposition."""
    root = doc[mention.first : mention.last].root
    title = title_before(doc, mention.first)
    if title is None and mention.label in ("PERSON", None):
        title = appositive_title(root)
    before = doc[mention.first - 1].lower_.rstrip(".") if mention.first > 0 else ""
    if title:
        mention.title = title
    if title or before in HONORIFICS or doc[mention.first].lower_.rstrip(".") in HONORIFICS:
        mention.votes["PERSON"] += TITLE_VOTE
    possessed = root.tag_ == "POS" or any(c.tag_ == "POS" for c in root.children)
    if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE and not possessed:
        mention.votes["GPE"] += LOCATIVE_VOTE


def name_mentions(doc: Doc, text: str | None = None) -> list[NameMention]:
    """Every name mention of the article (``text`` is ``doc.text``) in text order, with type evidence."""
    found = _spacy_mentions(doc)
    found += _recurrences(doc, doc.text if text is None else text, found)
    found.sort(key=lambda m: m.start)
    for mention in found:
        _evidence(doc, mention)
    return found


def voted_type(votes: Counter[str]) -> str:
    """The type with most votes (ties broken by TYPE_ORDER); PERSON when there is no vote."""
    if not votes:
        return "PERSON"
    best = max(votes.values())
    return next((t for t in TYPE_ORDER if votes.get(t, 0) == best), max(votes, key=lambda t: votes[t]))
