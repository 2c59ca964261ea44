"""Stories: which events are about one subject, decided once per batch by average link over events.

A story is a set of events with no time limit. Two events are compared by the cosine of their
term centroids (TF-IDF at the current corpus size), divided by each event's *local scale*: the
mean cosine to its ``k`` nearest events, floored (local scaling, Zelnik-Manor and Perona 2004).
An event in a dense neighbourhood (many reports of one running subject) needs more to link than
an isolated one: two obituaries or two office shootings sharing only their kind of words are
close *for them*, while two events that share a city among much else are not.

A story is its events (each event's ``parent``). When a batch of articles has been placed in
events, the batch's new events and the events it grew are grouped by average link
(Lance-Williams updates over clusters of events) with each other and with the other events'
stories, until no pair of clusters reaches the threshold: a cluster that reaches a story joins
it, the rest keep a story one of their events had or open one. A grown event scores its own
story ``stay`` times higher (hysteresis): its first reports alone chose that story, and it moves
only to a story it now clearly reaches. Events a batch does not change never move, so adding
articles never reshuffles earlier stories.

Each event keeps its nearest neighbours' cosines (``Neighbours``): an event's scale is
recomputed whenever the event is new or grew in a batch, and its cosine is pushed to the
neighbours it found, so old events' scales follow the corpus without a pass over every event.
(A neighbour's entry is overwritten when either side is recomputed, not removed when the pair
stops sharing keys: an old event's scale can lag by that one stale cosine.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.stages.events.cluster import Idf
from storyline.stages.events.groups import Group, GroupSet, group_vectors

# An event's cosines kept per neighbour list: twice the neighbours its scale averages, so an
# entry that leaves (a neighbour merged away, or a cosine recomputed lower) has a stand-in.
KEPT_FACTOR = 2


@dataclass(frozen=True, slots=True)
class StoryLink:
    """Where a cluster of a batch's new events goes: an existing story, or a new one (``story`` None)."""

    story: str | None
    events: tuple[str, ...]


def event_cosines(events: GroupSet, event: Group, idf_terms: Idf, idf_entities: Idf) -> dict[str, float]:
    """Term-centroid cosine of ``event`` with each candidate event (sharing heavy keys); others count 0."""
    posed = group_vectors(event, idf_terms, idf_entities)
    candidates, _dense = events.candidates(posed)
    out = {}
    for group in candidates:
        if group is not event and (cosine := group.terms.cosine(posed.terms, idf_terms)) > 0:
            out[group.id] = cosine
    return out


class Neighbours:
    """Each event's nearest events by term cosine, kept up to date batch by batch."""

    def __init__(self, k: int, floor: float, near: Mapping[str, Mapping[str, float]] | None = None) -> None:
        self.k, self.floor = k, floor
        self.near: dict[str, dict[str, float]] = {e: dict(n) for e, n in (near or {}).items()}

    def update(self, event: str, cosines: Mapping[str, float]) -> None:
        """Record an event's fresh cosines: its own list is replaced, and each neighbour's entry for it."""
        kept = self.k * KEPT_FACTOR
        self.near[event] = dict(_top(cosines, kept))
        for other, cosine in cosines.items():
            theirs = self.near.setdefault(other, {})
            theirs[event] = cosine
            if len(theirs) > kept:
                self.near[other] = dict(_top(theirs, kept))

    def drop(self, event: str) -> None:
        """Forget an event merged into another (its id no longer names an event)."""
        self.near.pop(event, None)

    def scale(self, event: str, alive: Mapping[str, object]) -> float:
        """Mean cosine to the event's ``k`` nearest live events (missing ones count 0), at least ``floor``.

        With ``k`` 0 every event's scale is the floor: a plain average link at cosine
        ``threshold * floor``.
        """
        if self.k == 0:
            return self.floor
        cosines = sorted((c for e, c in self.near.get(event, {}).items() if e in alive), reverse=True)[: self.k]
        return max(self.floor, sum(cosines) / self.k)


