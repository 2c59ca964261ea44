"""A readable overview of what a store holds: the main job's closing report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from storyline.store.base import Store


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
    return CorpusSummary(
        articles=total,
        sources=dict(sources.most_common()),
        languages=dict(languages.most_common()),
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
        undated=total - len(dates),
        reuse=dict(reuse),
    )
