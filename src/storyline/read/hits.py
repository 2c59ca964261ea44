"""A search hit and a page of them: what ``storyline search --json``, ``/api/search`` and the search page show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storyline.read.listing import ArticleRow, Page


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the article, its fused score and ranks, and the sentence that matched best.

    ``text_rank``/``semantic_rank`` are 1-based ranks in each ranking (None when absent); ``match``
    says whether the article has the words, was found by meaning alone, or both; ``highlights`` are
    the query words' offsets in the snippet;
    ``article.text[start:end] == snippet``; ``similarity`` is the cosine of that sentence to the query
    (None when no vectors are stored).
    """

    article: ArticleRow
    score: float
    text_rank: int | None
    semantic_rank: int | None
    start: int
    end: int
    snippet: str
    similarity: float | None
    # Offsets (into the article) of the query's words in the snippet.
    highlights: tuple[tuple[int, int], ...] = ()

    @property
    def match(self) -> str:
        """How the hit was found: ``words`` (it has every term), ``meaning`` (by similarity alone), ``both``."""
        if self.text_rank is not None:
            return "both" if self.semantic_rank is not None else "words"
        return "meaning"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``article`` (id, label, source, published, title), scores, ranks and the span."""
        a = self.article
        return {
            "article": {"id": a.id, "label": a.label, "file": a.file, "source": a.source,
                        "published": a.published, "title": a.title},
            "score": round(self.score, 6), "text_rank": self.text_rank, "semantic_rank": self.semantic_rank,
            "start": self.start, "end": self.end, "snippet": self.snippet,
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "match": self.match, "highlights": [list(h) for h in self.highlights],
        }


@dataclass(frozen=True, slots=True)
class SearchResults:
    """One page of hits for a query in a mode."""

    query: str
    mode: str
    page: Page[Hit]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``query``, ``mode``, and the page envelope (``items``, ``total``, ``offset``, ``limit``)."""
        p = self.page
        return {"query": self.query, "mode": self.mode, "items": [h.to_dict() for h in p.items], "total": p.total,
                "offset": p.offset, "limit": p.limit}
