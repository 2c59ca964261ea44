"""The storage interface every backend implements (SQLite today, a server database later).

Kept small on purpose: articles, per-stage bookkeeping, per-article feature blobs and the
records of each corpus stage. No SQL leaves the backend modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from storyline.records import Article, ReuseLink


class Store(Protocol):
    """What the pipeline, the CLI and the web app need from a store."""

    location: str

    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside commit together or not at all (also on Ctrl-C)."""
        ...

    def exclusive(self, on_wait: Callable[[str], None] | None = None) -> AbstractContextManager[None]:
        """Hold the store's analysis lock (one holder at a time, across processes; released if the
        holder dies). While another holds it, ``on_wait`` is told why and the call waits."""
        ...

    def add_articles(self, articles: Sequence[Article]) -> list[bool]:
        """Insert articles not yet stored; True for each one that was new."""
        ...

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        ...

    def get_article(self, article_id: str) -> Article:
        """The article with this exact id; NotFoundError if absent."""
        ...

    def resolve_article(self, ref: str) -> str:
        """The id an article reference names: an id, a unique id prefix, or a unique file-name prefix."""
        ...

    def articles(self, ids: Sequence[str] | None = None) -> Iterator[Article]:
        """Articles in ingest order (all, or those in ``ids``)."""
        ...

    def count_articles(self) -> int:
        """How many articles are stored."""
        ...

    def pending(self, stage: str) -> list[str]:
        """Ids of the articles ``stage`` has not processed yet, in ingest order."""
        ...

    def processed(self, stage: str) -> list[str]:
        """Ids of the articles ``stage`` has processed, in ingest order."""
        ...

    def mark_done(self, stage: str, ids: Iterable[str]) -> None:
        """Record that ``stage`` has processed these articles."""
        ...

    def put_features(self, kind: str, items: Iterable[tuple[str, bytes]]) -> None:
        """Store per-article feature blobs (sentence vectors, signatures) under ``kind``."""
        ...

    def features(self, kind: str, ids: Sequence[str] | None = None) -> Iterator[tuple[str, bytes]]:
        """Stored feature blobs of ``kind`` (all, or for ``ids``), in ingest order."""
        ...

    def add_reuse_links(self, links: Iterable[ReuseLink]) -> None:
        """Store reuse links (replacing an earlier link between the same two articles)."""
        ...

    def reuse_links(self, article: str | None = None) -> list[ReuseLink]:
        """All reuse links, or those involving ``article``, strongest first."""
        ...

    def put_state(self, name: str, data: bytes) -> None:
        """Store (replace) the state blob of a corpus-level stage (entity registry, event index, ...)."""
        ...

    def state(self, name: str) -> bytes | None:
        """The state blob of a corpus-level stage, None if it never ran."""
        ...

    def state_revision(self, name: str) -> int | None:
        """A number that changes whenever the state blob is written (for caches), None if never."""
        ...

    def put_text_vectors(self, model: str, items: Iterable[tuple[bytes, bytes]]) -> None:
        """Store vectors of texts as ``(key, vector)`` blobs under the encoder ``model``; a key already
        stored keeps its vector (a key names one text, and one text has one vector per model)."""
        ...

    def text_vectors(self, model: str, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The stored vectors of ``model`` among ``keys``, by key (keys never stored are absent)."""
        ...

    def reset_stage(self, stage: str) -> None:
        """Forget what ``stage`` did (its bookkeeping, features and state), so it runs again."""
        ...

    def search_text(self, match: str, limit: int = 50) -> list[tuple[str, float]]:
        """Article ids matching a full-text expression (accent- and case-insensitive), best first,
        with a score (higher is better); QueryError if the expression is malformed."""
        ...

    def schema_version(self) -> int:
        """The schema version of the open store."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...
