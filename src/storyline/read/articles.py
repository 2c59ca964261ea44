"""An article in a list (:class:`~storyline.read.listing.ArticleRow`) and on its page: its text with quotes,
entity mentions, the claims it states, its event and story, and its copies both ways."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.export import article_record
from storyline.read.claims import ArticleClaim, claims_of_article
from storyline.read.common import entity_name, file_label, label
from storyline.read.listing import ArticleRow, article_row
from storyline.read.quotes import QuoteItem, quote_items
from storyline.read.reuse import Copy, kind_words, list_copies
from storyline.records import Article
from storyline.stages.events import Story, event_record, source_label, story_record
from storyline.stages.events.records import Event

if TYPE_CHECKING:
    from storyline.read.corpus import Corpus
    from storyline.store.base import Store

__all__ = ["ArticleClaim", "ArticleDetail", "ArticleMention", "ArticleRow", "article_detail", "article_rows"]


@dataclass(frozen=True, slots=True)
class ArticleMention:
    """An entity mention in the article: the entity's id and current name, and the characters."""

    entity: str
    name: str | None
    start: int
    end: int
    text: str
    kind: str


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """An article's page: the article, its label and source label, the claims it states, its event and story
    (None before the events stage ran), its quotes and mentions, and its copies both ways."""

    article: Article
    claims: tuple[ArticleClaim, ...]
    event: Event | None
    story: Story | None
    quotes: tuple[QuoteItem, ...]
    mentions: tuple[ArticleMention, ...]
    copies: tuple[Copy, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``article`` (the export record, text included), ``label``, ``file``, ``source_label``,
        ``claims``, ``event``, ``story``, ``quotes``, ``mentions``, ``copied_from``, ``copied_by``."""
        me = self.article.id
        return {
            "article": article_record(self.article),
            "label": label(self.article),
            "file": file_label(self.article),
            "claims": [c.to_dict() for c in self.claims],
            "source_label": source_label(self.article),
            "event": event_record(self.event) if self.event else None,
            "story": story_record(self.story) if self.story else None,
            "quotes": [q.to_dict() for q in self.quotes],
            "mentions": [{"entity": m.entity, "name": m.name, "start": m.start, "end": m.end, "text": m.text,
                          "kind": m.kind} for m in self.mentions],
            "copied_from": [_copy(c.source, c) for c in self.copies if c.derived.id == me],
            "copied_by": [_copy(c.derived, c) for c in self.copies if c.source.id == me],
        }


def _copy(other: Article, c: Copy) -> dict[str, Any]:
    return {"article": other.id, "label": label(other), "kind": c.link.kind,
            "kind_label": kind_words(c.link.kind, c.link.score), "score": round(c.link.score, 4),
            "aligned": c.aligned, "sentences": c.derived_sentences, "direction_basis": c.link.direction_basis}


def article_detail(corpus: Corpus, ref: str) -> ArticleDetail:
    """The page of the article ``ref`` names (an id, id prefix or file-name prefix)."""
    found = corpus.article(ref)
    people = corpus.article_people(found.id)
    mentions = []
    if people:
        for m in people.people.mentions:
            entity_id = people.entity_of(m.entity)
            if entity_id:
                mentions.append(ArticleMention(entity_id, entity_name(corpus, entity_id), m.start, m.end, m.text,
                                               m.kind))
    placed = corpus.story_of(found.id)
    return ArticleDetail(
        found, tuple(claims_of_article(corpus, found.id)), placed[0] if placed else None,
        placed[1] if placed else None, tuple(quote_items(corpus, corpus.quotes(article=found.id))),
        tuple(mentions), tuple(list_copies(corpus.store, found.id)),
    )


def article_rows(store: Store) -> list[ArticleRow]:
    """Every article's list view, in ingest order."""
    return [article_row(a) for a in store.articles()]
