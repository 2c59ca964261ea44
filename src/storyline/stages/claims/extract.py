"""Statements of one article: every quote and reported statement split into its propositions, plus
the positions an article attributes to a group or institution.

A quote such as "Serbia will never impose sanctions against Moscow or join NATO" states two
propositions; each becomes a :class:`~.records.Statement` with its own wording ("Serbia will
never join NATO"), polarity, modality, condition and date. The proposition is read from spaCy's
dependency parse: the clause head, the chain of intent and refusal words above it ("intends to
maintain its policy of ... and refrain from joining"), which flip or qualify it, and its subject
(through coordination, control verbs and relative clauses).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from spacy.tokens import Doc, Span, Token

from storyline.records import Article
from storyline.stages.claims.dates import EARLIER, resolve_date
from storyline.stages.claims.records import ArticleStatements, DateBasis, Statement, SubjectBasis
from storyline.stages.entities.names import fold
from storyline.stages.entities.records import ArticlePeople
from storyline.stages.quotes.cue_classes import CueClass
from storyline.stages.quotes.cues import cue_class
from storyline.stages.quotes.records import LocalQuote

# verbs of saying: a clause they govern is what their subject says
SPEECH = frozenset({
    "say", "tell", "state", "stress", "add", "emphasize", "emphasise", "underline", "underscore", "declare",
    "announce", "assert", "claim", "insist", "reiterate", "pledge", "vow", "promise", "warn", "note", "argue",
    "explain", "confirm", "write", "report", "tweet", "acknowledge", "reaffirm", "repeat", "highlight",
    "deny", "suggest", "predict", "agree", "admit", "affirm", "proclaim", "signal",
})
# words that qualify the proposition they govern without changing its content
INTENT = frozenset({
    "intend", "plan", "want", "wish", "seek", "aim", "hope", "try", "continue", "keep", "expect", "prepare",
    "decide", "agree", "vow", "pledge", "promise", "threaten", "mean", "need", "have", "ready", "determined",
    "committed", "willing", "prepared", "set", "going", "able", "commit", "strive", "attempt",
})
# words that negate the proposition they govern ("refused to slap sanctions", "reluctant to join")
NEGATING = frozenset({
    "refuse", "refrain", "decline", "reject", "avoid", "stop", "cease", "reluctant", "unwilling", "abstain",
    "oppose", "resist", "halt", "forgo", "renounce", "refusal", "rule",
})
# nouns that carry a proposition ("its stance of not imposing sanctions", "policy of ...")
CARRIERS = frozenset({
    "stance", "policy", "position", "decision", "intention", "plan", "commitment", "refusal", "pledge",
    "promise", "vow", "determination", "readiness", "line", "course", "principle", "resolve",
})
# cues of a position the article reports rather than a speech act by its holder
POSITION_CUES = frozenset({"refuse", "decline", "reluctant", "unwilling", "reject", "oppose", "resist", "avoid",
                           "refusal", "stance", "position", "policy"})
MODALS = frozenset({"will", "wo", "would", "shall", "can", "ca", "could", "must", "may", "might", "should", "'ll"})
NEG_WORDS = frozenset({"not", "n't", "never", "no", "nt"})
CONDITION_MARKS = frozenset({"if", "unless", "provided", "providing", "once"})
COPULAS = frozenset({"be", "become", "remain", "seem", "stay"})
GROUP_TYPES = frozenset({"GPE", "ORG", "NORP", "LOC"})
GROUP_NOUNS = frozenset({
    "government", "officials", "official", "politicians", "leaders", "ministry", "party", "parliament",
    "authorities", "country", "nation", "administration", "army", "police", "coalition", "opposition",
    "cabinet", "state", "union", "alliance", "organizations", "organisations", "countries", "states", "west",
    "kremlin", "council", "commission", "leadership", "capital",
})
# subjects that stand for the speaker, or for the speaker's country or institution
FIRST_SINGULAR = frozenset({"i", "me"})
FIRST_PLURAL = frozenset({"we", "us"})
SELF_NOUNS = frozenset({"country", "nation", "government", "state", "republic", "administration", "leadership",
                        "authorities", "ministry", "party"})
SELF_DETERMINERS = frozenset({"the", "our", "his", "her", "its", "their", "this"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
# prepositions whose phrase frames the statement rather than being part of its content
FRAME_PREPS = frozenset({"despite", "during", "amid", "after", "before", "because", "in spite", "at", "following",
                         "over"})
STOP = frozenset({"any", "all", "the", "a", "an", "its", "their", "our", "his", "her", "such", "this", "that",
                  "these", "those", "including", "other", "own", "-", "anti", "member", "part", "some"})

_HEAD_DEPS_SKIP = frozenset({"aux", "auxpass", "amod", "acl", "prep", "agent", "compound", "npadvmod", "advmod",
                             "det", "nmod", "poss", "case", "mark", "punct", "csubj", "csubjpass", "nsubj",
                             "nsubjpass", "dobj", "pobj", "appos"})


@dataclass(slots=True)
class _Clause:
    head: Token
    verb: str
    subject: list[Token] = field(default_factory=list)
    subject_root: Token | None = None
    polarity: int = 1
    modality: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    conditional: bool = False
    reported: bool = False
    path: list[Token] = field(default_factory=list)
    keep: list[Token] = field(default_factory=list)
    top: Token | None = None
    speech: Token | None = None
    negated_join: bool = False


# --- parse helpers -------------------------------------------------------------------------------------


def _has_aux(tok: Token) -> bool:
    return any(c.dep_ in ("aux", "auxpass") for c in tok.children)


def _is_relative(tok: Token) -> bool:
    return tok.tag_ in ("WDT", "WP") or tok.lower_ == "that"


def _subject_of(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    return None


def _verbal_complement(tok: Token) -> Token | None:
    """The clause an intent, refusal or carrier word governs: ``intends [to maintain]``,
    ``refrain from [joining]``, ``stance of [not imposing]``, ``reluctant [to join]``."""
    for child in tok.children:
        if child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX"):
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "of", "to", "on"):
            for grand in child.children:
                if grand.dep_ == "pcomp" and grand.pos_ in ("VERB", "AUX"):
                    return grand
        if child.dep_ == "acl" and child.pos_ == "VERB" and tok.pos_ == "NOUN":
            return child
        if child.dep_ == "dobj" and child.lemma_.lower() in CARRIERS:
            inner = _verbal_complement(child)
            if inner is not None:
                return inner
    if tok.lemma_.lower() == "rule":  # "rule out joining"
        for child in tok.children:
            if child.dep_ in ("dobj", "xcomp") and child.pos_ == "VERB":
                return child
    return None


def _is_wrapper(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    carrier = any(c.dep_ == "dobj" and c.lemma_.lower() in CARRIERS for c in tok.children)
    wraps = lemma in INTENT or lemma in NEGATING or lemma in CARRIERS or carrier
    return wraps and _verbal_complement(tok) is not None


def _condition(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in child.children):
            return child
        if child.dep_ == "prep" and child.lower_ == "on" and any(g.lower_ == "condition" for g in child.subtree):
            return child
    return None


def _is_condition(tok: Token) -> bool:
    return tok.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in tok.children)


def _is_head(tok: Token) -> bool:
    """Whether ``tok`` heads a proposition of its own."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    if tok.dep_ in _HEAD_DEPS_SKIP or _is_condition(tok):
        return False
    if tok.pos_ == "AUX" and not any(c.dep_ in ("attr", "acomp", "prep", "neg") for c in tok.children):
        return False
    if _is_wrapper(tok):
        return False
    subject = _subject_of(tok)
    if tok.lemma_.lower() in COPULAS and subject is not None and any(
            c.dep_ == "attr" and fold(c.text).lower() == fold(subject.text).lower() for c in tok.children):
        return False
    head = tok.head
    if tok.dep_ in ("ccomp", "xcomp") and head != tok:
        lemma = head.lemma_.lower()
        # the complement of a plain verb ("allow its territory to be used") belongs to that verb's
        # proposition; the complement of a verb of saying or of an intent is a proposition itself
        if lemma not in SPEECH and lemma not in INTENT and lemma not in NEGATING and not _is_wrapper(head):
            return False
    return True


