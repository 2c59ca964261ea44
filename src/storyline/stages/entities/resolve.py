"""Resolve references within one article: titles into roles, descriptions ("the Serbian leader")
and pronouns ("he said") into local entities, and quote sources into speakers.

References are kept in text order with whether each is a clause subject, so that a pronoun goes
to the most recent subject that is a person, and a description to the person whose titles share
its words ("the defense minister" -> "Defense Minister Milos Vucevic"), else to the most recent
person, else (a description that opens an article) to the next person named who holds no other
title.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Token

from storyline.stages.entities.clusters import Cluster
from storyline.stages.entities.mentions import NameMention
from storyline.stages.entities.names import name_key
from storyline.stages.entities.records import MentionKind
from storyline.stages.entities.titles import (
    GENERIC_HEADS,
    description_range,
    description_words,
    is_title_head,
    stem,
)
from storyline.stages.quotes.marks import QuoteRegion

_SUBJECTS = frozenset(["nsubj", "nsubjpass"])
PERSON_PRONOUNS = frozenset(["he", "she", "him", "her"])
GROUP_PRONOUNS = frozenset(["it", "they"])
# A pronoun looks for its antecedent this many sentences back (its own included). Set by hand;
# PolNeAR train speaker accuracy does not move between 2 and 6.
PRONOUN_SENTENCES = 4
# A description may refer forward to a person named at most this many characters later
# ("the Balkan nation's deputy prime minister said ... The remarks by Aleksandar Vulin"); a
# paragraph or two of news text, set by hand on the example corpus (no benchmark for it).
CATAPHORA_CHARS = 600
# Score of a description for a person: per shared title word, and against a person whose title
# (before the name) has another head ("deputy prime minister" is not "Russian President Putin").
# Set by hand on the example corpus: one shared word must outweigh a nearer person.
SHARED_WORD_SCORE = 2
OTHER_TITLE_PENALTY = 1
# Raw evidence that a title is its holder's, by how it was tied to them (ordered by hand, most direct
# first; the confidence a reader sees is calibrated from them on the entities audit, see
# stages/entities/calibration.py): a title attached before the name, a title in apposition after it,
# a description in apposition to a name, a description resolved by a shared title word, one resolved
# by position alone (the nearest person before, else after).
ROLE_SCORES = {"attached": 1.0, "appositive": 0.8, "description-appos": 0.8, "description-shared": 0.6,
               "description-near": 0.3}


@dataclass(slots=True)
class Ref:
    """A reference to local entity ``entity`` at characters ``[start, end)``; ``token`` is its head."""

    start: int
    end: int
    text: str
    kind: MentionKind
    label: str | None
    entity: int
    token: int
    subject: bool


# How a quote's source was resolved: a name in it, a description or a pronoun that refers to a
# name, a proper noun spaCy did not tag (a new local entity), or nobody ("experts", "you").
SpeakerPath = Literal["name", "description", "pronoun", "new", "none"]
# Entity types that cannot be a named speaker: a source resolved to one of these is left unnamed.
# Persons, organisations and places (a country or city used as its government: "Russia said")
# speak; works and products are kept (spaCy's small model types outlets and agencies as them:
# "Sputnik", "the Washington Post"), and so are groups (NORP: "Republicans said"): PolNeAR
# annotates them as named sources, and leaving them unnamed cost 0.010 of speaker accuracy on
# 400 train texts (0.901 -> 0.892).
NON_SPEAKER_TYPES = frozenset(["DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "EVENT",
                               "LAW", "LANGUAGE"])


@dataclass(frozen=True, slots=True)
class Speaker:
    """A quote's resolved speaker: the local entity (or None), its name (None when the source names
    nobody), the source span and how it was resolved."""

    entity: int | None
    name: str | None
    start: int | None
    end: int | None
    path: SpeakerPath = "none"

    @property
    def text_of(self) -> tuple[int, int] | None:
        """The source span, if the text gives one."""
        return (self.start, self.end) if self.start is not None and self.end is not None else None


class Resolver:
    """Reference resolution over one parsed article and its local entities."""

    def __init__(self, doc: Doc, text: str, clusters: list[Cluster], regions: list[QuoteRegion]) -> None:
        self.doc = doc
        self.text = text
        self.clusters = clusters
        self._quoted = bytearray(len(self.text) + 1)
        for r in regions:
            self._quoted[r.inner_start : r.inner_end] = b"\x01" * (r.inner_end - r.inner_start)
        self.refs: list[Ref] = []
        self.roles: list[tuple[int, int, str, int, float]] = []
        self.role_words: dict[int, set[str]] = {c.index: set() for c in clusters}
        self.title_heads: dict[int, set[str]] = {c.index: set() for c in clusters}
        self._name_tokens: dict[int, int] = {}
        for c in clusters:
            for m in c.mentions:
                root = doc[m.first : m.last].root
                self.refs.append(Ref(m.start, m.end, m.text, "name", m.label, c.index, root.i, root.dep_ in _SUBJECTS))
                for i in range(m.first, m.last):
                    self._name_tokens[i] = c.index
                if m.title and c.is_person:
                    attached = m.title[1] == m.first
                    self._add_role(m.title, c.index, attached=attached,
                                   score=ROLE_SCORES["attached" if attached else "appositive"])
        self.refs.sort(key=lambda r: r.start)
        self._sentence_starts = [s.start for s in doc.sents]
        self._descriptions()

    def quoted(self, pos: int) -> bool:
        """Whether character ``pos`` lies inside a quotation."""
        return bool(self._quoted[pos])

    def _add_role(self, tokens: tuple[int, int], entity: int, attached: bool = False, score: float = 1.0) -> None:
        span = self.doc[tokens[0] : tokens[1]]
        if not span.text.strip():
            return
        self.roles.append((span.start_char, span.end_char, span.text, entity, score))
        self.role_words[entity] |= description_words(self.doc, tokens[0], tokens[1])
        if attached:
            self.title_heads[entity].add(stem(span[-1].text))

    def _insert(self, ref: Ref) -> None:
        bisect.insort(self.refs, ref, key=lambda r: r.start)

    # --- descriptions -------------------------------------------------------------------------

    def _is_description(self, tok: Token) -> bool:
        if not is_title_head(tok) or tok.pos_ not in ("NOUN", "PROPN") or tok.tag_ in ("NNS", "NNPS"):
            return False
        if tok.i in self._name_tokens or self.quoted(tok.idx):
            return False
        if tok.i + 1 < len(self.doc) and tok.i + 1 in self._name_tokens:
            return False  # a title attached to the name after it
        if tok.dep_ == "compound" and tok.head.i in self._name_tokens:
            return False
        return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ == "the") for c in tok.lefts)

    def _descriptions(self) -> None:
        """Resolve every definite description, then retry the unresolved with no distance limit
        once the first pass has taught each person's titles ("Serbia's Deputy Prime Minister" in
        an opening line, named only paragraphs later)."""
        pending = []
        for tok in self.doc:
            if self._is_description(tok):
                pending.append(tok)
        for window in (CATAPHORA_CHARS, None):
            left: list[Token] = []
            for tok in pending:
                appos = next((c for c in tok.rights if c.dep_ == "appos" and c.i in self._name_tokens), None)
                entity: int | None
                if appos is not None:
                    entity, basis = self._name_tokens[appos.i], "description-appos"
                else:
                    entity, shared = self._resolve_description(tok, window)
                    basis = "description-shared" if shared else "description-near"
                if entity is None:
                    left.append(tok)
                else:
                    self._record_description(tok, entity, ROLE_SCORES[basis])
            pending = left

    def _record_description(self, tok: Token, entity: int, score: float) -> None:
        first = tok.left_edge.i
        a, last = description_range(tok)
        span = self.doc[first:last]
        self._insert(Ref(span.start_char, span.end_char, span.text, "description", None, entity, tok.i,
                         tok.dep_ in _SUBJECTS))
        if (tok.lemma_.lower() not in GENERIC_HEADS and last - a > 1) or last > tok.i + 1:
            self._add_role((a, last), entity, score=score)
        else:
            self.role_words[entity] |= description_words(self.doc, first, last)

    def _resolve_description(self, tok: Token, window: int | None) -> tuple[int | None, int]:
        """The person a description refers to (most shared title words, then nearest before, then
        nearest after; never a person whose own title has another head), and how many title words
        they share."""
        words = description_words(self.doc, tok.left_edge.i, description_range(tok)[1])
        head = stem(tok.text)
        generic = tok.lemma_.lower() in GENERIC_HEADS
        best: tuple[tuple[int, int, int], int, int] | None = None
        for c in self.clusters:
            if not c.is_person:
                continue
            place = self._place(c.index, tok.idx, window)
            if place is None:
                continue
            shared = len(words & self.role_words[c.index])
            if window is None and not shared:
                continue
            score = SHARED_WORD_SCORE * shared
            if not generic and self.title_heads[c.index] and head not in self.title_heads[c.index]:
                score -= OTHER_TITLE_PENALTY
            if score < 0:
                continue
            rank = (score, -place[0], -place[1])
            if best is None or rank > best[0]:
                best = (rank, c.index, shared)
        return (best[1], best[2]) if best else (None, 0)

    def _place(self, entity: int, pos: int, window: int | None) -> tuple[int, int] | None:
        """(0, distance) to the entity's last reference before ``pos``, else (1, distance) after."""
        before = [r.end for r in self.refs if r.entity == entity and r.end <= pos and not self.quoted(r.start)]
        if before:
            return (0, pos - max(before))
        after = [r.start for r in self.refs if r.entity == entity and r.start > pos and not self.quoted(r.start)]
        if after and (window is None or min(after) - pos <= window):
            return (1, min(after) - pos)
        return None

    # --- pronouns and speakers ----------------------------------------------------------------

    def antecedent(self, tok: Token) -> int | None:
        """The local entity a third-person pronoun refers to, or None."""
        word = tok.lower_
        if word not in PERSON_PRONOUNS and word not in GROUP_PRONOUNS:
            return None
        want_person = word in PERSON_PRONOUNS
        here = bisect.bisect_right(self._sentence_starts, tok.i) - 1
        floor = self.doc[self._sentence_starts[max(0, here - PRONOUN_SENTENCES + 1)]].idx
        fallback = None
        for ref in reversed(self.refs):
            if ref.start >= tok.idx or self.quoted(ref.start) or (ref.kind == "pronoun" and ref.token == tok.i):
                continue
            if self.clusters[ref.entity].is_person != want_person:
                continue
            if ref.start < floor:
                break
            if ref.subject:
                return ref.entity
            fallback = ref.entity if fallback is None else fallback
        return fallback if want_person else None

    def _entity_at(self, root: Token, start: int, end: int) -> tuple[int | None, SpeakerPath]:
        """The local entity a source whose head is ``root`` refers to, and how it was found."""
        if root.tag_ in ("WP", "WDT") and root.head.dep_ == "relcl" and root.head.head is not root.head:
            root = root.head.head  # "Dr. Ward, who said: ...": the noun the relative clause is about
            start, end = root.idx, root.idx + len(root)
        containing = [r for r in self.refs if r.start <= root.idx < r.end and r.kind != "pronoun"]
        if containing:
            return containing[0].entity, "name" if containing[0].kind == "name" else "description"
        if root.i in self._name_tokens:
            return self._name_tokens[root.i], "name"
        if root.pos_ == "PRON":
            return self.antecedent(root), "pronoun"
        for child in root.children:  # "The Israeli newspaper Haaretz", "the firm's CEO, Kimberley Fritts"
            if child.dep_ in ("appos", "compound", "flat") and child.i in self._name_tokens:
                return self._name_tokens[child.i], "name"
        if root.pos_ == "PROPN":
            return self._new_entity(root), "new"
        for tok in self.doc[root.left_edge.i : root.right_edge.i + 1]:  # "his friend at Lehigh, Bruce Turry"
            if tok.dep_ == "appos" and start <= tok.idx < end and tok.i in self._name_tokens:
                return self._name_tokens[tok.i], "name"
        return None, "none"

    def _new_entity(self, root: Token) -> int:
        """A local entity for a speaker named by a proper noun spaCy did not tag."""
        first = root.i
        while first > 0 and self.doc[first - 1].pos_ == "PROPN" and self.doc[first - 1].dep_ in ("compound", "flat"):
            first -= 1
        span = self.doc[first : root.i + 1]
        mention = NameMention(first, root.i + 1, span.start_char, span.end_char, span.text, None, name_key(span.text))
        cluster = Cluster(len(self.clusters))
        cluster.add(mention)
        self.clusters.append(cluster)
        self.role_words[cluster.index] = set()
        self.title_heads[cluster.index] = set()
        for i in range(first, root.i + 1):
            self._name_tokens[i] = cluster.index
        self._insert(Ref(span.start_char, span.end_char, span.text, "name", None, cluster.index, root.i, True))
        return cluster.index

    def speaker(self, source: tuple[int, int] | None, root: int | None) -> Speaker:
        """The speaker a quote's source span names, resolved to a local entity where possible; a
        source that resolves to nobody, or to something that cannot speak (a date, an event), is
        an unnamed speaker (entity and name None, the span kept)."""
        if source is None:
            return Speaker(None, None, None, None)
        start, end = source
        if root is None:
            return Speaker(None, None, start, end)
        tok = self.doc[root]
        entity, path = self._entity_at(tok, start, end)
        if entity is None or self.clusters[entity].type in NON_SPEAKER_TYPES:
            return Speaker(None, None, start, end)
        if tok.pos_ == "PRON":
            self._insert(Ref(tok.idx, tok.idx + len(tok), tok.text, "pronoun", None, entity, tok.i, True))
        return Speaker(entity, self.clusters[entity].name, start, end, path)
