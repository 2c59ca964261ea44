"""The records behind every page and its JSON twin: the read views (:mod:`storyline.read`) as dictionaries.

An HTML page renders exactly the dictionary its ``/api`` twin returns (plus display-only extras), and
that dictionary is the view's ``to_dict()``, the shape ``storyline ... --json`` prints too. All store
access goes through a :class:`Desk`, which serialises it; nothing here decides what a view holds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from storyline.errors import StorylineError
from storyline.read import articles as read_articles
from storyline.read import claims as read_claims
from storyline.read import entities as read_entities
from storyline.read import overview as read_overview
from storyline.read import quotes as read_quotes
from storyline.read import reuse as read_reuse
from storyline.read import stories as read_stories
from storyline.read.common import page_dict
from storyline.read.corpus import Corpus
from storyline.read.listing import Catalog, Filters, paginate
from storyline.read.search import Mode, Searcher
from storyline.store import open_store
from storyline.store.base import Store

P = ParamSpec("P")
R = TypeVar("R")


class Desk:
    """One open store with its corpus, catalog and searcher; a lock serialises reads of the connection.

    Slow work that reads no store (building the claim matcher) runs with the lock released
    (:meth:`released`), so a request that needs none of it (an article, a 404 for an unknown id)
    is answered meanwhile.
    """

    def __init__(self, db: str, read_only: bool = True) -> None:
        self.store: Store = open_store(db, read_only=read_only, create=False)
        self.lock = threading.RLock()
        self.corpus = Corpus(self.store, unlocked=self.released)
        self.catalog = Catalog(self.corpus)
        self.searcher = Searcher(self.catalog)
        self.warmed = threading.Event()
        self.stopping = threading.Event()  # set at shutdown: the warm-up stops at its next step
        self.warm_seconds: float | None = None

    def warm(self) -> float:
        """Load what first requests would: the article table and vectors, the stage states, the claim
        matcher (from the vectors stored at analysis; built with the lock released), MiniLM.

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
        steps: list[Callable[[], object]] = [self.catalog.rows, *self.corpus.warm_steps(), self.searcher.vectors,
                                             self._warm_matcher]
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

    def _warm_matcher(self) -> None:
        """Build the claim matcher (from the vectors stored at analysis; the build itself runs with the
        lock released); skipped when the claims analysis is missing or outdated."""
        with suppress(StorylineError):
            self.corpus.claim_matcher()

    @contextmanager
    def released(self) -> Iterator[None]:
        """Let other requests use the store while this thread works without it: the lock is released
        (when this thread holds it) and taken again at the end."""
        try:
            self.lock.release()
        except RuntimeError:  # not held by this thread: nothing to release
            yield
            return
        try:
            yield
        finally:
            self.lock.acquire()

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


# --- lists -------------------------------------------------------------------------------------


@locked
def articles_list(desk: Desk, filters: Filters, offset: int, limit: int) -> dict[str, Any]:
    """Articles passing ``filters``, in ingest order."""
    return page_dict(desk.catalog.articles(filters, offset, limit))


@locked
def events_list(desk: Desk, filters: Filters, offset: int, limit: int) -> dict[str, Any]:
    """Events in date order."""
    page = desk.catalog.events(filters, offset, limit)
    return page_dict(page.with_items([read_stories.EventItem(e) for e in page.items]))


@locked
def stories_list(desk: Desk, filters: Filters, offset: int, limit: int) -> dict[str, Any]:
    """Stories, the largest first."""
    page = desk.catalog.stories(filters, offset, limit)
    return page_dict(page.with_items([read_stories.StoryItem(s) for s in page.items]))


@locked
def entities_list(desk: Desk, filters: Filters, kind: str | None, name: str | None, offset: int,
                  limit: int) -> dict[str, Any]:
    """Entities, most mentioned first (without their mention lists: see the entity's own record)."""
    page = desk.catalog.entities(filters, kind, name, offset, limit)
    return page_dict(page.with_items([read_entities.EntityItem.of(s) for s in page.items]))


@locked
def quotes_list(desk: Desk, filters: Filters, about: str | None, offset: int, limit: int) -> dict[str, Any]:
    """Quotes in corpus order."""
    page = desk.catalog.quotes(filters, about, offset, limit)
    return page_dict(page.with_items(read_quotes.quote_items(desk.corpus, page.items)))


@locked
def reuse_list(desk: Desk, filters: Filters, kind: str | None, offset: int, limit: int) -> dict[str, Any]:
    """Reuse links, strongest first (alignments left out: see the pair's own record)."""
    page = desk.catalog.reuse(filters, kind, offset, limit)
    return page_dict(page.with_items(read_reuse.copies_of(desk.store, page.items)))


@locked
def claims_list(desk: Desk, filters: Filters, min_statements: int, offset: int, limit: int) -> dict[str, Any]:
    """Claims stated at least ``min_statements`` times with a statement passing ``filters``
    (:func:`storyline.read.claims.claim_items`)."""
    return page_dict(paginate(read_claims.claim_items(desk.catalog, filters, min_statements), offset, limit))


@locked
def search(desk: Desk, query: str, filters: Filters, mode: Mode, offset: int, limit: int) -> dict[str, Any]:
    """Hybrid search results."""
    return desk.searcher.results(query, filters, mode, offset, limit).to_dict()


# --- single subjects ---------------------------------------------------------------------------


@locked
def overview(desk: Desk) -> dict[str, Any]:
    """The corpus at a glance: counts, sources, articles per month per source, the largest stories."""
    return read_overview.overview(desk.catalog).to_dict()


@locked
def article(desk: Desk, ref: str) -> dict[str, Any]:
    """One article: its text, quotes, entity mentions, claims, event and story, and its copies both ways."""
    return read_articles.article_detail(desk.corpus, ref).to_dict()


@locked
def story(desk: Desk, ref: str, min_confidence: float = 0.0) -> dict[str, Any]:
    """One story: events with their articles' memberships, coverage and framing per source."""
    return read_stories.story_detail(desk.corpus, ref, min_confidence).to_dict()


@locked
def entity(desk: Desk, ref: str, min_confidence: float = 0.0) -> dict[str, Any]:
    """One entity: aliases, roles over time, quotes, articles and the recurring claims it made."""
    return read_entities.entity_detail(desk.corpus, ref, min_confidence).to_dict()


@locked
def claim(desk: Desk, ref: str, min_confidence: float = 0.0) -> dict[str, Any]:
    """One claim (an id, merged-away id, rank, or words): its summary and dated timeline."""
    return read_claims.claim_detail(desk.corpus, ref, min_confidence).to_dict()


@locked
def rewrite(desk: Desk, first: str, second: str) -> dict[str, Any]:
    """Two articles' aligned sentences side by side (the stored link between them, else a fresh alignment)."""
    return read_reuse.compare(desk.store, first, second).to_dict()