def _antecedent(rel: Token) -> Token:
    """What a relative clause's ``that``/``which`` stands for; in a list of relative clauses
    ("a Serbia that will never ..., which will never ...") a later one attached inside an earlier
    one goes to the earlier one's antecedent."""
    ante = rel.head
    for _ in range(4):
        outer = next((a for a in ante.ancestors if a.dep_ == "relcl"), None)
        if outer is None or outer.i >= rel.i:
            break
        before = rel.doc[rel.left_edge.i - 1] if rel.left_edge.i > 0 else None
        if before is None or before.text not in (",", "and", "or"):
            break
        ante = outer.head
    if ante.dep_ == "attr" and ante.head.pos_ in ("AUX", "VERB"):
        subject = _subject_of(ante.head)
        if subject is not None:
            return subject
    return ante


def _subject_tokens(root: Token) -> list[Token]:
    skip = {"relcl", "acl", "appos", "punct", "advcl", "parataxis"}
    out = [root]
    stack = [c for c in root.children if c.dep_ not in skip]
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in skip)
    return sorted(out, key=lambda t: t.i)


def _own_tokens(head: Token) -> list[Token]:
    """The head and its subtree without coordinated clauses, conditions, relative and adverbial
    clauses, subjects and framing phrases."""
    out = [head]
    for child in head.children:
        dep = child.dep_
        if dep in SUBJECT_DEPS or dep in ("conj", "cc", "advcl", "relcl", "parataxis", "punct", "mark", "expl"):
            continue
        if dep == "prep" and child.lower_ in FRAME_PREPS:
            continue
        if dep in ("npadvmod", "tmod") or child.ent_type_ in ("DATE", "TIME"):
            continue
        if dep == "ccomp" and _is_head(child):
            continue  # "when I say [it is a great encouragement]": a proposition of its own
        if child.lower_ == "matter" or any(g.lower_ == "matter" and g.i == child.left_edge.i + 1
                                           for g in child.subtree):
            continue  # "no matter how strong the pressure is"
        if dep == "advmod" and child.lower_ in ("instead", "also", "still", "then", "now", "again", "already",
                                                  "earlier", "previously", "however", "so"):
            continue
        stack = [child]
        while stack:
            tok = stack.pop()
            out.append(tok)
            stack.extend(c for c in tok.children if c.dep_ not in ("relcl", "parataxis", "advcl")
                         and not (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))
                         and not (c.dep_ == "cc" and any(x.dep_ == "conj" and x.pos_ in ("VERB", "AUX")
                                                          for x in tok.children)))
    return sorted(out, key=lambda t: t.i)


