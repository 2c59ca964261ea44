"""A readable overview of what a store holds: the main job's closing report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from storyline.read.corpus import Corpus
from storyline.store.base import Store

# How many of the most quoted people and of the largest stories the summary lists.
MOST_QUOTED = 8
STORIES_SHOWN = 10
CLAIMS_SHOWN = 5


@dataclass(frozen=True, slots=True)
class CorpusSummary:
    """Counts over the corpus: articles, sources, dates, languages and reuse links."""

    articles: int
    sources: dict[str, int]
    languages: dict[str, int]
    first_date: str | None
    last_date: str | None
    undated: int
    reuse: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    quotes: int = 0
    most_quoted: list[tuple[str, int]] = field(default_factory=list)
    events: int = 0
    stories: list[tuple[str, int, int]] = field(default_factory=list)
    claims: list[tuple[str, int, int]] = field(default_factory=list)


def summarise(store: Store) -> CorpusSummary:
    """Count what the store holds."""
    sources: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    dates: list[str] = []
    total = 0
    for article in store.articles():
        total += 1
        sources[article.source or "(unknown)"] += 1
        languages[article.language or "(unknown)"] += 1
        if article.published:
            dates.append(article.published)
    reuse: Counter[str] = Counter(link.kind for link in store.reuse_links())
    corpus = Corpus(store)
    people = corpus.entities()
    quoted = sorted(((s.entity.name, s.quotes) for s in people if s.quotes), key=lambda nq: (-nq[1], nq[0]))
    return CorpusSummary(
        articles=total,
        sources=dict(sources.most_common()),
        languages=dict(languages.most_common()),
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
        undated=total - len(dates),
        reuse=dict(reuse),
        entities=dict(Counter(s.entity.type for s in people).most_common()),
        quotes=len(corpus.quotes()),
        most_quoted=quoted[:MOST_QUOTED],
        events=len(corpus.events()),
        stories=[(s.title, len(s.events), len(s.articles)) for s in corpus.stories()[:STORIES_SHOWN]],
        claims=[(c.text, len(c.statements), len(c.speakers)) for c in corpus.claims(2)[:CLAIMS_SHOWN]],
    )
