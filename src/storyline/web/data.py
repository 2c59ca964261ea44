"""The records behind every page and its JSON twin: one function per view, built from library queries.

An HTML page renders exactly the dictionary its ``/api`` twin returns (plus display-only extras),
so the two cannot disagree. All store access goes through a :class:`Desk`, which serialises it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from storyline.confidence import shown
from storyline.copies import compare, label, list_copies
from storyline.corpus import Corpus, membership
from storyline.errors import StorylineError
from storyline.export import article_record, reuse_record
from storyline.listing import ArticleRow, Catalog, Filters, Page, paginate
from storyline.search import Mode, Searcher, hit_record
from storyline.stages.claims import STANCES, Claim, ClaimStatement
from storyline.stages.entities.names import fold
from storyline.stages.events import event_record, framing_record, story_record, story_view_record
from storyline.stages.quotes import Quote, quote_to_export
from storyline.store import open_store
from storyline.store.base import Store
from storyline.views import claim_timeline, claim_timeline_record, entity_view, entity_view_record
from storyline.web.render import date_range

P = ParamSpec("P")
R = TypeVar("R")


class Desk:
    """One open store with its corpus, catalog and searcher; a lock serialises reads of the connection."""

    def __init__(self, db: str, read_only: bool = True) -> None:
        self.store: Store = open_store(db, read_only=read_only, create=False)
        self.corpus = Corpus(self.store)
        self.catalog = Catalog(self.corpus)
        self.searcher = Searcher(self.catalog)
        self.lock = threading.RLock()
        self.warmed = threading.Event()
        self.stopping = threading.Event()  # set at shutdown: the warm-up stops at its next step
        self.warm_seconds: float | None = None

    def warm(self) -> float:
        """Load what first requests would: the article table and vectors, the stage states, MiniLM.

        The server calls this in a background thread at start-up, so a store of 20,000 articles
        (tens of seconds of state loading) is ready by the time someone opens a page; a request
        arriving meanwhile waits for the lock, as it would have waited for its own loading.
        A stage whose state is missing or outdated is skipped (pages say what to run). Returns
        the seconds it took.

        It stops at its next step once :meth:`stop` was called (a server shutting down does not
        wait for the rest); each step that reads the store holds the lock and checks first, so
        none runs on a closed store.
        """
        started = time.perf_counter()
        steps: list[Callable[[], object]] = [self.catalog.rows, *self.corpus.warm_steps(), self.searcher.vectors]
        try:
            for step in steps:
                with self.lock:
                    if self.stopping.is_set():
                        return time.perf_counter() - started
                    step()
            if not self.stopping.is_set():
                self.searcher.warm()  # loads MiniLM, outside the lock (reads no store)
        except StorylineError:
            pass  # a store that cannot be read: each request reports it in its own words
        finally:
            self.warm_seconds = time.perf_counter() - started
            self.warmed.set()
        return self.warm_seconds

    def stop(self) -> None:
        """Tell the warm-up to stop, wait for the step in progress that reads the store, and close it."""
        self.stopping.set()
        with self.lock:
            self.close()

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
    items = [{"id": s.entity.id, "name": s.entity.name, "type": s.entity.type,
              "type_confidence": s.entity.type_confidence, "aliases": list(s.entity.aliases),
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
def claims_list(desk: Desk, filters: Filters, min_statements: int, offset: int, limit: int) -> dict[str, Any]:
    """Claims stated at least ``min_statements`` times, the most repeated first, with at least one statement
    passing ``filters``: its article passes source, story and entity; ``speaker`` made it; its own date
    (not its article's) falls in the date range. ``matched`` counts those statements."""
    keep = _statement_filter(desk, filters)
    ranked = _ranks(desk)
    items = []
    for found in desk.corpus.claims(min_statements):
        matched = len(found.statements) if keep is None else sum(1 for s in found.statements if keep(s))
        if matched:
            items.append((found, matched))
    page = paginate(items, offset, limit)
    return page_record(page, [{**_claim_summary(desk, c, ranked[c.id]), "matched": n} for c, n in page.items])


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
                   "quotes": len(corpus.quotes()), "claims": len(corpus.claims(2)),
                   "reuse_links": len(catalog.links())},
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
        "claims": _claims_of_article(desk, found.id),
        "source_label": row.source if row else found.source,
        "event": event_record(placed[0]) if placed else None,
        "story": story_record(placed[1]) if placed else None,
        "quotes": [_quote_record(desk, q) for q in corpus.quotes(article=found.id)],
        "mentions": mentions,
        "copied_from": [copy_record(c.source, c) for c in copies if c.derived.id == found.id],
        "copied_by": [copy_record(c.derived, c) for c in copies if c.source.id == found.id],
    }


@locked
def story(desk: Desk, ref: str, min_confidence: float = 0.0) -> dict[str, Any]:
    """One story: events in date order with articles (each with the confidence of its membership; those
    under ``min_confidence`` left out), coverage per source, and framing terms per source."""
    view = desk.corpus.story_view(ref)
    record = story_view_record(view)
    for event, shown_event in zip(record["events"], view.events, strict=True):
        conf = membership(shown_event.event)
        event["articles"] = [{**a, "confidence": conf.get(a["id"])} for a in event["articles"]
                             if shown(conf.get(a["id"]), min_confidence)]
    record["min_confidence"] = min_confidence
    record["framing"] = framing_record(desk.corpus.framing(view.story.id))
    return record


