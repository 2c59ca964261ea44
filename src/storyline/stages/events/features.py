"""The per-article event features: a pure function of one article and its stored sentences.

Computed once per article and kept in the store (``to_bytes``/``from_bytes``); the corpus-level
index (``EventIndex``) weighs them against the corpus (IDF) only when it places the article.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from storyline.records import Article
from storyline.stages.events.dates import bare_years, date_spans, own_date
from storyline.stages.events.text import content_terms, fold, proper_noun_keys
from storyline.stages.sentences import ArticleSentences

if TYPE_CHECKING:
    from storyline.stages.entities import ArticlePeople

# Distinct content terms (words and word pairs) kept per article, the most frequent: a
# 600-word article has ~250 distinct words and ~350 pairs; longer ones lose single-use pairs.
MAX_TERMS = 600
# Entity keys kept per article (the most frequent).
MAX_ENTITIES = 80
# A full date this close to the top of the text is a dateline (the article's own date), not a
# date the story talks about: ECB+ texts start with their URL and a date line within ~300 chars.
DATELINE_CHARS = 400
# Full dates mentioned in the body that are kept as keys (the first ones, in text order).
MAX_MENTIONED_DATES = 12
# The lead sentence stands in for a missing headline in event titles: the first sentence of at
# least LEAD_MIN_WORDS words that is not a URL or a dateline, cut at a word to LEAD_MAX_CHARS.
LEAD_MIN_WORDS = 6
LEAD_MAX_CHARS = 140
_URLISH = re.compile(r"https?\s*:|www\s*\.|\w\s*/\s*\w+\s*/")
# Terms whose common spelling is kept for titles (the most frequent ones).
DISPLAYED_TERMS = 40
# A headline says what the event is: its terms count this many times.
TITLE_WEIGHT = 2
EMBEDDING_DIM = 384
# Entity keys came from the entities stage (an ArticlePeople), from the caller as strings, or
# from the proper-noun proxy.
ENTITY_SOURCES = ("people", "given", "proxy")
# Mentions of a resolved local entity that count towards its key: names, and the descriptions
# and pronouns the entities stage resolved to it (names alone: -0.002 ECB+ F1).
PEOPLE_MENTION_KINDS = frozenset({"name", "description", "pronoun"})
# Places count this many times. Measured on ECB+: 2 costs 0.009 F1 (an event's place is also
# where other events of its story happen), so places weigh as other entities.
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
PLACE_WEIGHT = 1


@dataclass(frozen=True, slots=True, eq=False)
class EventFeatures:
    """What the event stage needs of one article, independent of every other article.

    ``terms`` and ``entities`` are (folded key, count) pairs, most frequent first; ``display``
    maps entity keys to the form written in the text and ``term_forms`` stemmed terms to their most
    common spelling (for titles); ``vector`` is the unit mean of the
    article's sentence vectors; ``dateline`` is the publication date, else a date written at the
    top of the text, else None; ``mentioned`` are other full dates in the text; ``years`` the
    four-digit years it names; ``lead`` its first real sentence (a headline for untitled articles).
    """

    article: str
    terms: tuple[tuple[str, int], ...]
    entities: tuple[tuple[str, int], ...]
    display: tuple[tuple[str, str], ...]
    term_forms: tuple[tuple[str, str], ...]
    vector: np.ndarray
    dateline: str | None
    dateline_basis: str | None
    mentioned: tuple[str, ...]
    years: tuple[int, ...]
    entity_source: str
    lead: str | None = None

    def to_bytes(self) -> bytes:
        """Serialise for the store: zlib-compressed JSON, then the vector as float16."""
        meta = {
            "article": self.article, "terms": self.terms, "entities": self.entities, "display": self.display,
            "term_forms": self.term_forms,
            "dateline": self.dateline, "dateline_basis": self.dateline_basis, "mentioned": self.mentioned,
            "years": self.years, "entity_source": self.entity_source, "lead": self.lead,
        }
        packed = zlib.compress(json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        return len(packed).to_bytes(4, "little") + packed + self.vector.astype(np.float16).tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> EventFeatures:
        """Inverse of :meth:`to_bytes`."""
        size = int.from_bytes(blob[:4], "little")
        meta = json.loads(zlib.decompress(blob[4 : 4 + size]).decode("utf-8"))
        vector = np.frombuffer(blob[4 + size :], dtype=np.float16).astype(np.float32)
        return cls(
            article=meta["article"],
            terms=tuple((str(t), int(c)) for t, c in meta["terms"]),
            entities=tuple((str(e), int(c)) for e, c in meta["entities"]),
            display=tuple((str(k), str(v)) for k, v in meta["display"]),
            term_forms=tuple((str(k), str(v)) for k, v in meta["term_forms"]),
            vector=vector,
            dateline=meta["dateline"],
            dateline_basis=meta["dateline_basis"],
            mentioned=tuple(meta["mentioned"]),
            years=tuple(int(y) for y in meta["years"]),
            entity_source=meta["entity_source"],
            lead=meta.get("lead"),
        )


def people_keys(people: ArticlePeople) -> tuple[Counter[str], dict[str, str]]:
    """Entity keys of an article from the entities stage: (folded name, weighted mention count) and display forms.

    Each resolved local entity counts its mentions (names, descriptions and pronouns that the
    entities stage resolved to it) under its fullest name, folded; a person named by several
    words also counts under the last one, so "Lohan" in one article meets "Lindsay Lohan" in
    another (without the surname keys: -0.014 ECB+ F1). Places count PLACE_WEIGHT times.
    """
    counts: Counter[str] = Counter()
    display: dict[str, str] = {}
    mentions = Counter(m.entity for m in people.mentions if m.kind in PEOPLE_MENTION_KINDS)
    for entity in people.entities:
        n = mentions.get(entity.index, 0)
        if n <= 0:
            continue
        n *= PLACE_WEIGHT if entity.type in PLACE_TYPES else 1
        key = fold(entity.name)
        if len(key) < 2:
            continue
        counts[key] += n
        display.setdefault(key, entity.name)
        words = entity.name.split()
        if entity.type == "PERSON" and len(words) > 1:
            last = fold(words[-1])
            if last != key and len(last) > 1:
                counts[last] += n
                display.setdefault(last, words[-1])
    return counts, display


def event_features(
    article: Article, sentences: ArticleSentences, entities: ArticlePeople | Collection[str] | None = None
) -> EventFeatures:
    """The event features of ``article``; ``entities`` is what the entities stage found in it.

    The pipeline passes the article's ``ArticlePeople`` (``analyse_people(article)``): its
    resolved local entities become (folded name, mention count) keys, see :func:`people_keys`.
    A collection of strings is taken as entity keys as they are (repeated keys count
    repeatedly). When ``entities`` is None the proper-noun proxy of :func:`proper_noun_keys`
    stands in (regular expressions, ~1 ms an article). On ECB+ the two score the same on events
    (F1 0.915 either way, see BENCHMARKS.md); the entities stage's keys are cleaner to read in titles.
    """
    forms: dict[str, Counter[str]] = {}
    terms = content_terms(article.text, forms)
    if article.title:
        for term, count in content_terms(article.title, forms).items():
            terms[term] += TITLE_WEIGHT * count
    if entities is None:
        keys, display = proper_noun_keys(f"{article.title}\n\n{article.text}" if article.title else article.text)
        source = "proxy"
    elif hasattr(entities, "entities") and hasattr(entities, "mentions"):
        keys, display = people_keys(entities)  # type: ignore[arg-type]
        source = "people"
    else:
        keys = Counter(fold(e) for e in entities if e)
        display = {fold(e): e for e in entities if e}
        source = "given"
    dates = date_spans(article.text)
    dateline, basis = _dateline(article, dates, sentences.spans)
    mentioned = tuple(dict.fromkeys(d for _at, _end, d in dates if d != dateline))[:MAX_MENTIONED_DATES]
    top_keys = _top(keys, MAX_ENTITIES)
    top_terms = _top(terms, MAX_TERMS)
    return EventFeatures(
        article=article.id,
        terms=top_terms,
        entities=top_keys,
        display=tuple(sorted((k, display[k]) for k, _c in top_keys if k in display)),
        term_forms=tuple(
            sorted((t, forms[t].most_common(1)[0][0]) for t, _c in top_terms[:DISPLAYED_TERMS] if t in forms)
        ),
        vector=mean_vector(sentences),
        dateline=dateline,
        dateline_basis=basis,
        mentioned=mentioned,
        years=tuple(sorted(set(bare_years(article.text)))),
        entity_source=source,
        lead=lead_sentence(article.text, sentences),
    )


def lead_sentence(text: str, sentences: ArticleSentences) -> str | None:
    """The article's first real sentence (not a URL or a dateline), cut at a word to LEAD_MAX_CHARS."""
    for start, end in sentences.spans:
        sentence = " ".join(text[start:end].split())
        if len(sentence.split()) < LEAD_MIN_WORDS or _URLISH.search(sentence):
            continue
        if len(sentence) <= LEAD_MAX_CHARS:
            return sentence
        cut = sentence[: LEAD_MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:-–—")
        return cut + "…"
    return None


def mean_vector(sentences: ArticleSentences) -> np.ndarray:
    """The unit-length mean of an article's sentence vectors (zeros when it has none)."""
    if not len(sentences.spans):
        return np.zeros(EMBEDDING_DIM, dtype=np.float32)
    mean = np.asarray(sentences.vectors, dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm > 0 else mean).astype(np.float32)


def _dateline(
    article: Article, dates: list[tuple[int, int, str]], spans: tuple[tuple[int, int], ...] = ()
) -> tuple[str | None, str | None]:
    """The publication date, else the first date near the top of the text that dates the article's own event.

    Dates near the top that the text gives for something else (a birth, the start of a state, a
    past event in a relative clause or naming a noun, an obituary's life dates) are skipped: see
    :func:`own_date` (ECB+: 4 lead dates of that kind, see BENCHMARKS.md).
    """
    if article.published:
        return article.published, "published"
    for start, end, date in dates:
        if start >= DATELINE_CHARS:
            break
        sentence = next(((a, b) for a, b in spans if a <= start < b), None)
        if own_date(article.text, start, end, sentence):
            return date, "text"
    return None, None


def _top(counts: Counter[str], limit: int) -> tuple[tuple[str, int], ...]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(ranked[:limit])
