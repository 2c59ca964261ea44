"""The records the event and story stages produce, and their export dictionaries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storyline.records import Span


@dataclass(frozen=True, slots=True)
class Event:
    """One real-world event: the articles that report it, in date order (undated last).

    ``start_date``/``end_date`` (YYYY-MM-DD) span the members' publication dates, or the dates
    written at the top of their texts; None when no member is dated. ``story`` is the id of the
    story the event belongs to. ``confidence`` holds, for each article in ``articles``, the
    calibrated confidence (0-1) that it reports this event together with the others (for an article
    alone in its event: that no other article of the corpus reports it); empty when not computed.
    """

    id: str
    title: str
    articles: tuple[str, ...]
    start_date: str | None
    end_date: str | None
    story: str
    confidence: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    """Events about the same subject over months or years, with a title from its key terms."""

    id: str
    title: str
    events: tuple[str, ...]
    articles: tuple[str, ...]
    start_date: str | None
    end_date: str | None




@dataclass(frozen=True, slots=True)
class FramingTerm:
    """A word or phrase that sets one group (source) apart from the others in a story.

    ``z`` is the log-odds ratio with an informative Dirichlet prior divided by its standard
    deviation (Monroe, Colaresi & Quinn 2008); ``count`` is how often the group used it.
    """

    term: str
    z: float
    count: int
    sentences: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class CoverageArticle:
    """One article of a story's view: id, outlet, date, title, and its name (title, else first words)."""

    id: str
    source: str
    published: str | None
    title: str | None
    label: str = ""


@dataclass(frozen=True, slots=True)
class EventView:
    """An event as shown in a story's view: the event and its articles."""

    event: Event
    articles: tuple[CoverageArticle, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story's view: its events in date order and how many articles each source wrote."""

    story: Story
    events: tuple[EventView, ...]
    coverage: tuple[tuple[str, int], ...]


def event_record(event: Event) -> dict[str, Any]:
    """The export record of an event: id, title, articles, start_date, end_date, story, members.

    ``members`` lists each article with the confidence of its membership (when computed).
    """
    record: dict[str, Any] = {
        "id": event.id, "title": event.title, "articles": list(event.articles),
        "start_date": event.start_date, "end_date": event.end_date, "story": event.story,
    }
    if event.confidence:
        record["members"] = [{"article": a, "confidence": c}
                             for a, c in zip(event.articles, event.confidence, strict=True)]
    return record


def story_record(story: Story) -> dict[str, Any]:
    """The export record of a story: id, title, events, articles, start_date, end_date."""
    return {
        "id": story.id, "title": story.title, "events": list(story.events), "articles": list(story.articles),
        "start_date": story.start_date, "end_date": story.end_date,
    }


def framing_record(terms: dict[str, list[FramingTerm]]) -> dict[str, list[dict[str, Any]]]:
    """The export form of :func:`framing`'s result: per group, terms with z, count and sentence spans."""
    return {
        group: [
            {"term": t.term, "z": round(t.z, 3), "count": t.count,
             "sentences": [{"article": s.article, "start": s.start, "end": s.end} for s in t.sentences]}
            for t in items
        ]
        for group, items in terms.items()
    }
