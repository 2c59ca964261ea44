"""The story stage: which story a new event joins, and when two stories turn out to be one.

A story is a set of events about one subject, with no time limit. A new event joins the story
whose centroid its first article scores best against (at least STORY_THRESHOLD); otherwise it
opens a story. When an event grows (to 2, 4, 8, ... articles: its centroid changes less and less),
its centroid is scored against the other stories, and a story it now reaches is merged with its
own (the older story keeps its id): evidence gathered later can join two stories, but never
splits one or moves an event's articles.
"""

from __future__ import annotations

from storyline.stages.events.cluster import EventConfig
from storyline.stages.events.groups import ArticleVectors, Group, GroupSet, group_vectors


def best_group(
    groups: GroupSet, vectors: ArticleVectors, weights: tuple[float, float, float], threshold: float,
    exclude: Group | None = None,
) -> Group | None:
    """The group scoring highest for ``vectors`` (at least ``threshold``), first in index order on ties."""
    candidates, dense = groups.candidates(vectors)
    best: Group | None = None
    best_score = threshold
    for group in candidates:
        if group is exclude:
            continue
        score = group.score(vectors, float(dense[group.row]), weights)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = group, score
    return best


def story_for(stories: GroupSet, vectors: ArticleVectors, config: EventConfig) -> Group | None:
    """The story a new event founded by this article joins, None for a new story."""
    return best_group(stories, vectors, config.story_weights, config.story_threshold)


def merge_reached_story(
    stories: GroupSet, events: GroupSet, event: Group, vectors: ArticleVectors, config: EventConfig
) -> str | None:
    """Merge the event's story with another story the event's centroid now reaches; returns the dropped id."""
    assert event.parent is not None
    own = stories.groups[event.parent]
    posed = group_vectors(event, vectors.idf_terms, vectors.idf_entities)
    other = best_group(stories, posed, config.story_weights, config.story_threshold, exclude=own)
    if other is None:
        return None
    keep, drop = (other, own) if other.row < own.row else (own, other)
    stories.absorb(keep, drop, vectors.idf_terms, vectors.idf_entities)
    for group in events.groups.values():
        if group.parent == drop.id:
            group.parent = keep.id
    return drop.id