def _clause(head: Token, stop: set[int]) -> _Clause:
    """The proposition headed by ``head``: walk up through coordination, intent and refusal words and
    carriers to its subject, collecting negation, modality and conditions on the way."""
    clause = _Clause(head=head, verb=head.lemma_.lower())
    own_aux = _has_aux(head)
    cur = head
    inherit_neg = True
    in_wording = True
    for _ in range(10):
        for child in cur.children:
            if child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ == "never"):
                following = child.doc[child.i + 1] if child.i + 1 < len(child.doc) else None
                if following is not None and following.lower_ in ("only", "just", "merely"):
                    continue  # "not only a partner but also an ally"
                if cur == head or inherit_neg:
                    clause.polarity *= -1
                    clause.cues.append(f"neg:{child.text}")
                    clause.path.append(child)
            elif child.dep_ == "aux" and child.lemma_.lower() in MODALS | {"to"}:
                if cur == head or not own_aux:
                    word = child.lower_
                    clause.modality.append("will" if word in ("wo", "'ll") else word)
                    clause.path.append(child)
            elif (child.dep_ in ("aux", "auxpass") and (cur == head or not own_aux)) or (
                    child.dep_ == "poss" and cur != head and in_wording and cur.lemma_.lower() in CARRIERS):
                clause.path.append(child)
        cond = _condition(cur)
        if cond is not None and not clause.conditional:
            clause.conditional = True
            mark = next((m.text for m in cond.children if m.dep_ == "mark"), cond.text)
            clause.cues.append(f"cond:{mark}")
        lemma = cur.lemma_.lower()
        if cur != head:
            if lemma in NEGATING and cur.pos_ in ("VERB", "ADJ", "NOUN", "AUX"):
                clause.polarity *= -1
                clause.cues.append(f"negating:{cur.text}")
            elif lemma in INTENT and cur.pos_ in ("VERB", "ADJ", "AUX"):
                clause.modality.append(lemma)
            if in_wording:
                clause.path.append(cur)
        subject = _subject_of(cur)
        if subject is not None:
            if _is_relative(subject):
                rel = cur
                while rel.dep_ == "conj" and rel.head != rel:
                    rel = rel.head
                if rel.dep_ == "relcl":
                    subject = _antecedent(rel)
            clause.subject_root = subject
            clause.subject = _subject_tokens(subject)
            clause.top = cur
            break
        clause.top = cur
        dep = cur.dep_
        parent = cur.head
        if parent == cur or parent.i in stop or dep in ("ccomp", "parataxis", "relcl", "acl", "ROOT"):
            break
        if dep == "advcl" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
            break
        if parent.lemma_.lower() in SPEECH and dep != "conj":
            break
        if dep == "conj":
            # an elliptical conjunct ("will never impose X or join Y") shares its head's auxiliaries
            # and negation; one with its own ("... and will stay out of ...") does not
            inherit_neg = not _has_aux(cur)
            own_aux = own_aux or _has_aux(cur)
            in_wording = False
            while parent.pos_ not in ("VERB", "AUX", "ADJ") and parent.head != parent:
                parent = parent.head  # "maintain its policy ... and refrain from": refrain joins maintain
        else:
            inherit_neg = True
            in_wording = dep in ("xcomp", "pcomp", "prep", "dobj", "acomp", "pobj")
        cur = parent
    return clause


