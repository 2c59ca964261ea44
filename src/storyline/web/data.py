"""The records behind every page and its JSON twin: one function per view, built from library queries.

An HTML page renders exactly the dictionary its ``/api`` twin returns (plus display-only extras),
so the two cannot disagree. All store access goes through a :class:`Desk`, which serialises it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from storyline.copies import compare, label, list_copies
from storyline.corpus import Corpus
from storyline.export import article_record, reuse_record
from storyline.listing import ArticleRow, Catalog, Filters, Page
from storyline.search import Mode, Searcher, hit_record
from storyline.stages.entities.names import fold
from storyline.stages.events import event_record, framing_record, story_record, story_view_record
from storyline.stages.quotes import Quote, quote_to_export
from storyline.store import open_store
from storyline.store.base import Store
from storyline.views import entity_view, entity_view_record

P = ParamSpec("P")
R = TypeVar("R")


class Desk:
    """One open store with its corpus, catalog and searcher; a lock serialises reads of the connection."""

    def __init__(self, db: str, read_only: bool = True) -> None:
        self.store: Store = open_store(db, read_only=read_only)
        self.corpus = Corpus(self.store)
        self.catalog = Catalog(self.corpus)
        self.searcher = Searcher(self.catalog)
        self.lock = threading.RLock()

    def close(self) -> None:
        """Close the store."""
        self.store.close()


def locked(func: Callable[Concatenate[Desk, P], R]) -> Callable[Concatenate[Desk, P], R]:
    """Run a view function holding the desk's lock (one SQLite connection is shared by all requests)."""

    @wraps(func)
    def run(desk: Desk, *args: P.args, **kwargs: P.kwargs) -> R:
        with desk.lock:
            return func(desk, *args, **kwargs)

    return run


