"""Filtered, paginated lists over a corpus: what the JSON API, the web pages and ``storyline search`` share.

A :class:`Catalog` wraps a :class:`~storyline.read.corpus.Corpus` and keeps a small table of article
metadata (id, label, source, date, title, length) so that filtering 20,000 articles by source or
date does not read their texts; the table is rebuilt only when the number of stored articles
changes (articles are only ever added). Every list takes the same :class:`Filters`.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Generic, TypeVar

from storyline.errors import QueryError
from storyline.read.common import file_label, label
from storyline.read.corpus import Corpus, EntitySummary
from storyline.records import Article, ReuseLink
from storyline.stages.events import Story
from storyline.stages.events.framing import source_label
from storyline.stages.events.records import Event
from storyline.stages.quotes import Quote
from storyline.stages.reuse.stage import REUSE

T = TypeVar("T")
U = TypeVar("U")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The most rows one page may hold; the API validates against it too.
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What a list shows of an article (no text): id, label (its title, else its first words), outlet,
    date, title, words, URL, and the input file's label (how the command line names it)."""

    id: str
    label: str
    source: str
    published: str | None
    title: str | None
    words: int
    url: str | None
    file: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: every field by name (the article's list view)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters every list and search accepts; None means "any".

    ``source`` matches an article's outlet (its domain, site name, JSONL source or wire credit, else
    "unknown outlet") case-insensitively;
    ``date_from``/``date_to`` (YYYY-MM-DD, inclusive) keep dated articles in the range; ``story`` is a
    story reference; ``entity`` keeps articles mentioning that entity; ``speaker`` articles where it speaks;
    ``min_confidence`` hides facts (quotes, speaker links, roles, memberships) below that confidence.
    """

    source: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    story: str | None = None
    entity: str | None = None
    speaker: str | None = None
    min_confidence: float = 0.0

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None and not _is_date(value):
                raise QueryError(f"{name.replace('_', ' ')} {value!r} is not a date: write YYYY-MM-DD")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueryError(f"date from {self.date_from} is after date to {self.date_to}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise QueryError(f"min confidence {self.min_confidence} is out of range: give 0 to 1")

    @property
    def empty(self) -> bool:
        """True when no article filter is set (``min_confidence`` filters facts, not articles)."""
        return not any((self.source, self.date_from, self.date_to, self.story, self.entity, self.speaker))


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: the items, how many match in all, and where the page starts."""

    items: list[T]
    total: int
    offset: int
    limit: int

    def with_items(self, items: Sequence[U]) -> Page[U]:
        """The same page holding ``items`` (its items' views, in order) instead."""
        return Page(list(items), self.total, self.offset, self.limit)


def paginate(items: Sequence[T], offset: int, limit: int) -> Page[T]:
    """The page of ``items`` starting at ``offset`` (QueryError on a negative offset or a bad limit)."""
    if offset < 0:
        raise QueryError(f"offset {offset} is negative: pages start at 0")
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit {limit} is out of range: give 1 to {MAX_LIMIT}")
    return Page(list(items[offset : offset + limit]), len(items), offset, limit)


def article_row(article: Article) -> ArticleRow:
    """The list row of an article."""
    return ArticleRow(article.id, label(article), source_label(article), article.published, article.title,
                      len(article.text.split()), article.url, file_label(article))