_PHRASAL_JOIN = {("stay", "out"), ("stay", "away"), ("keep", "out"), ("keep", "away"), ("remain", "outside"),
                 ("stay", "outside")}


def _normalise(clause: _Clause, own: list[Token]) -> tuple[str, list[Token]]:
    """The predicate as compared across statements, and the object tokens.

    "stay out of any military bloc" is "join any military bloc" negated; "become a member of NATO"
    keeps its words (MiniLM puts it next to "join NATO")."""
    head = clause.head
    lemma = head.lemma_.lower()
    objects = [t for t in own if t != head and t.dep_ not in ("aux", "auxpass", "neg", "prt")
               and not (t.dep_ == "advmod" and t.head == head)]
    particle = next((c for c in head.children if c.dep_ in ("prt", "advmod", "prep") and
                     (lemma, c.lower_) in _PHRASAL_JOIN), None)
    if particle is not None:
        clause.polarity *= -1
        clause.negated_join = True
        clause.cues.append(f"negating:{head.text} {particle.text}")
        objects = [t for t in objects if t != particle and not (t.head == particle and t.lower_ in ("of", "from"))]
        return "join " + _join(objects), _core(head, own, particle)
    if lemma in COPULAS and head.pos_ in ("AUX", "VERB"):
        words = _join([t for t in own if t != head and t.dep_ not in ("aux", "auxpass", "neg")
                       and not (t.dep_ == "advmod" and t.head == head)])
        return f"{lemma} {words}".strip(), _core(head, own)
    rest = [t for t in own if t != head and t.dep_ not in ("aux", "auxpass", "neg")
            and not (t.dep_ == "advmod" and t.head == head and t.lower_ in NEG_WORDS)]
    return f"{lemma} {_join(rest)}".strip(), _core(head, own)


def _core(head: Token, own: list[Token], particle: Token | None = None) -> list[Token]:
    """The core object of a predicate: what is imposed, joined, become (``sanctions``, ``NATO``,
    ``a member of NATO``), not the target or the circumstances (``on Russia``)."""
    members = {t.i for t in own}
    # the target and circumstances of the object ("sanctions [on Russia]") are not its content
    for tok in own:
        if tok.dep_ == "prep" and tok.lower_ not in ("of", "including", "like", "as") and tok.head != head:
            members -= {t.i for t in tok.subtree}
    if particle is not None:
        for child in particle.subtree:
            if child.dep_ == "pobj":
                return [t for t in child.subtree if t.i in members]
    for dep in ("dobj", "attr", "acomp", "oprd", "dative"):
        for child in head.children:
            if child.dep_ == dep and child.i in members:
                return [t for t in child.subtree if t.i in members]
    for child in head.children:
        if child.dep_ in ("prep", "agent") and child.i in members:
            return [t for t in child.subtree if t.i in members and t.i != child.i]
    for child in head.children:
        if child.dep_ in ("xcomp", "ccomp") and child.i in members:
            return [t for t in child.subtree if t.i in members]
    return []


def _heads(core: list[Token]) -> tuple[str, ...]:
    """The head words of a core object: ``hysteria`` of "part of the anti-Russian hysteria",
    ``bloc`` and ``nato`` of "any military bloc, including NATO", ``ally`` of "a Russian ally"."""
    members = {t.i for t in core}
    roots = [t for t in core if t.head.i not in members or t.head == t]
    out: list[Token] = []
    for root in roots:
        if root.pos_ in ("ADP", "SCONJ"):
            root = next((c for c in root.children if c.dep_ == "pobj"), root)
        out.append(root)
        for child in root.subtree:
            if child.dep_ == "pobj" and child.head.lower_ in ("of", "including", "like") and child.i in members:
                out.append(child)
    return _content_words(t for t in out)


def _join(tokens: Iterable[Token]) -> str:
    toks = sorted(tokens, key=lambda t: t.i)
    pieces = []
    for k, tok in enumerate(toks):
        pieces.append(tok.text)
        if k + 1 < len(toks):
            gap = toks[k + 1].i != tok.i + 1
            pieces.append(tok.whitespace_ or (" " if gap and toks[k + 1].pos_ != "PUNCT" else ""))
    out = "".join(pieces).strip()
    return out.strip(" ,;:\"'“”‘’").strip()


def _content_words(tokens: Iterable[Token]) -> tuple[str, ...]:
    words = []
    for tok in tokens:
        if tok.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and tok.lower_ not in STOP and tok.is_alpha:
            words.append(fold(tok.lemma_ if tok.pos_ == "NOUN" else tok.text).lower())
    return tuple(dict.fromkeys(words))