@locked
def entity(desk: Desk, ref: str, min_confidence: float = 0.0) -> dict[str, Any]:
    """One entity: aliases, roles over time (each with the characters that give it), quotes, articles, and the
    recurring claims it made (``claims``, the most repeated first; ``claims_total`` counts one-offs too)."""
    view = entity_view(desk.corpus, ref, min_confidence)
    record = entity_view_record(view)
    record["min_confidence"] = min_confidence
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
    claims = _claims_of_speaker(desk, view.entity.id)
    record["claims_total"] = len(claims)
    record["claims"] = [c for c in claims if c["statements"] >= 2][:ENTITY_CLAIMS]
    return record


@locked
def claim(desk: Desk, ref: str, min_confidence: float = 0.0) -> dict[str, Any]:
    """One claim (an id, merged-away id, rank, or words: the best match): its canonical wording, a summary
    (statements, speakers, date range, stances) and its statements in date order (undated last), each with
    the speaker's role at its date and the characters it comes from (``article``, ``start``, ``end``), and the
    confidence of its membership; statements under ``min_confidence`` are left out."""
    view = claim_timeline(desk.corpus, ref, min_confidence)
    record = claim_timeline_record(view)
    record["min_confidence"] = min_confidence
    record["summary"] = _claim_summary(desk, view.claim, _ranks(desk)[view.claim.id])
    for entry in record["timeline"]:
        row = desk.catalog.row(entry["article"])
        entry["article_label"] = row.label if row else entry["article"]
        entry["speaker_entity"] = _entity_name(desk, entry["speaker"])
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


# --- claims ------------------------------------------------------------------------------------

ENTITY_CLAIMS = 50  # the most recurring claims an entity's page lists (claims_total counts one-offs too)


def _ranks(desk: Desk) -> dict[str, int]:
    """Each claim's rank (1 = the most repeated), the number ``/claims/RANK`` names."""
    return {c.id: n for n, c in enumerate(desk.corpus.claims(), 1)}


def _stances(statements: tuple[ClaimStatement, ...] | list[ClaimStatement]) -> dict[str, int]:
    counts: dict[str, int] = {stance: 0 for stance in STANCES}
    for s in statements:
        counts[s.stance] = counts.get(s.stance, 0) + 1
    return counts


def _claim_summary(desk: Desk, found: Claim, rank: int) -> dict[str, Any]:
    """A claim as a list shows it: wording, rank, statement count, speakers, date range, stance counts."""
    dates = sorted(s.date for s in found.statements if s.date)
    speakers: dict[str, dict[str, Any]] = {}
    for s in found.statements:
        key = s.speaker or s.speaker_name
        if key and key not in speakers:
            name = _entity_name(desk, s.speaker) if s.speaker else None
            speakers[key] = {"id": s.speaker if name else None, "name": name or s.speaker_name or key,
                             "statements": 0}
        if key:
            speakers[key]["statements"] += 1
    return {"id": found.id, "rank": rank, "text": found.text, "statements": len(found.statements),
            "speakers": list(speakers.values()), "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None, "undated": len(found.statements) - len(dates),
            "articles": len(found.articles), "stances": _stances(found.statements)}


def _statement_filter(desk: Desk, filters: Filters) -> Callable[[ClaimStatement], bool] | None:
    """Whether a statement passes ``filters`` (None when nothing is filtered); a statement whose
    membership of its claim is under ``filters.min_confidence`` does not."""
    if filters.empty and not filters.min_confidence:
        return None
    floor = filters.min_confidence
    allowed = desk.catalog.allowed(Filters(filters.source, None, None, filters.story, filters.entity))
    who = desk.corpus.find_entity(filters.speaker).id if filters.speaker else None
    first, last = filters.date_from, filters.date_to

    def keep(s: ClaimStatement) -> bool:
        if s.confidence < floor:
            return False
        if allowed is not None and s.article not in allowed:
            return False
        if who is not None and s.speaker != who:
            return False
        if not (first or last):
            return True
        period = date_range(s.date)
        if period is None:
            return False
        start, end = (d.isoformat() for d in period)
        return not ((first and end < first) or (last and start > last))

    return keep


def _claims_of_speaker(desk: Desk, entity_id: str) -> list[dict[str, Any]]:
    """The claims an entity made, the most repeated first, each with its statements by the entity."""
    out = []
    for rank, found in enumerate(desk.corpus.claims(), 1):
        own = [s for s in found.statements if s.speaker == entity_id]
        if own:
            dates = sorted(s.date for s in own if s.date)
            out.append({"id": found.id, "rank": rank, "text": found.text, "statements": len(found.statements),
                        "by_entity": len(own), "first_date": dates[0] if dates else None,
                        "last_date": dates[-1] if dates else None, "stances": _stances(own)})
    return out


def _claims_of_article(desk: Desk, article_id: str) -> list[dict[str, Any]]:
    """The claims an article's statements belong to, the most repeated first, with those statements."""
    out = []
    for rank, found in enumerate(desk.corpus.claims(), 1):
        here = [s for s in found.statements if s.article == article_id]
        if here:
            out.append({"id": found.id, "rank": rank, "text": found.text, "statements": len(found.statements),
                        "here": [{"start": s.start, "end": s.end, "text": s.text, "stance": s.stance,
                                  "speaker": s.speaker, "speaker_name": s.speaker_name, "quote": s.quote}
                                 for s in sorted(here, key=lambda s: s.start)]})
    return out


def entity_names(desk: Desk) -> Callable[[str], str]:
    """A function naming an entity id (for templates)."""
    return lambda entity_id: _entity_name(desk, entity_id) or entity_id
