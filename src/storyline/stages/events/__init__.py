"""Events and stories: which articles report the same real-world event, and which events one subject.

The per-article part (:func:`event_features`) is a pure function of an article and its stored
sentences; the corpus-level part (:class:`EventIndex`) places each new article in an event
and each new event in a story, incrementally, and serialises to JSON between runs.
:func:`framing` finds what sets each source's coverage of a story apart; :func:`story_view`
lays a story out for display.
"""

from storyline.stages.events.cluster import EventConfig
from storyline.stages.events.features import EventFeatures, event_features
from storyline.stages.events.framing import framing, source_label
from storyline.stages.events.index import EventIndex
from storyline.stages.events.records import (
    CoverageArticle,
    Event,
    EventView,
    FramingTerm,
    Story,
    StoryView,
    event_record,
    framing_record,
    story_record,
)
from storyline.stages.events.view import story_view

__all__ = [
    "CoverageArticle",
    "Event",
    "EventConfig",
    "EventFeatures",
    "EventIndex",
    "EventView",
    "FramingTerm",
    "Story",
    "StoryView",
    "event_features",
    "event_record",
    "framing",
    "framing_record",
    "source_label",
    "story_record",
    "story_view",
]
