"""An entity in a list (its counts) and on its page: roles over time with the characters that give them,
its quotes, the articles that mention it, and the recurring claims it made."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.confidence import shown
from storyline.read.claims import ENTITY_CLAIMS, SpeakerClaim, claims_of_speaker
from storyline.read.common import label
from storyline.read.quotes import QuoteItem, quote_items
from storyline.stages.entities import Entity, EntityRole, entity_to_export
from storyline.stages.entities.names import fold
from storyline.stages.events.index import UNDATED

if TYPE_CHECKING:
    from storyline.read.corpus import Corpus, EntitySummary


# An entity type in words, for readers (the codes are spaCy's labels, which the API keeps as ``type``).
TYPE_WORDS = {"PERSON": "person", "ORG": "organisation", "GPE": "country or city", "LOC": "place",
              "NORP": "nationality or group", "FAC": "building or facility", "PRODUCT": "product",
              "EVENT": "event", "WORK_OF_ART": "work", "LAW": "law"}


def type_words(code: str | None) -> str:
    """An entity type code in words ("GPE" -> "country or city"); "unknown type" for none."""
    if not code:
        return "unknown type"
    return TYPE_WORDS.get(code, code.lower().replace("_", " "))


@dataclass(frozen=True, slots=True)
class EntityItem:
    """An entity as a list shows it: name, type, aliases and its counts (mentions, articles, quotes)."""

    entity: Entity
    articles: int
    quotes: int

    @classmethod
    def of(cls, summary: EntitySummary) -> EntityItem:
        """The list view of a corpus entity summary."""
        return cls(summary.entity, summary.articles, summary.quotes)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (no mention list: see the entity's page)."""
        e = self.entity
        return {"id": e.id, "name": e.name, "type": e.type, "type_label": type_words(e.type),
                "type_confidence": e.type_confidence,
                "aliases": list(e.aliases), "mentions": len(e.mentions), "articles": self.articles,
                "quotes": self.quotes}


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """Where a role is written: article id and character offsets."""

    article: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RoleOverTime:
    """A title an entity held, with the first date it is seen at, the articles (labels) that give it, the
    characters that give it, and the best confidence among its mentions (None where none was computed)."""

    title: str
    date: str | None
    articles: tuple[str, ...]
    confidence: float | None
    spans: tuple[RoleSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class EntityArticle:
    """An article that mentions the entity: id, file label, date, title and mention count."""

    id: str
    label: str
    published: str | None
    title: str | None
    mentions: int


@dataclass(frozen=True, slots=True)
class EntityDetail:
    """An entity's page: its roles in date order, its quotes (in date order), the articles that mention it,
    and the recurring claims it made (``claims_total`` counts one-offs too)."""

    entity: Entity
    roles: tuple[RoleOverTime, ...]
    quotes: tuple[QuoteItem, ...]
    articles: tuple[EntityArticle, ...]
    claims: tuple[SpeakerClaim, ...]
    claims_total: int
    min_confidence: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``entity`` (the export record without its mentions), ``mentions`` (how many),
        ``roles_over_time``, ``quotes``, ``articles``, ``claims``, ``claims_total``, ``min_confidence``."""
        entity = entity_to_export(self.entity)
        entity.pop("mentions")
        return {
            "entity": entity,
            "type_label": type_words(self.entity.type),
            "mentions": len(self.entity.mentions),
            "roles_over_time": [{"title": r.title, "date": r.date, "articles": list(r.articles),
                                 "confidence": r.confidence,
                                 "spans": [{"article": s.article, "start": s.start, "end": s.end} for s in r.spans]}
                                for r in self.roles],
            "quotes": [q.to_dict() for q in self.quotes],
            "articles": [{"id": a.id, "label": a.label, "published": a.published, "title": a.title,
                          "mentions": a.mentions} for a in self.articles],
            "claims": [c.to_dict() for c in self.claims],
            "claims_total": self.claims_total,
            "min_confidence": self.min_confidence,
        }


def entity_items(corpus: Corpus, kind: str | None = None, min_confidence: float = 0.0) -> list[EntityItem]:
    """Entities (of one type), most mentioned first (see :meth:`Corpus.entities`)."""
    return [EntityItem.of(s) for s in corpus.entities(kind, min_confidence)]


def entity_detail(corpus: Corpus, ref: str, min_confidence: float = 0.0) -> EntityDetail:
    """The page of the entity ``ref`` names (see :meth:`Corpus.find_entity`); roles, quotes and speaker
    links under ``min_confidence`` are left out."""
    entity = corpus.find_entity(ref)
    mentions = Counter(m.article for m in entity.mentions)
    quotes = corpus.quotes(speaker=entity.id, min_confidence=min_confidence)
    held = [r for r in entity.roles if shown(r.confidence, min_confidence)]
    ids = sorted(set(mentions) | {q.article for q in quotes} | {r.article for r in held})
    articles = {a.id: a for a in corpus.store.articles(ids)}
    published = {a.id: a.published for a in articles.values()}
    quotes = sorted(quotes, key=lambda q: (published.get(q.article) or UNDATED, q.article, q.start))
    article_rows = tuple(sorted(
        (EntityArticle(a.id, label(a), a.published, a.title, mentions[a.id]) for a in articles.values()),
        key=lambda r: (r.published or UNDATED, r.label),
    ))
    claims = claims_of_speaker(corpus, entity.id)
    recurring = tuple(c for c in claims if len(c.claim.statements) >= 2)[:ENTITY_CLAIMS]
    return EntityDetail(entity, _roles(corpus, entity, held, articles), tuple(quote_items(corpus, quotes)),
                        article_rows, recurring, len(claims), min_confidence)


def _roles(corpus: Corpus, entity: Entity, held: list[EntityRole], articles: dict[str, Any]) -> tuple[RoleOverTime,
                                                                                                        ...]:
    """The roles held, one per (folded title, date), in date order, each with the characters that give it."""
    groups: dict[tuple[str, str | None], list[EntityRole]] = {}
    for role in held:
        groups.setdefault((fold(role.title), role.date), []).append(role)
    titles = {fold(r.title): r.title for r in sorted(held, key=lambda r: r.title)}  # capitalised first
    spans: dict[tuple[str, str], list[RoleSpan]] = {}
    for article_id in sorted({r.article for r in entity.roles}):
        people = corpus.article_people(article_id)
        if people is None:
            continue
        for written in people.people.roles:
            if people.entity_of(written.entity) == entity.id:
                spans.setdefault((fold(written.title), article_id), []).append(
                    RoleSpan(article_id, written.start, written.end))
    rows = []
    for (title, date), rs in groups.items():
        ids = [a for a in dict.fromkeys(r.article for r in rs) if a in articles]
        rows.append(RoleOverTime(titles[title], date, tuple(label(articles[a]) for a in ids),
                                 _best(r.confidence for r in rs),
                                 tuple(s for a in ids for s in spans.get((title, a), []))))
    return tuple(sorted(rows, key=lambda r: (r.date or UNDATED, r.title)))


def _best(confidences: Iterable[float | None]) -> float | None:
    """The highest of the confidences given (None when none was computed)."""
    known = [c for c in confidences if c is not None]
    return max(known) if known else None
