"""Events and stories in lists, a story's page (its events with each article's membership confidence,
coverage per source, framing per source), and a story's framing alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.confidence import shown
from storyline.stages.events import FramingTerm, Story, StoryView, event_record, framing_record, story_record
from storyline.stages.events.records import CoverageArticle, Event, EventView

if TYPE_CHECKING:
    from storyline.read.corpus import Corpus


def membership(event: Event) -> dict[str, float]:
    """Each article's calibrated confidence that it belongs to ``event`` with the others (empty where
    none was computed, and for an event of one article: being alone asserts no shared event, so a
    reader is shown nothing to doubt and nothing is hidden; the export keeps its figure)."""
    if not event.confidence or len(event.articles) < 2:
        return {}
    return dict(zip(event.articles, event.confidence, strict=True))


@dataclass(frozen=True, slots=True)
class EventItem:
    """An event as a list shows it: its export record."""

    event: Event

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the export record)."""
        return event_record(self.event)


@dataclass(frozen=True, slots=True)
class StoryItem:
    """A story as a list shows it: its export record."""

    story: Story

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the export record)."""
        return story_record(self.story)


@dataclass(frozen=True, slots=True)
class StoryFraming:
    """For each source covering a story, the terms that set it apart, with their sentences."""

    terms: dict[str, list[FramingTerm]]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: per source, terms with z, count and sentence spans."""
        return framing_record(self.terms)


def story_framing(corpus: Corpus, ref: str) -> StoryFraming:
    """The framing of the story ``ref`` names (see :meth:`Corpus.framing`)."""
    return StoryFraming(corpus.framing(ref))


@dataclass(frozen=True, slots=True)
class StoryDetail:
    """A story's page: events in date order, each article with the confidence of its membership (those
    under ``min_confidence`` left out), coverage per source, and framing terms per source."""

    view: StoryView
    framing: StoryFraming
    min_confidence: float

    @property
    def story(self) -> Story:
        """The story shown."""
        return self.view.story

    def articles_of(self, event: EventView) -> list[tuple[CoverageArticle, float | None]]:
        """An event's articles shown on the page, each with the confidence of its membership (None where
        none applies); those under ``min_confidence`` are left out."""
        conf = membership(event.event)
        return [(a, conf.get(a.id)) for a in event.articles if shown(conf.get(a.id), self.min_confidence)]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``story``, ``events`` (each with ``sources`` and ``articles``), ``coverage``,
        ``framing``, ``min_confidence``."""
        events = []
        for shown_event in self.view.events:
            events.append({
                **event_record(shown_event.event),
                "sources": list(shown_event.sources),
                "articles": [{"id": a.id, "label": a.label, "source": a.source, "published": a.published,
                              "title": a.title, "confidence": confidence}
                             for a, confidence in self.articles_of(shown_event)],
            })
        return {
            "story": story_record(self.view.story),
            "events": events,
            "coverage": [{"source": source, "articles": count} for source, count in self.view.coverage],
            "framing": self.framing.to_dict(),
            "min_confidence": self.min_confidence,
        }


def story_detail(corpus: Corpus, ref: str, min_confidence: float = 0.0, with_framing: bool = True) -> StoryDetail:
    """The page of the story ``ref`` names (an id, prefix, merged-away id or rank: see :meth:`Corpus.find_story`).

    ``with_framing=False`` leaves the framing empty, for a reader that does not show it (it costs up to a
    second on a large story)."""
    view = corpus.story_view(ref)
    framing = story_framing(corpus, view.story.id) if with_framing else StoryFraming({})
    return StoryDetail(view, framing, min_confidence)
