"""The corpus at a glance, as the home page and ``/api/overview`` show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.stages.events import Story, story_record
from storyline.stages.events.framing import UNKNOWN_OUTLET

if TYPE_CHECKING:
    from storyline.read.listing import Catalog

STORIES_SHOWN = 10  # the largest stories the overview lists


@dataclass(frozen=True, slots=True)
class Overview:
    """Counts, sources with their article counts, articles per month per source, and the largest stories."""

    counts: dict[str, int]
    sources: list[tuple[str, int]]
    months: list[str]
    series: list[tuple[str, list[int]]]
    stories: list[Story]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``counts``, ``sources``, ``timeline`` (months and series), ``stories``."""
        return {
            "counts": dict(self.counts),
            "sources": [{"source": s, "articles": n} for s, n in self.sources],
            "timeline": {"months": self.months, "series": [{"source": s, "articles": c} for s, c in self.series]},
            "stories": [story_record(s) for s in self.stories],
        }


def overview(catalog: Catalog) -> Overview:
    """The overview of the catalog's corpus."""
    corpus = catalog.corpus
    months, series = catalog.timeline()
    stories = corpus.stories()
    # "unknown outlet" is not an outlet: it is listed with its articles but not counted as a source
    outlets = [s for s, _n in catalog.sources() if s != UNKNOWN_OUTLET]
    # the articles the timeline cannot place (no publication date), for the reader to see beside it
    undated = len(catalog.rows()) - sum(sum(counts) for _source, counts in series)
    counts = {"articles": len(catalog.rows()), "undated": max(undated, 0), "sources": len(outlets),
              "stories": len(stories),
              "events": len(corpus.events()), "entities": len(corpus.entities()), "quotes": len(corpus.quotes()),
              "claims": len(corpus.claims(2)), "reuse_links": len(catalog.links())}
    return Overview(counts, catalog.sources(), months, series, stories[:STORIES_SHOWN])