def link_stories(
    new: Sequence[str],
    cosines: Mapping[str, Mapping[str, float]],
    scales: Mapping[str, float],
    story_of: Mapping[str, str],
    story_sizes: Mapping[str, int],
    threshold: float,
    home: Mapping[str, str] | None = None,
    stay: float = 1.0,
) -> list[StoryLink]:
    """Average link of the ``new`` events with each other and with existing stories.

    ``cosines[e]`` holds each new event's cosines to other events (new or placed in a story,
    ``story_of``); ``story_sizes`` counts each story's events. Similarities are cosines divided
    by the geometric mean of both events' ``scales``. Clusters merge, best pair first, while
    their average similarity reaches ``threshold``; a cluster merging with an existing story
    joins it. Ties go to the earliest pair (``new`` order, then story order), so the result is
    deterministic. Returns one link per final cluster of new events, in ``new`` order.

    An event already in a story (``home``: event -> its story, the event not counted in it)
    scores that story ``stay`` times higher: hysteresis, so a grown event leaves its story only
    for one it clearly reaches.
    """
    m = len(new)
    if m == 0:
        return []
    position = {e: i for i, e in enumerate(new)}
    stories = sorted({story_of[o] for e in new for o in cosines.get(e, {}) if o in story_of})
    column = {s: m + j for j, s in enumerate(stories)}
    sim = np.zeros((m, m + len(stories)), dtype=np.float64)
    for i, event in enumerate(new):
        for other, cosine in cosines.get(event, {}).items():
            if (scale := np.sqrt(scales[event] * scales[other])) <= 0:
                continue
            scaled = cosine / scale
            if other in position:
                j = position[other]
                sim[i, j] = sim[j, i] = max(sim[i, j], scaled)  # one cosine per pair, from either side
            elif other in story_of:
                story = story_of[other]
                boost = stay if home is not None and home.get(event) == story else 1.0
                sim[i, column[story]] += boost * scaled / story_sizes[story]
    np.fill_diagonal(sim[:, :m], -np.inf)
    sizes = np.ones(m + len(stories))
    for story, at in column.items():
        sizes[at] = story_sizes[story]
    members: list[list[str]] = [[e] for e in new]
    joined: list[str | None] = [None] * m
    active = np.ones(m, dtype=bool)
    while active.any():  # a retired cluster's row and column are -inf
        i, j = (int(x) for x in np.unravel_index(int(np.argmax(sim)), sim.shape))
        if sim[i, j] < threshold:
            break
        if j >= m:  # cluster i joins story j: the story's column takes in cluster i's similarities
            joined[i] = stories[j - m]
            sim[:, j] = (sizes[j] * sim[:, j] + sizes[i] * sim[:, i]) / (sizes[j] + sizes[i])
            sizes[j] += sizes[i]
            _retire(sim, active, i)
            continue
        keep, gone = min(i, j), max(i, j)
        merged = (sizes[keep] * sim[keep] + sizes[gone] * sim[gone]) / (sizes[keep] + sizes[gone])
        sim[keep] = merged
        sim[:, keep] = merged[:m]
        sim[keep, keep] = -np.inf
        sizes[keep] += sizes[gone]
        members[keep].extend(members[gone])
        _retire(sim, active, gone)
    links = []
    for i in range(m):
        if active[i] or joined[i] is not None:
            links.append(StoryLink(joined[i], tuple(members[i])))
    return links


def _retire(sim: np.ndarray, active: np.ndarray, i: int) -> None:
    """Take cluster ``i`` out of the running (as a row and as a column)."""
    active[i] = False
    sim[i, :] = -np.inf
    sim[:, i] = -np.inf


def _top(cosines: Mapping[str, float], n: int) -> Iterable[tuple[str, float]]:
    """The ``n`` highest cosines (ties by id)."""
    return sorted(cosines.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