# --- statements ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Source:
    """Where a group of propositions comes from: a quote, a sentence's speech verb, or a group."""

    speaker: int | None
    speaker_name: str | None
    speaker_type: str | None
    quote: LocalQuote | None
    cue: Token | None
    reported: bool
    parts: list[tuple[int, int]]
    cue_class: CueClass | None = None


class _Context:
    def __init__(self, article: Article, people: ArticlePeople, doc: Doc) -> None:
        self.article = article
        self.people = people
        self.doc = doc
        self.entity_type = {e.index: e.type for e in people.entities}
        self.entity_name = {e.index: e.name for e in people.entities}
        self.type_of_name = {e.name: e.type for e in people.entities}
        # character -> local entity of the mention covering it
        self.mention_at: dict[int, int] = {}
        for m in people.mentions:
            for ch in range(m.start, m.end):
                self.mention_at[ch] = m.entity

    def entity_of(self, tokens: list[Token], root: Token | None) -> int | None:
        """The entity a phrase names: a mention on its head word or the compounds before it."""
        if root is None:
            return None
        probes = [root, *(c for c in root.children if c.dep_ == "compound")]
        for tok in probes:
            ent = self.mention_at.get(tok.idx)
            if ent is not None:
                return ent
        return None

    def cue_token(self, q: LocalQuote) -> Token | None:
        """The word of a quote's cue that governs it: ``said`` of "had said", ``reluctant``."""
        if q.cue_start is None or q.cue_end is None:
            return None
        span = self.doc.char_span(q.cue_start, q.cue_end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        content = [t for t in span if t.pos_ in ("VERB", "ADJ", "NOUN")]
        return content[-1] if content else span.root


def _date_for(anchor: Token | None, sentence: Span, content: set[int], ctx: _Context) -> tuple[
        str | None, DateBasis | None, str | None]:
    published = ctx.article.published
    if anchor is not None:
        for ent in sentence.ents:
            if ent.label_ not in ("DATE", "TIME") or any(t.i in content for t in ent):
                continue
            root = ent.root
            chain = [root, *root.ancestors]
            if anchor not in chain:
                continue
            # the date must hang off the anchor directly (through a preposition at most), not off
            # some noun of the sentence ("protests, which began last December")
            path = chain[: chain.index(anchor)]
            if any(t.dep_ in ("relcl", "acl", "ccomp", "advcl") for t in path):
                continue
            resolved = resolve_date(ent.text, published)
            if resolved is not None:
                return resolved, "text", ent.text
            if not published:
                return None, None, ent.text
        for child in anchor.children:
            if child.dep_ == "advmod" and child.lower_ in EARLIER and published:
                return published, "before_published", child.text
        for tok in sentence:
            if tok.i < anchor.i and tok.dep_ == "advmod" and tok.lower_ in EARLIER and tok.head == anchor and published:
                return published, "before_published", tok.text
    if published:
        return published, "published", None
    return None, None, None


def _subject(clause: _Clause, source: _Source, ctx: _Context) -> tuple[str | None, bool, SubjectBasis | None]:
    """Who the proposition is about: a name ("Serbia"), the speaker ("I"), a first-person plural
    or a description of a country or institution ("we", "the country") left for
    :func:`_resolve_subjects` to resolve through the speaker's other statements, or a pronoun or
    description the people stage resolved to an entity ("he", "the Serbian leader"); else
    unresolved."""
    root = clause.subject_root
    text = _join(clause.subject) if clause.subject else None
    entity = ctx.entity_of(clause.subject, root)
    if root is not None and root.pos_ == "PROPN":
        return (ctx.entity_name[entity] if entity is not None else text), True, "name"
    if root is not None and root.lower_ in FIRST_SINGULAR and source.speaker is not None:
        return ctx.entity_name[source.speaker], True, "speaker"
    if root is not None and (root.lower_ in FIRST_PLURAL or (
            root.lemma_.lower() in SELF_NOUNS and root.pos_ == "NOUN"
            and all(c.lower_ in SELF_DETERMINERS or c.pos_ in ("ADJ", "PROPN") for c in root.children))):
        if source.speaker is not None and source.speaker_type in GROUP_TYPES:
            return ctx.entity_name[source.speaker], True, "speaker"  # "we", said the ministry
        return text, False, "context"
    if entity is not None:
        # a pronoun or description the people stage resolved to an entity ("he", "the Serbian leader")
        return ctx.entity_name[entity], True, "mention"
    if text is None and source.speaker_type in GROUP_TYPES and source.speaker is not None:
        return ctx.entity_name[source.speaker], True, "speaker"
    return text, False, None


def _resolve_subjects(found: list[Statement], ctx: _Context) -> list[Statement]:
    """A speaker's "we" or "the country" is the country or institution that speaker names as the
    subject of their other statements in the article (Vucic: "Serbia will never ...", "We will never
    ..."); where the speaker names none, the subject stays unresolved."""
    from dataclasses import replace

    named: dict[int, Counter[str]] = {}
    for st in found:
        if st.subject_basis == "name" and st.speaker is not None and st.subject is not None and \
                ctx.type_of_name.get(st.subject) in GROUP_TYPES:
            named.setdefault(st.speaker, Counter())[st.subject] += 1
    out = []
    for st in found:
        if st.subject_basis == "context":
            counts = named.get(st.speaker) if st.speaker is not None else None
            if counts:
                (best, _n), = counts.most_common(1)
                st = replace(st, subject=best, subject_named=True)
            else:
                st = replace(st, subject_basis=None)
        out.append(st)
    return out


def _statement(clause: _Clause, source: _Source, ctx: _Context, clip: tuple[int, int] | None) -> Statement | None:
    text = ctx.article.text
    own = _own_tokens(clause.head)
    if clip is not None:
        lo, hi = clip
        own = [t for t in own if lo <= t.idx and t.idx + len(t.text) <= hi]
    q = source.quote
    if q is not None and q.speaker_start is not None and q.speaker_end is not None:
        # the speaker is not part of what is said, even where a quote's span runs over it
        s_lo, s_hi = q.speaker_start, q.speaker_end
        comma = ctx.article.text.rfind(",", 0, s_lo)
        between = ctx.doc.char_span(comma + 1, s_lo, alignment_mode="expand") if comma >= 0 else None
        if between is not None and not any(t.pos_ in ("VERB", "AUX") for t in between):
            s_lo = comma  # ", the deputy prime minister [Aleksandar Vulin] said"
        own = [t for t in own if not s_lo <= t.idx < s_hi]
        if clause.head.idx >= s_lo and clause.head.idx < s_hi:
            return None
    if not own:
        return None
    predicate, objects = _normalise(clause, own)
    heads = _heads(objects)
    if not predicate or len(predicate.split()) < 2:
        return None  # "Serbia has not become [and will not become part of ...]", "when I say [...]"
    span_tokens = [*own, *clause.path, *clause.subject]
    if clause.conditional:
        cond = next((c for t in [clause.head, *clause.path, *([clause.top] if clause.top is not None else [])]
                     for c in [_condition(t)] if c is not None), None)
        if cond is not None:
            span_tokens.extend(cond.subtree)
    sentence = clause.head.sent
    span_tokens = [t for t in span_tokens if sentence.start <= t.i < sentence.end]
    if clip is not None and source.quote is not None and source.quote.kind == "direct":
        span_tokens = [t for t in span_tokens if clip[0] <= t.idx and t.idx + len(t.text) <= clip[1]]
    if not span_tokens:
        return None
    start = min(t.idx for t in span_tokens)
    end = max(t.idx + len(t.text) for t in span_tokens)
    while end > start and (text[end - 1] in ",;:" or text[end - 1].isspace()):
        end -= 1
    wording_tokens = [*clause.subject, *clause.path, *own]
    wording_tokens = [t for t in wording_tokens if not (_is_relative(t) and t.dep_ in SUBJECT_DEPS)]
    wording = _join(dict.fromkeys(wording_tokens))
    subject_text, subject_named, subject_basis = _subject(clause, source, ctx)
    verb = "join" if clause.negated_join else clause.verb
    copular = clause.verb in COPULAS and not clause.negated_join
    embed = f"{subject_text} {predicate}" if copular and subject_text else predicate
    args = tuple(dict.fromkeys(fold(ctx.entity_name[e]).lower() for t in own
                               if (e := ctx.mention_at.get(t.idx)) is not None))
    anchor = source.cue if source.cue is not None else clause.top
    content = {t.i for t in own}
    date, basis, date_text = _date_for(anchor, sentence, content, ctx)
    cues = list(clause.cues)
    reported = source.reported or clause.reported
    if reported:
        cues.append(f"reported:{source.quote.cue if source.quote and source.quote.cue else 'narration'}")
    return Statement(
        article=ctx.article.id, start=start, end=end, text=text[start:end], wording=wording,
        embed_text=embed, subject=subject_text, subject_named=subject_named, subject_basis=subject_basis, verb=verb,
        objects=_content_words(objects), heads=heads, args=args, polarity=clause.polarity,
        modality=tuple(dict.fromkeys(clause.modality)), conditional=clause.conditional, reported=reported,
        cues=tuple(dict.fromkeys(cues)), speaker=source.speaker, speaker_name=source.speaker_name,
        speaker_type=source.speaker_type, cue_class=source.cue_class,
        quote_start=source.quote.start if source.quote else None,
        quote_end=source.quote.end if source.quote else None, date=date, date_basis=basis, date_text=date_text,
    )


def _quote_statements(q: LocalQuote, ctx: _Context) -> list[Statement]:
    parts = list(q.parts) or [(q.start, q.end)]
    cue = ctx.cue_token(q)
    cue_lemma = cue.lemma_.lower() if cue is not None else ""
    speaker_type = ctx.entity_type.get(q.speaker) if q.speaker is not None else None
    reported = cue_lemma in POSITION_CUES
    source = _Source(q.speaker, q.speaker_name, speaker_type, q, cue, reported, parts, q.cue_class)
    out: list[Statement] = []
    stop = {cue.i} if cue is not None else set()
    for lo, hi in parts:
        span = ctx.doc.char_span(lo, hi, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            if tok.i in stop or not _is_head(tok):
                continue
            clause = _clause(tok, stop if tok.dep_ != "xcomp" else set())
            if (cue is not None and cue_lemma in NEGATING | {"deny"} and cue not in clause.path
                    and clause.top is not None and clause.top.head == cue):
                clause.polarity *= -1  # "denied that ...", "rejected that ..."
                clause.cues.append(f"negating:{cue.text}")
            st = _statement(clause, source, ctx, (lo, hi))
            if st is not None:
                out.append(st)
    if not out:
        out.extend(_whole_quote(q, source, ctx, cue))
    return out


def _whole_quote(q: LocalQuote, source: _Source, ctx: _Context, cue: Token | None) -> list[Statement]:
    """A quote with no clause of its own ("deep concern", "the limited options"): the quote is the
    statement, its predicate the cue and its words."""
    text = ctx.article.text
    start, end = q.start, q.end
    while start < end and text[start] in " \"'“”‘’":
        start += 1
    while end > start and text[end - 1] in " ,.\"'“”‘’":
        end -= 1
    if end <= start:
        return []
    words = text[start:end]
    cue_lemma = cue.lemma_.lower() if cue is not None else (q.cue or "")
    polarity = -1 if cue_lemma in NEGATING else 1
    anchor = cue
    sentence = cue.sent if cue is not None else ctx.doc.char_span(start, end, alignment_mode="expand")
    if sentence is None:
        return []
    content = {t.i for t in ctx.doc.char_span(start, end, alignment_mode="expand") or []}
    date, basis, date_text = _date_for(anchor, sentence, content, ctx)
    name = ctx.entity_name.get(q.speaker) if q.speaker is not None else q.speaker_name
    reported = source.reported
    cues = [f"negating:{q.cue}"] if polarity < 0 else []
    if reported:
        cues.append(f"reported:{q.cue}")
    return [Statement(
        article=ctx.article.id, start=start, end=end, text=words, wording=f"{name or ''} {q.cue or ''} {words}".strip(),
        embed_text=f"{cue_lemma} {words}".strip(), subject=None, subject_named=False, subject_basis=None,
        verb=cue_lemma, objects=(), heads=(), args=(), polarity=polarity, modality=(), conditional=False,
        reported=reported,
        cues=tuple(cues), speaker=q.speaker, speaker_name=q.speaker_name, speaker_type=source.speaker_type,
        cue_class=source.cue_class,
        quote_start=q.start, quote_end=q.end, date=date, date_basis=basis, date_text=date_text,
    )]


def _is_group(tok: Token | None, ctx: _Context, entity: int | None) -> bool:
    if entity is not None and ctx.entity_type.get(entity) in GROUP_TYPES:
        return True
    return tok is not None and tok.lemma_.lower() in GROUP_NOUNS | {"official", "politician", "leader", "country"}


def _narrated_statements(ctx: _Context, covered: list[tuple[int, int]]) -> list[Statement]:
    """Propositions outside the quotes: what a verb of saying the quotes stage left alone governs
    (headlines: "... official meets Putin, says Belgrade ... won't join Western penalties"), and the
    positions and intentions the article attributes to a group or institution ("Serbia to not
    join NATO", "Belgrade intends to ...")."""
    def inside(tok: Token) -> bool:
        return any(lo <= tok.idx < hi for lo, hi in covered)

    out: list[Statement] = []
    for tok in ctx.doc:
        if inside(tok) or not _is_head(tok):
            continue
        clause = _clause(tok, set())
        top = clause.top or tok
        speech = top.head if top.dep_ == "ccomp" and top.head.lemma_.lower() in SPEECH else None
        speech_class = cue_class(speech.lemma_, "ccomp") if speech is not None else None
        if speech is not None and speech_class is None:
            continue  # "the refusal underscores that ...": a verb of saying used for a thing's stance
        if speech is not None and not inside(speech):
            speaker_root = _subject_of(speech)
            if speaker_root is None and speech.dep_ == "conj":
                speaker_root = _subject_of(speech.head)
            if speaker_root is None:
                continue
            tokens = _subject_tokens(speaker_root)
            ent = ctx.entity_of(tokens, speaker_root)
            if ent is None and not _is_group(speaker_root, ctx, None):
                continue  # "the refusal underscores", "reports said": nobody speaks
            name = ctx.entity_name[ent] if ent is not None else None  # "officials said": unnamed
            source = _Source(ent, name, ctx.entity_type.get(ent) if ent is not None else None, None, speech, False, [],
                             speech_class)
            st = _statement(clause, source, ctx, None)
            if st is not None:
                out.append(st)
            continue
        if clause.subject_root is None or top.lemma_.lower() in SPEECH:
            continue
        ent = ctx.entity_of(clause.subject, clause.subject_root)
        if not _is_group(clause.subject_root, ctx, ent):
            continue
        # a position a group states: the word heading it must be a cue of speech or belief ("Serbia
        # vowed to ...", "the ministry believes ..."), not an action or stance ("has refused to",
        # "is reluctant to", "intends to")
        position_class = cue_class(top.lemma_, "xcomp") if top != tok else None
        if position_class is None:
            continue
        name = ctx.entity_name[ent] if ent is not None else None
        source = _Source(ent, name, ctx.entity_type.get(ent) if ent is not None else "group", None, None, True, [],
                         position_class)
        st = _statement(clause, source, ctx, None)
        if st is not None:
            out.append(st)
    return out


Encoder = Callable[[list[str]], np.ndarray]


def article_statements(article: Article, people: ArticlePeople, *, doc: Doc | None = None,
                       encode: Encoder | None = None) -> ArticleStatements:
    """Every statement of one article with its vectors; a pure function of the article and its
    people-and-quotes analysis. ``doc`` is the article's spaCy parse if already made (by
    :func:`storyline.stages.entities.parse.parse`); ``encode`` replaces MiniLM (tests)."""
    return articles_statements([(article, people)], encode=encode, docs=[doc])[0]


def articles_statements(items: Sequence[tuple[Article, ArticlePeople]], *, encode: Encoder | None = None,
                        docs: Sequence[Doc | None] | None = None) -> list[ArticleStatements]:
    """:func:`article_statements` of many articles, with one encoder call for all their texts.

    Each article's statements depend on that article alone; batching only spares the encoder's
    per-call cost and padding: measured on 40 PolNeAR articles (~50 short texts each), one call
    took a third of the time of one call per article.
    """
    parses = docs if docs is not None else [None] * len(items)
    found = [_statements(article, people, doc) for (article, people), doc in zip(items, parses, strict=True)]
    vectored = _with_vectors([st for statements in found for st in statements], encode)
    out, at = [], 0
    for (article, _people), statements in zip(items, found, strict=True):
        out.append(ArticleStatements(article.id, article.published, tuple(vectored[at : at + len(statements)])))
        at += len(statements)
    return out


def _statements(article: Article, people: ArticlePeople, doc: Doc | None) -> list[Statement]:
    """The statements of one article, without vectors."""
    if doc is None:
        from storyline.stages.entities.parse import parse

        doc = parse(article.text)
    ctx = _Context(article, people, doc)
    found: list[Statement] = []
    covered: list[tuple[int, int]] = []
    for q in people.quotes:
        found.extend(_quote_statements(q, ctx))
        covered.append((q.start, q.end))
        if q.cue_start is not None and q.cue_end is not None:
            covered.append((q.cue_start, q.cue_end))
    found.extend(_narrated_statements(ctx, covered))
    return _dedupe(_resolve_subjects(found, ctx))


def _dedupe(found: list[Statement]) -> list[Statement]:
    """One statement per proposition and place: the same clause reached twice (two overlapping
    quotes, or a quote and its narration) is kept once, the quoted reading first."""
    seen: dict[tuple[int, int, str], Statement] = {}
    for st in found:
        key = (st.start, st.end, st.embed_text)
        if key not in seen:
            seen[key] = st
    return sorted(seen.values(), key=lambda s: (s.start, s.end, s.embed_text))


def _with_vectors(statements: list[Statement], encode: Encoder | None) -> list[Statement]:
    if not statements:
        return []
    if encode is None:
        from storyline import nlp

        encode = nlp.encode
    texts = list(dict.fromkeys([s.embed_text for s in statements] +
                               [s.subject for s in statements if s.subject and s.subject_named]))
    vectors = encode(texts)
    row = {t: vectors[i].astype(np.float32) for i, t in enumerate(texts)}
    from dataclasses import replace

    return [replace(s, vector=row[s.embed_text], subject_vector=row.get(s.subject) if s.subject_named and s.subject
                    else None) for s in statements]