def page_record(page: Page[Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON envelope of one page of a list."""
    return {"items": items, "total": page.total, "offset": page.offset, "limit": page.limit}


def row_record(row: ArticleRow) -> dict[str, Any]:
    """The list form of an article."""
    return asdict(row)


def _quote_record(desk: Desk, quote: Quote) -> dict[str, Any]:
    row = desk.catalog.row(quote.article)
    speaker = _entity_name(desk, quote.speaker)
    return {**quote_to_export(quote), "parts": [list(p) for p in quote.parts], "speaker_entity": speaker,
            "article_label": row.label if row else quote.article, "date": row.published if row else None}


def _entity_name(desk: Desk, entity_id: str | None) -> str | None:
    if not entity_id:
        return None
    try:
        return desk.corpus.find_entity(entity_id).name
    except Exception:  # an id the registry no longer knows: show none rather than fail the page
        return None


# --- lists -------------------------------------------------------------------------------------


@locked
def articles_list(desk: Desk, filters: Filters, offset: int, limit: int) -> dict[str, Any]:
    """Articles passing ``filters``, in ingest order."""
    page = desk.catalog.articles(filters, offset, limit)
    return page_record(page, [row_record(r) for r in page.items])


@locked
def events_list(desk: Desk, filters: Filters, offset: int, limit: int) -> dict[str, Any]:
    """Events in date order."""
    page = desk.catalog.events(filters, offset, limit)
    return page_record(page, [event_record(e) for e in page.items])


@locked
def stories_list(desk: Desk, filters: Filters, offset: int, limit: int) -> dict[str, Any]:
    """Stories, the largest first."""
    page = desk.catalog.stories(filters, offset, limit)
    return page_record(page, [story_record(s) for s in page.items])


@locked
def entities_list(desk: Desk, filters: Filters, kind: str | None, name: str | None, offset: int,
                  limit: int) -> dict[str, Any]:
    """Entities, most mentioned first (without their mention lists: see the entity's own record)."""
    page = desk.catalog.entities(filters, kind, name, offset, limit)
    items = [{"id": s.entity.id, "name": s.entity.name, "type": s.entity.type, "aliases": list(s.entity.aliases),
              "mentions": len(s.entity.mentions), "articles": s.articles, "quotes": s.quotes} for s in page.items]
    return page_record(page, items)


@locked
def quotes_list(desk: Desk, filters: Filters, about: str | None, offset: int, limit: int) -> dict[str, Any]:
    """Quotes in corpus order."""
    page = desk.catalog.quotes(filters, about, offset, limit)
    return page_record(page, [_quote_record(desk, q) for q in page.items])


@locked
def reuse_list(desk: Desk, filters: Filters, kind: str | None, offset: int, limit: int) -> dict[str, Any]:
    """Reuse links, strongest first (alignments left out: see the pair's own record)."""
    page = desk.catalog.reuse(filters, kind, offset, limit)
    items = []
    for link in page.items:
        record = reuse_record(link)
        record["aligned"] = len(record.pop("alignments"))
        src, der = desk.catalog.row(link.source), desk.catalog.row(link.derived)
        record["source_label"] = src.label if src else link.source
        record["derived_label"] = der.label if der else link.derived
        items.append(record)
    return page_record(page, items)


@locked
def search(desk: Desk, query: str, filters: Filters, mode: Mode, offset: int, limit: int) -> dict[str, Any]:
    """Hybrid search results."""
    page = desk.searcher.search(query, filters, mode, offset, limit)
    return {"query": query, "mode": mode, **page_record(page, [hit_record(h) for h in page.items])}


# --- single subjects ---------------------------------------------------------------------------


@locked
def overview(desk: Desk) -> dict[str, Any]:
    """The corpus at a glance: counts, sources, articles per month per source, the largest stories."""
    catalog, corpus = desk.catalog, desk.corpus
    months, series = catalog.timeline()
    stories = corpus.stories()
    return {
        "counts": {"articles": len(catalog.rows()), "sources": len(catalog.sources()), "stories": len(stories),
                   "events": len(corpus.events()), "entities": len(corpus.entities()),
                   "quotes": len(corpus.quotes()), "reuse_links": len(catalog.links())},
        "sources": [{"source": s, "articles": n} for s, n in catalog.sources()],
        "timeline": {"months": months, "series": [{"source": s, "articles": c} for s, c in series]},
        "stories": [story_record(s) for s in stories[:10]],
    }


@locked
def article(desk: Desk, ref: str) -> dict[str, Any]:
    """One article: its text, quotes, entity mentions, event and story, and its copies both ways."""
    corpus = desk.corpus
    found = corpus.article(ref)
    people = corpus.article_people(found.id)
    mentions = []
    if people:
        for m in people.people.mentions:
            entity_id = people.entity_of(m.entity)
            if entity_id:
                mentions.append({"entity": entity_id, "name": _entity_name(desk, entity_id), "start": m.start,
                                 "end": m.end, "text": m.text, "kind": m.kind})
    placed = corpus.story_of(found.id)
    copies = list_copies(desk.store, found.id)
    row = desk.catalog.row(found.id)

    def copy_record(other: Any, c: Any) -> dict[str, Any]:
        return {"article": other.id, "label": label(other), "kind": c.link.kind, "score": round(c.link.score, 4),
                "aligned": c.aligned, "sentences": c.derived_sentences, "direction_basis": c.link.direction_basis}

    return {
        "article": article_record(found),
        "label": label(found),
        "source_label": row.source if row else found.source,
        "event": event_record(placed[0]) if placed else None,
        "story": story_record(placed[1]) if placed else None,
        "quotes": [_quote_record(desk, q) for q in corpus.quotes(article=found.id)],
        "mentions": mentions,
        "copied_from": [copy_record(c.source, c) for c in copies if c.derived.id == found.id],
        "copied_by": [copy_record(c.derived, c) for c in copies if c.source.id == found.id],
    }


@locked
def story(desk: Desk, ref: str) -> dict[str, Any]:
    """One story: events in date order with articles, coverage per source, and framing terms per source."""
    view = desk.corpus.story_view(ref)
    record = story_view_record(view)
    record["framing"] = framing_record(desk.corpus.framing(view.story.id))
    return record


@locked
def entity(desk: Desk, ref: str) -> dict[str, Any]:
    """One entity: aliases, roles over time (each with the characters that give it), quotes, articles."""
    view = entity_view(desk.corpus, ref)
    record = entity_view_record(view)
    record["entity"].pop("mentions")
    record["mentions"] = len(view.entity.mentions)
    spans: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for article_id in sorted({r.article for r in view.entity.roles}):
        people = desk.corpus.article_people(article_id)
        if people is None:
            continue
        for role in people.people.roles:
            if people.entity_of(role.entity) == view.entity.id:
                spans.setdefault((fold(role.title), article_id), []).append(
                    {"article": article_id, "start": role.start, "end": role.end})
    labels = {a.id: a.label for a in view.articles}
    by_label = {v: k for k, v in labels.items()}
    for row in record["roles_over_time"]:
        row["spans"] = [s for name in row["articles"] for s in spans.get((fold(row["title"]), by_label.get(name, "")),
                                                                         [])]
    return record


@locked
def rewrite(desk: Desk, first: str, second: str) -> dict[str, Any]:
    """Two articles' aligned sentences side by side (the stored link between them, else a fresh alignment)."""
    a, b = desk.store.resolve_article(first), desk.store.resolve_article(second)
    comparison = compare(desk.store, a, b)

    def side(art: Any) -> dict[str, Any]:
        return {"id": art.id, "label": label(art), "title": art.title, "source": art.source,
                "published": art.published}

    return {
        "source": side(comparison.source),
        "derived": side(comparison.derived),
        "link": reuse_record(comparison.link) if comparison.link else None,
        "pairs": [{"source_start": al.source_start, "source_end": al.source_end,
                   "source_text": comparison.source.text[al.source_start : al.source_end],
                   "derived_start": al.derived_start, "derived_end": al.derived_end,
                   "derived_text": comparison.derived.text[al.derived_start : al.derived_end],
                   "similarity": round(al.similarity, 4)} for al in comparison.alignments],
    }


def entity_names(desk: Desk) -> Callable[[str], str]:
    """A function naming an entity id (for templates)."""
    return lambda entity_id: _entity_name(desk, entity_id) or entity_id
