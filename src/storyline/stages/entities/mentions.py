"""Name mentions in a parsed article: spaCy's entities, trimmed, plus every recurrence of a
name string that spaCy missed, each with the evidence it gives for the entity's type."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from storyline.stages.entities.gazetteer import currency_words, place_kind
from storyline.stages.entities.names import HONORIFICS, name_key
from storyline.stages.entities.titles import TITLE_HEADS, TITLE_MODIFIERS, appositive_title, is_title_head, title_before

# spaCy labels that name a person, organisation, place or group (the small model puts people
# under FAC or PRODUCT now and then; type voting outvotes that).
NAME_LABELS = frozenset(["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT"])
# Votes a person title gives ("Interior Minister X", "X, a former intelligence chief"): worth two
# spaCy labels, so one title outvotes one stray GPE tag (the example corpus's "Vulin").
TITLE_VOTE = 2
# Votes for a place from "in X" / "near X" (a person is rarely the object of "in"); one, like a
# spaCy label (set by hand: "in Vladivostok" outvotes a stray PERSON tag in the example corpus).
LOCATIVE_VOTE = 1
_LOCATIVE = frozenset(["in", "near", "across", "throughout"])
# Votes for a vessel (PRODUCT, spaCy's label for vehicles) from "naval ship X", "vessel named X",
# "INS X", "ship, MV X": twice a person's title, since the small model tags ships PERSON or GPE at every
# mention and the cue is found at one or two (ECB+ piracy reports in the entities audit: at 2, five of
# ten ship mentions stay PERSON or GPE). Nouns and prefixes of ships in English news.
VESSEL_VOTE = 4
VESSEL_NOUNS = frozenset(
    """ship vessel warship destroyer frigate corvette cruiser carrier submarine tanker supertanker
    freighter trawler yacht ferry dhow tugboat liner boat""".split()
)
VESSEL_PREFIXES = frozenset("INS USS HMS HMAS HMCS MV MS SS RMS USNS FV MT".split())
# Votes for an organisation from its name's head ("West Coast Bank", "Troy Police", "Fire Department")
# or an organisation noun in apposition or before it ("news agency Sputnik", "the newspaper Haaretz"):
# as strong as a person's title (spaCy tags such names LOC, PERSON or PRODUCT in the entities audit).
ORG_VOTE = 2
ORG_HEADS = frozenset(
    """agency ministry department party police bank company corporation corp inc ltd llc group
    association council committee commission court university college school hospital church
    newspaper times post journal network channel broadcaster outlet institute foundation fund office
    service services navy army command guard authority administration bureau board federation coalition
    league organisation organization club firm airlines airways press television radio magazine
    daily agencies""".split()
)
# Nouns before a name or in apposition that say it is an organisation ("news agency Sputnik").
ORG_NOUNS = frozenset(
    """agency newspaper outlet channel broadcaster network daily website company firm party union
    group magazine tabloid""".split()
)
# Words that are no name where they open a title ("Sheriff's deputies", "Interior" of "Interior Minister").
_NOT_NAMES = TITLE_HEADS | TITLE_MODIFIERS | HONORIFICS
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


def _in_title(doc: Doc, first: int, last: int) -> bool:
    """Whether title words tagged as a name are part of a title phrase ("Interior Minister X",
    "Sheriff's deputies"), not a surname ("Mr. King said", "King said")."""
    if first > 0 and doc[first - 1].lower_.rstrip(".") in HONORIFICS:
        return False
    after = doc[last] if last < len(doc) else None
    return after is not None and (after.tag_ == "POS" or after.pos_ == "PROPN" or is_title_head(after))


def _mention(doc: Doc, first: int, last: int, label: str | None) -> NameMention | None:
    span = doc[first:last]
    text = span.text
    key = name_key(text)
    if not key or not any(ch.isalpha() for ch in text) or len(text) < 2:
        return None
    if all(w.rstrip(".") in _NOT_NAMES for w in key.split()) and _in_title(doc, first, last):
        return None
    mention = NameMention(first, last, span.start_char, span.end_char, text, label, key)
    if label:
        mention.votes[label] += 1
    return mention


def _common_word(doc: Doc, first: int, last: int, lower: set[str], inside: set[str]) -> bool:
    """Whether a one-word "name" is a common word: capitalised only where a sentence starts and written
    in lower case elsewhere in the text ("Arson in Alaska" ... "arson"), or a currency after a number
    ("22 billion Euros")."""
    if last - first != 1:
        return False
    tok = doc[first]
    if first > 0 and doc[first - 1].like_num and tok.lower_.removesuffix("s") in currency_words():
        return True
    return bool(tok.is_sent_start) and tok.lower_ in lower and tok.text not in inside


def _spacy_mentions(doc: Doc) -> list[NameMention]:
    out = []
    lower = {t.text for t in doc if t.is_lower}
    inside = {t.text for t in doc if t.is_title and not t.is_sent_start}
    starts = {ent.start for ent in doc.ents if ent.label_ in NAME_LABELS}
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        if len(ent) == 1 and ent.text in VESSEL_PREFIXES and ent.end in starts:
            continue  # "INS" of "INS Tabar" tagged apart: it opens the ship's name, below
        first, last = _trim(doc, ent.start, ent.end, ent.label_)
        if first > 0 and first == ent.start and doc[first - 1].text in VESSEL_PREFIXES and first - 1 in {
                e.start for e in doc.ents if len(e) == 1}:
            first -= 1
        if _common_word(doc, first, last, lower, inside):
            continue
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
    if _vessel(doc, mention):
        mention.votes["PRODUCT"] += VESSEL_VOTE
    elif _organisation(doc, mention):
        mention.votes["ORG"] += ORG_VOTE
    possessed = root.tag_ == "POS" or any(c.tag_ == "POS" for c in root.children)
    if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE and not possessed:
        mention.votes["GPE"] += LOCATIVE_VOTE


def _vessel(doc: Doc, mention: NameMention) -> bool:
    """Whether the name is a ship's: after a ship noun or prefix, or in apposition to a ship noun."""
    first = doc[mention.first]
    if first.text in VESSEL_PREFIXES and mention.last - mention.first > 1:
        return True
    prev = doc[mention.first - 1] if mention.first > 0 else None
    if prev is None:
        return False
    if prev.text in VESSEL_PREFIXES or prev.lower_ in VESSEL_NOUNS:
        return True
    if prev.lower_ == "named" and mention.first > 1 and doc[mention.first - 2].lemma_.lower() in VESSEL_NOUNS:
        return True
    root = doc[mention.first : mention.last].root
    return root.dep_ == "appos" and root.head.lemma_.lower() in VESSEL_NOUNS


def _organisation(doc: Doc, mention: NameMention) -> bool:
    """Whether the name is an organisation's by its own head word or an organisation noun before it or
    in apposition (a known place keeps its name: "West Bank" is no bank)."""
    words = mention.text.split()
    if len(words) > 1 and words[-1].lower().strip(".") in ORG_HEADS and place_kind(mention.text) is None:
        return True
    prev = doc[mention.first - 1] if mention.first > 0 else None
    if prev is not None and prev.lemma_.lower() in ORG_NOUNS and not prev.is_title:
        return True
    root = doc[mention.first : mention.last].root
    return (root.dep_ == "appos" and root.head.lemma_.lower() in ORG_NOUNS) or any(
        c.dep_ == "appos" and c.lemma_.lower() in ORG_NOUNS for c in root.rights)


def name_mentions(doc: Doc, text: str | None = None) -> list[NameMention]:
    """Every name mention of the article (``text`` is ``doc.text``) in text order, with type evidence."""
    found = _spacy_mentions(doc)
    found += _recurrences(doc, doc.text if text is None else text, found)
    found.sort(key=lambda m: m.start)
    for mention in found:
        _evidence(doc, mention)
    return found
