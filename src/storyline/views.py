"""Views that gather one subject across the corpus for display: an entity's page, a claim's timeline.

Shared by ``storyline entity`` and the web UI; each view has a JSON record (``*_record``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storyline.confidence import shown
from storyline.copies import label
from storyline.corpus import Corpus
from storyline.stages.claims import Claim
from storyline.stages.entities import Entity, EntityRole, entity_to_export
from storyline.stages.entities.names import fold
from storyline.stages.events.index import UNDATED
from storyline.stages.quotes import Quote, quote_to_export


@dataclass(frozen=True, slots=True)
class RoleOverTime:
    """A title an entity held, with the first date it is seen at and the articles that give it."""

    title: str
    date: str | None
    articles: tuple[str, ...]
    confidence: float | None = None
    """The best confidence among the role's mentions (None where none was computed)."""


@dataclass(frozen=True, slots=True)
class EntityArticle:
    """An article that mentions the entity: id, file label, date, title and mention count."""

    id: str
    label: str
    published: str | None
    title: str | None
    mentions: int


@dataclass(frozen=True, slots=True)
class EntityView:
    """An entity with its roles in date order, its quotes and the articles that mention it."""

    entity: Entity
    roles: tuple[RoleOverTime, ...]
    quotes: tuple[tuple[Quote, str, str | None], ...]
    articles: tuple[EntityArticle, ...]


def entity_view(corpus: Corpus, ref: str, min_confidence: float = 0.0) -> EntityView:
    """The view of the entity ``ref`` names (see :meth:`Corpus.find_entity`); roles, quotes and speaker
    links under ``min_confidence`` are left out."""
    entity = corpus.find_entity(ref)
    mentions = Counter(m.article for m in entity.mentions)
    quotes = corpus.quotes(speaker=entity.id, min_confidence=min_confidence)
    held = [r for r in entity.roles if shown(r.confidence, min_confidence)]
    ids = sorted(set(mentions) | {q.article for q in quotes} | {r.article for r in held})
    articles = {a.id: a for a in corpus.store.articles(ids)}
    roles: dict[tuple[str, str | None], list[EntityRole]] = {}
    for role in held:
        roles.setdefault((fold(role.title), role.date), []).append(role)
    titles = {fold(r.title): r.title for r in sorted(held, key=lambda r: r.title)}  # capitalised first
    role_rows = sorted(
        (RoleOverTime(titles[t], date,
                      tuple(label(articles[a]) for a in dict.fromkeys(r.article for r in rs) if a in articles),
                      _best(r.confidence for r in rs))
         for (t, date), rs in roles.items()),
        key=lambda r: (r.date or UNDATED, r.title),
    )
    quote_rows = tuple(
        (q, label(articles[q.article]), articles[q.article].published)
        for q in sorted(quotes, key=lambda q: (articles[q.article].published or UNDATED, q.article, q.start))
    )
    article_rows = tuple(sorted(
        (EntityArticle(a.id, label(a), a.published, a.title, mentions[a.id]) for a in articles.values()),
        key=lambda r: (r.published or UNDATED, r.label),
    ))
    return EntityView(entity, tuple(role_rows), quote_rows, article_rows)


def _best(confidences: Iterable[float | None]) -> float | None:
    """The highest of the confidences given (None when none was computed)."""
    known = [c for c in confidences if c is not None]
    return max(known) if known else None


def entity_view_record(view: EntityView) -> dict[str, Any]:
    """The JSON form of an entity's view."""
    return {
        "entity": entity_to_export(view.entity),
        "roles_over_time": [{"title": r.title, "date": r.date, "articles": list(r.articles),
                             "confidence": r.confidence} for r in view.roles],
        "quotes": [{**quote_to_export(q), "article_label": name, "date": date} for q, name, date in view.quotes],
        "articles": [{"id": a.id, "label": a.label, "published": a.published, "title": a.title,
                      "mentions": a.mentions} for a in view.articles],
    }


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One statement of a claim's timeline: when, who (in which role), what, where, and its stance."""

    date: str | None
    date_basis: str | None
    speaker: str | None
    speaker_name: str | None
    role: str | None
    text: str
    wording: str
    stance: str
    article: str
    start: int
    end: int
    source: str
    quote: str | None
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class ClaimTimeline:
    """A claim and its statements in date order (undated last)."""

    claim: Claim
    entries: tuple[TimelineEntry, ...]


def claim_timeline(corpus: Corpus, ref: str, min_confidence: float = 0.0) -> ClaimTimeline:
    """The dated timeline of the claim ``ref`` names (see :meth:`Corpus.find_claim`), without the
    statements whose membership confidence is below ``min_confidence``."""
    claim = corpus.find_claim(ref).keep(min_confidence)
    record = corpus.claim_record(claim)
    articles = {a.id: a for a in corpus.store.articles(list(claim.articles))}
    entries = []
    for st, row in zip(claim.statements, record["statements"], strict=True):
        article = articles[st.article]
        entries.append(TimelineEntry(
            st.date, st.date_basis, st.speaker, st.speaker_name, row["role"], st.text, st.wording, st.stance,
            st.article, st.start, st.end, article.source or label(article), st.quote, st.confidence,
        ))
    entries.sort(key=lambda e: (e.date or UNDATED, e.source, e.start))
    return ClaimTimeline(claim, tuple(entries))


def claim_timeline_record(view: ClaimTimeline) -> dict[str, Any]:
    """The JSON form of a claim's timeline."""
    return {
        "claim": {"id": view.claim.id, "text": view.claim.text, "aliases": list(view.claim.aliases)},
        "timeline": [
            {"date": e.date, "date_basis": e.date_basis, "speaker": e.speaker, "speaker_name": e.speaker_name,
             "role": e.role, "text": e.text, "wording": e.wording, "stance": e.stance, "article": e.article,
             "start": e.start, "end": e.end, "source": e.source, "quote": e.quote,
             "confidence": e.confidence}
            for e in view.entries
        ],
    }