class Catalog:
    """Filtered lists over one corpus; caches the article table by article count. Thread-safe reads."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.store = corpus.store
        self._lock = threading.Lock()
        self._rows: tuple[int, list[ArticleRow], dict[str, ArticleRow]] | None = None
        self._links: tuple[tuple[int, int], list[ReuseLink]] | None = None

    # --- the article table ----------------------------------------------------------------------

    def rows(self) -> list[ArticleRow]:
        """Every article's row in ingest order (cached until an article is added)."""
        return self._table()[1]

    def row(self, article_id: str) -> ArticleRow | None:
        """The row of one article id (None if absent)."""
        return self._table()[2].get(article_id)

    def _table(self) -> tuple[int, list[ArticleRow], dict[str, ArticleRow]]:
        count = self.store.count_articles()
        with self._lock:
            if self._rows is None or self._rows[0] != count:
                rows = [article_row(a) for a in self.store.articles()]
                self._rows = (count, rows, {r.id: r for r in rows})
            return self._rows

    def sources(self) -> list[tuple[str, int]]:
        """Source labels with their article counts, the largest first."""
        counts = Counter(r.source for r in self.rows())
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    # --- filters --------------------------------------------------------------------------------

    def allowed(self, filters: Filters) -> set[str] | None:
        """The ids of the articles that pass ``filters`` (None when there is no filter: all pass)."""
        if filters.empty:
            return None
        rows = self.rows()
        if filters.source:
            wanted = filters.source.strip().casefold()
            rows = [r for r in rows if r.source.casefold() == wanted]
        if filters.date_from:
            rows = [r for r in rows if r.published and r.published >= filters.date_from]
        if filters.date_to:
            rows = [r for r in rows if r.published and r.published <= filters.date_to]
        ids = {r.id for r in rows}
        if filters.story:
            ids &= set(self.corpus.find_story(filters.story).articles)
        if filters.entity:
            ids &= {m.article for e in self.corpus.find_entities(filters.entity) for m in e.mentions}
        if filters.speaker:
            who = {e.id for e in self.corpus.find_entities(filters.speaker)}
            ids &= {q.article for q in self.corpus.quotes(min_confidence=filters.min_confidence) if q.speaker in who}
        return ids

    # --- lists ----------------------------------------------------------------------------------

    def articles(self, filters: Filters, offset: int = 0, limit: int = 50) -> Page[ArticleRow]:
        """Articles in ingest order that pass ``filters``."""
        allowed = self.allowed(filters)
        rows = self.rows() if allowed is None else [r for r in self.rows() if r.id in allowed]
        return paginate(rows, offset, limit)

    def events(self, filters: Filters, offset: int = 0, limit: int = 50) -> Page[Event]:
        """Events in date order with at least one article passing ``filters``."""
        allowed = self.allowed(filters)
        events = self.corpus.events()
        if allowed is not None:
            events = [e for e in events if allowed.intersection(e.articles)]
        return paginate(events, offset, limit)

    def stories(self, filters: Filters, offset: int = 0, limit: int = 50) -> Page[Story]:
        """Stories, the largest first, with at least one article passing ``filters``."""
        allowed = self.allowed(filters)
        stories = self.corpus.stories()
        if allowed is not None:
            stories = [s for s in stories if allowed.intersection(s.articles)]
        return paginate(stories, offset, limit)

    def entities(self, filters: Filters, kind: str | None = None, name: str | None = None,
                 offset: int = 0, limit: int = 50) -> Page[EntitySummary]:
        """Entities, most mentioned first, of one type, whose name contains ``name``, mentioned in an
        article passing ``filters``."""
        from storyline.stages.entities.names import fold

        allowed = self.allowed(filters)
        found = self.corpus.entities(kind, filters.min_confidence)
        if name:
            key = fold(name)
            found = [s for s in found if any(key in fold(n) for n in (s.entity.name, *s.entity.aliases))]
        if allowed is not None:
            found = [s for s in found if any(m.article in allowed for m in s.entity.mentions)]
        return paginate(found, offset, limit)

    def quotes(self, filters: Filters, about: str | None = None, offset: int = 0, limit: int = 50) -> Page[Quote]:
        """Quotes in corpus order: of ``filters.speaker`` (any name form), containing the words of
        ``about``, in articles passing the other filters."""
        quotes = self.corpus.quotes(speaker=filters.speaker, about=about, min_confidence=filters.min_confidence)
        allowed = self.allowed(Filters(filters.source, filters.date_from, filters.date_to, filters.story,
                                       filters.entity))
        if allowed is not None:
            quotes = [q for q in quotes if q.article in allowed]
        return paginate(quotes, offset, limit)

    def reuse(self, filters: Filters, kind: str | None = None, offset: int = 0, limit: int = 50) -> Page[ReuseLink]:
        """Reuse links, strongest first, of one kind, with either article passing ``filters``."""
        links = self.links()
        if kind:
            links = [link for link in links if link.kind == kind]
        allowed = self.allowed(filters)
        if allowed is not None:
            links = [link for link in links if link.source in allowed or link.derived in allowed]
        return paginate(links, offset, limit)

    def links(self) -> list[ReuseLink]:
        """Every reuse link, strongest first (cached until the reuse stage processes more articles)."""
        key = (self.store.count_articles(), len(self.store.processed(REUSE)))
        with self._lock:
            if self._links is None or self._links[0] != key:
                self._links = (key, self.store.reuse_links())
            return self._links[1]

    # --- the overview ---------------------------------------------------------------------------

    def timeline(self, top: int = 8) -> tuple[list[str], list[tuple[str, list[int]]]]:
        """Articles per month per source: the months (YYYY-MM, gaps filled) and, for the ``top`` largest
        sources (the rest as "other"), the count in each month. Undated articles are not counted."""
        rows = [r for r in self.rows() if r.published]
        if not rows:
            return [], []
        ranked = [s for s, _n in self.sources()]
        keep = set(ranked[:top])
        months = _months(min(r.published[:7] for r in rows if r.published),
                         max(r.published[:7] for r in rows if r.published))
        at = {m: i for i, m in enumerate(months)}
        series: dict[str, list[int]] = {}
        for r in rows:
            name = r.source if r.source in keep else "other"
            series.setdefault(name, [0] * len(months))[at[str(r.published)[:7]]] += 1
        order = [s for s in ranked if s in series] + (["other"] if "other" in series else [])
        return months, [(s, series[s]) for s in order]


def _is_date(value: str) -> bool:
    if not DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (YYYY-MM), inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{year:04d}-{month:02d}" <= last and len(out) < 1200:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out
