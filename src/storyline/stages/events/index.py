"""The corpus-level, incremental event and story index.

Each article is placed once, when it is added: it joins the best-scoring event (text, entities,
sentence vectors, time rules) or opens a new one. Once a batch is placed, its new and grown
events are linked to stories by average link (see ``stories``). When an event grows to 2, 4, 8,
... articles, its centroid may reach another event's, and the two merge (the older keeps its id;
``event_id`` follows a merged id): evidence gathered later can join two events about one thing,
but an article never moves anywhere else, so adding articles never reshuffles unrelated events.
Ids are hashes of the founding article (event) and founding event (story), so the same corpus in
the same order gives the same ids.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from storyline.confidence import calibrate
from storyline.records import Article
from storyline.stages.events.calibration import MEMBERSHIP_KNOTS
from storyline.stages.events.cluster import Centroid, EventConfig, Idf, range_gap, tf_vector, weigh
from storyline.stages.events.features import EMBEDDING_DIM, EventFeatures
from storyline.stages.events.groups import ArticleVectors, Group, GroupSet, group_vectors
from storyline.stages.events.records import Event, Story
from storyline.stages.events.stories import Neighbours, event_cosines, link_stories
from storyline.stages.events.titles import characteristic_keys, headline_title, keys_title

# 2: event merges (``merged_events``); centroid weights packed as float64 bytes.
# 3: the second chance changes where a batch's articles end up, so a corpus placed by version 2
#    is placed again (``analyse`` redoes a stage whose state version changed).
# 4: stories linked per batch by average link over events (``near``: each event's neighbours).
# 5: a story is its events (each event's ``parent``): no story centroids are kept, and an event
#    that grows is linked again.
# 6: time fit (an event's dates span at most max_gap_days; undated and dated sides meet on a
#    year the undated side gives), each event's ``years``, each article's membership ``margin``.
STATE_VERSION = 6
# The margin of an article that no candidate event was even scored against (nothing near it).
ALONE_MARGIN = -1.0
# Sorts after every YYYY-MM-DD, so undated articles come last in date order.
UNDATED = "9999-99-99"


@dataclass(frozen=True, slots=True)
class Placed:
    """What the index remembers of an article: its event, date, title, source and lead sentence."""

    event: str
    date: str | None
    title: str | None
    source: str | None
    lead: str | None = None
    # How clearly the article belongs with its event's other members: the score it (or the half
    # of a merged event it came with) reached over the score it needed; negative for an article
    # alone in its event (by how much its best candidate fell short). The raw score of its
    # membership's confidence (see ``membership_confidence``).
    margin: float | None = None


class EventIndex:
    """Events and stories of a corpus, grown one article at a time."""

    def __init__(self, config: EventConfig | None = None) -> None:
        self.config = config or EventConfig()
        self.n_docs = 0
        self.df_terms: Counter[str] = Counter()
        # Mentions of each entity key, or articles naming it (EventConfig.entity_frequency).
        self.freq_entities: Counter[str] = Counter()
        self.display: dict[str, str] = {}
        self.placed: dict[str, Placed] = {}
        # Ids of stories merged into another: dropped id -> the id it was merged into.
        self.merged_stories: dict[str, str] = {}
        # Ids of events merged into another: dropped id -> the id it was merged into.
        self.merged_events: dict[str, str] = {}
        self._counted: set[str] = set()
        self._idf_at: tuple[Idf, Idf] | None = None
        self._events = GroupSet(self.config.centroid_terms, self.config.centroid_entities, EMBEDDING_DIM)
        self._neighbours = Neighbours(self.config.story_neighbours, self.config.story_scale_floor)
        # Of the batch being placed: events that are new or grew, and (event, story) of events
        # merged into another (their story may be left without events).
        self._touched: set[str] = set()
        self._left: list[tuple[str, str]] = []

    def __len__(self) -> int:
        return len(self.placed)

    def add(self, article: Article, features: EventFeatures) -> str:
        """Place ``article`` in an existing event or a new one; returns the event id (idempotent)."""
        if article.id in self.placed:
            return self.placed[article.id].event
        self._count(article.id, features)
        self._counted.discard(article.id)
        event = self._place(article, features)
        self._link_stories()
        return self.event_id(event)

    def add_all(self, items: Iterable[tuple[Article, EventFeatures]]) -> dict[str, str]:
        """Place a batch: corpus statistics first, then articles in date order (undated last, by id).

        The result does not depend on the order of ``items``. Returns article id -> event id.
        """
        batch = {a.id: (a, f) for a, f in items if a.id not in self.placed}
        for article_id, (_article, features) in batch.items():
            self._count(article_id, features)
        order = sorted(batch.values(), key=lambda af: (af[1].dateline or UNDATED, af[0].id))
        opened = len(self._events.order)
        placed = {article.id: self._place(article, features) for article, features in order}
        self._counted.clear()
        if self.config.second_chance and self.n_docs:
            self._second_chance(self._events.order[opened:])
        self._link_stories()
        return {article_id: self.event_id(event_id) for article_id, event_id in placed.items()}

    def story_id(self, story_id: str) -> str:
        """The current id of a story, following merges (an id that was merged into another)."""
        while story_id in self.merged_stories:
            story_id = self.merged_stories[story_id]
        return story_id

    def event_id(self, event_id: str) -> str:
        """The current id of an event, following merges (an id that was merged into another)."""
        while event_id in self.merged_events:
            event_id = self.merged_events[event_id]
        return event_id

    def event_of(self, article_id: str) -> str | None:
        """The event of an article, None if it was never added."""
        placed = self.placed.get(article_id)
        return placed.event if placed else None

    def events(self) -> list[Event]:
        """Every event, in date order (undated last), with a title and its articles in date order."""
        out = [self._event(group) for group in self._events.groups.values()]
        return sorted(out, key=lambda e: (e.start_date or UNDATED, e.id))

    def stories(self) -> list[Story]:
        """Every story, in date order (undated last), with a title, events and articles in date order."""
        by_story: dict[str, list[Event]] = {}
        for event in self.events():
            by_story.setdefault(event.story, []).append(event)
        out = []
        for story_id, events in by_story.items():
            parts = [self._events.groups[e.id] for e in events]
            articles = self._date_order([m for part in parts for m in part.members])
            dates = [d for e in events for d in (e.start_date, e.end_date) if d]
            title = keys_title(self._characteristic(self._summed(story_id, parts), parts), self.display)
            out.append(Story(story_id, title, tuple(e.id for e in events), articles,
                             min(dates) if dates else None, max(dates) if dates else None))
        return sorted(out, key=lambda s: (s.start_date or UNDATED, s.id))

    def to_state(self) -> dict[str, Any]:
        """The whole index as a JSON-serialisable dictionary (see :meth:`from_state`)."""
        return {
            "version": STATE_VERSION,
            "config": asdict(self.config),
            "n_docs": self.n_docs,
            "df_terms": dict(self.df_terms),
            "freq_entities": dict(self.freq_entities),
            "display": self.display,
            "merged_stories": self.merged_stories,
            "merged_events": self.merged_events,
            "articles": {k: [p.event, p.date, p.title, p.source, p.lead, p.margin] for k, p in self.placed.items()},
            "events": [g.to_state() for g in self._events.groups.values()],
            "near": self._neighbours.near,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> EventIndex:
        """An index restored from :meth:`to_state`; it places new articles exactly as the original would."""
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported event index state version {state.get('version')!r}")
        config: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in state["config"].items()}
        index = cls(EventConfig(**config))
        index.n_docs = int(state["n_docs"])
        index.df_terms = Counter(state["df_terms"])
        index.freq_entities = Counter(state["freq_entities"])
        index.display = dict(state["display"])
        index.merged_stories = dict(state["merged_stories"])
        index.merged_events = dict(state["merged_events"])
        index.placed = {k: Placed(*v) for k, v in state["articles"].items()}
        index._events.restore(state["events"])
        index._neighbours = Neighbours(index.config.story_neighbours, index.config.story_scale_floor, state["near"])
        return index

    def _count(self, article_id: str, features: EventFeatures) -> None:
        if article_id in self._counted:
            return
        self._counted.add(article_id)
        self.n_docs += 1
        self.df_terms.update(t for t, _c in features.terms)
        counts = entity_counts(features)
        self.freq_entities.update(counts if self.config.entity_frequency == "mentions" else counts.keys())
        for key, form in features.display:
            self.display.setdefault("e:" + key, form)
        for key, form in features.term_forms:
            self.display.setdefault("t:" + key, form)

    def _place(self, article: Article, features: EventFeatures) -> str:
        vectors = self._weigh(features)
        date, latest = features.dateline, max(features.years, default=None)
        years = frozenset(features.years) | ({int(date[:4])} if date else set())
        found, margin = self._best_event(vectors, date, latest, years)
        event = found or self._events.open(_digest("ev", article.id))
        if found is not None and margin is not None:
            self._linked(event.members, margin, weaken=False)
        self._events.add(event, article.id, vectors, date, latest, years)
        self._touched.add(event.id)
        self.placed[article.id] = Placed(event.id, date, article.title, article.source, features.lead,
                                         ALONE_MARGIN if margin is None else round(margin, 4))
        size = len(event.members)
        if self.config.event_merge_threshold is not None and size > 1 and size & (size - 1) == 0:
            event = self._merge_events(event, vectors)  # at 2, 4, 8, ... members
        return event.id

    def _link_stories(self) -> None:
        """Link the batch's new and grown events to stories (see ``stories``).

        They get fresh neighbour cosines first, so every scale is current. Then they are linked
        by average link, with each other and with the stories of the other events; an event
        that grew counts its own story's similarity ``story_stay`` times, so it moves only to a
        story it now reaches clearly better. A cluster that reaches no story keeps a story one
        of its events had (or opens one); a story left without events leads to where its
        event went (``story_id``). Events that did not change never move.
        """
        idf_terms, idf_entities = self._idf()
        alive = self._events.groups
        touched = sorted((alive[e] for e in self._touched if e in alive), key=lambda g: g.row)
        # Every candidate is a live event: the batch's merges are done.
        cosines = {g.id: event_cosines(self._events, g, idf_terms, idf_entities) for g in touched}
        for event_id, found in cosines.items():
            self._neighbours.update(event_id, found)
        linking = [g.id for g in touched]
        home = {g.id: g.parent for g in touched if g.parent is not None}
        held = Counter(g.parent for g in alive.values() if g.parent is not None and g.id not in cosines)
        involved = set(linking) | {o for found in cosines.values() for o in found}
        scales = {e: self._neighbours.scale(e, alive) for e in involved}
        story_of = {e: parent for e in involved if e not in cosines and (parent := alive[e].parent) is not None}
        story_sizes = {story: held[story] for story in set(story_of.values())}
        used = set(held) | set(self.merged_stories)
        links = link_stories(linking, cosines, scales, story_of, story_sizes, self.config.story_threshold,
                             home, self.config.story_stay)
        for link in links:
            story = link.story
            if story is None:  # keep a story of its events that no other event holds, else open one
                free = [h for e in link.events if (h := home.get(e)) is not None and h not in used]
                story = free[0] if free else self._new_story_id(link.events[0], used)
            used.add(story)
            for event_id in link.events:
                alive[event_id].parent = story
        for event_id, story in [*home.items(), *self._left]:
            if story not in used:  # left without events: its id leads to where its event went
                target = alive[self.event_id(event_id)].parent
                assert target is not None
                self.merged_stories[story] = target
                used.add(story)
        self._touched.clear()
        self._left.clear()

    def _new_story_id(self, event_id: str, used: set[str]) -> str:
        """A story id from its founding event that no story has had (an event may found a second one)."""
        story, n = _digest("st", event_id), 1
        while story in used:
            story, n = _digest("st", f"{event_id}#{n}"), n + 1
        return story

    def _summed(self, story_id: str, parts: list[Group]) -> Group:
        """A story as one group: the sums of its events' centroids, uncut (for its title)."""
        idf_terms, idf_entities = self._idf()
        story = Group(story_id, -1, Centroid(sum(len(p.terms.weights) for p in parts)),
                      Centroid(sum(len(p.entities.weights) for p in parts)), np.zeros(0, dtype=np.float32))
        for part in parts:
            story.terms.add(part.terms.weights, idf_terms)
            story.entities.add(part.entities.weights, idf_entities)
        return story

    def _merge_events(self, event: Group, vectors: ArticleVectors) -> Group:
        """Merge ``event`` with another event its grown centroid now reaches (repeatedly); returns the kept one."""
        merge_threshold = self.config.event_merge_threshold
        assert merge_threshold is not None
        while (reached := self._reached_event(event, merge_threshold, vectors.idf_terms, vectors.idf_entities))[0]:
            best, margin = reached
            assert best is not None and margin is not None
            event = self._join_events(event, best, vectors.idf_terms, vectors.idf_entities, margin)
        return event

    def _second_chance(self, opened: list[str]) -> None:
        """Give each event a batch opened that is still one article a second placement, against the final events.

        An article placed before the rest of its event's reports arrived (in date order, a
        report whose date was misread; undated reports, placed last, that came before their
        event grew) opened an event of its own. Once the batch is placed, each such singleton is
        scored as its article would be now (same threshold and time rules) against the other
        events, and joins the best one it reaches. Only events of this batch are looked at, so
        earlier events are never reshuffled; right after one article it changes nothing.
        ECB+: events F1 0.915 -> 0.931 (see BENCHMARKS.md).
        """
        idf_terms, idf_entities = self._idf()
        for event_id in opened:
            event = self._events.groups.get(event_id)
            if event is None or len(event.members) != 1:
                continue
            best, margin = self._reached_event(event, self.config.event_threshold, idf_terms, idf_entities)
            if best is not None and margin is not None:
                self._join_events(event, best, idf_terms, idf_entities, margin)
            elif margin is not None:  # still alone: how far it now falls short of its nearest event
                (member,) = event.members
                self.placed[member] = replace(self.placed[member], margin=round(margin, 4))

    def _reached_event(
        self, event: Group, threshold: float, idf_terms: Idf, idf_entities: Idf
    ) -> tuple[Group | None, float | None]:
        """The other event ``event``'s centroid scores best against, at least ``threshold`` (time rules apply)."""
        posed = group_vectors(event, idf_terms, idf_entities)
        return self._best(posed, lambda group: None if group is event else
                          self._group_threshold(event, group, threshold))

    def _join_events(self, event: Group, other: Group, idf_terms: Idf, idf_entities: Idf, margin: float) -> Group:
        """Merge two events that reached each other by ``margin``; the older keeps its id and story. Returns it."""
        keep, drop = (other, event) if other.row < event.row else (event, other)
        self._linked(min(keep, drop, key=lambda g: len(g.members)).members, margin)
        self._events.absorb(keep, drop, idf_terms, idf_entities)
        self.merged_events[drop.id] = keep.id
        self._neighbours.drop(drop.id)
        self._touched.add(keep.id)
        for member in drop.members:
            placed = self.placed.get(member)
            if placed is not None:
                self.placed[member] = replace(placed, event=keep.id)
        # The kept event is linked again at the end of the batch; the dropped one's story may be
        # left without events (an event of this batch has no story yet).
        keep.parent = keep.parent or drop.parent
        if drop.parent is not None:
            self._left.append((drop.id, drop.parent))
        return keep

    def _linked(self, members: list[str], margin: float, weaken: bool = True) -> None:
        """Members now linked to others by ``margin``: one that was alone takes it; others keep their own
        link, or (``weaken``: their half of a merge) the weaker of the two."""
        for member in members:
            placed = self.placed.get(member)
            if placed is not None:
                own = placed.margin
                if own is not None and own >= 0 and not weaken:
                    continue
                kept = margin if own is None or own < 0 else min(own, margin)
                self.placed[member] = replace(placed, margin=round(kept, 4))

    def _group_threshold(self, event: Group, other: Group, threshold: float) -> float | None:
        """The score two events need to merge, or None when their dates rule it out (as for an article)."""
        config = self.config
        if event.start is not None and other.start is not None:
            return threshold if self._dates_fit(event.start, event.end, other.start, other.end) else None
        if event.start is None and other.start is None:
            return threshold
        undated, dated = (event, other) if event.start is None else (other, event)
        assert dated.start is not None and dated.end is not None
        extra = 0.0
        if not _years_fit(undated.years, dated.start, dated.end):
            if config.evidence_required and (undated is not event or len(event.members) > 1):
                return None
            # an event of one undated article posed against a dated event (the second chance)
            # is held to an article's rule: more score instead of a year
            extra = config.evidence_margin or 0.0
        if (config.merge_year_gap is not None and undated.latest_year is not None
                and int(dated.start[:4]) - undated.latest_year >= config.merge_year_gap):
            return None
        return threshold + config.undated_margin + extra

    def _best_event(
        self, vectors: ArticleVectors, date: str | None, latest: int | None, years: frozenset[int]
    ) -> tuple[Group | None, float | None]:
        """The event the article joins (the highest score above its threshold, time rules apply), and its margin."""
        return self._best(vectors, lambda group: self._threshold(group, date, latest, years))

    def _best(
        self, vectors: ArticleVectors, needed: Callable[[Group], float | None]
    ) -> tuple[Group | None, float | None]:
        """The candidate event whose score exceeds the score it ``needs`` (None: ruled out) by the most.

        Returns it (None when no candidate reaches its score) and the best margin, score minus the
        score needed, over every candidate time allows (negative when none reaches; None: no candidate).
        """
        candidates, dense = self._events.candidates(vectors)
        best: Group | None = None
        best_margin: float | None = None
        for group in candidates:
            threshold = needed(group)
            if threshold is None:
                continue
            margin = group.score(vectors, float(dense[group.row]), self.config.event_weights) - threshold
            if best_margin is None or margin > best_margin:
                best_margin = margin
                best = group if margin >= 0 else None
        return best, best_margin

    def _threshold(self, group: Group, date: str | None, latest: int | None,
                   years: frozenset[int] = frozenset()) -> float | None:
        """The score an article needs to join ``group``, or None when time rules it out.

        Its time must fit the event's: a dated article keeps the event's dates within
        ``max_gap_days`` of each other; an undated article joins a dated event (or a dated article
        an undated one) only on evidence, a year the undated side gives (``year_evidence``).
        """
        config = self.config
        if date is not None and group.start is not None:
            return config.event_threshold if self._dates_fit(date, date, group.start, group.end) else None
        if date is None and group.start is None:
            return config.event_threshold
        extra = 0.0
        if date is None and config.evidence_margin is not None and not _years_fit(years, group.start, group.end):
            extra = config.evidence_margin
        if date is not None and config.evidence_required and not _years_fit(group.years, date, date):
            return None
        if config.year_gap is not None and _years_apart(date, latest, group) >= config.year_gap:
            return None
        return config.event_threshold + config.undated_margin + extra

    def _dates_fit(self, start: str, end: str | None, other_start: str, other_end: str | None) -> bool:
        """Whether two dated ranges may share an event: together they span at most ``max_gap_days``.

        The span is the whole event's, not the gap to its nearest end: a window that every new
        member widens would let an event creep from one year into the next, a month at a time.
        With ``fixed_window`` off, only the gap between the ranges counts (the rule before).
        """
        end, other_end = end or start, other_end or other_start
        if not self.config.fixed_window:
            gap = range_gap(start, end, other_start, other_end)
            return gap is not None and gap <= self.config.max_gap_days
        span = range_gap(min(start, other_start), min(start, other_start), max(end, other_end), max(end, other_end))
        return span is not None and span <= self.config.max_gap_days

    def _idf(self) -> tuple[Idf, Idf]:
        """The IDF of terms and entities at the current corpus size (shared while it does not change)."""
        if self._idf_at is None or self._idf_at[0].n_docs != self.n_docs:
            terms = Idf(self.df_terms, self.n_docs, self.config.min_pair_df)
            self._idf_at = (terms, Idf(self.freq_entities, self.n_docs))
        return self._idf_at

    def _weigh(self, features: EventFeatures) -> ArticleVectors:
        config = self.config
        idf_terms, idf_entities = self._idf()
        terms_tf = tf_vector(dict(features.terms), idf_terms, config.article_terms)
        entities_tf = tf_vector(entity_counts(features), idf_entities, config.article_entities)
        return ArticleVectors(
            terms_tf, entities_tf, weigh(terms_tf, idf_terms), weigh(entities_tf, idf_entities),
            np.asarray(features.vector, dtype=np.float32), idf_terms, idf_entities,
        )

    def _event(self, group: Group) -> Event:
        placed = {m: self.placed[m] for m in group.members if m in self.placed}
        titled = any(p.title for p in placed.values())  # headlines, else the lead sentences stand in
        headlines = {m: p.title if titled else p.lead for m, p in placed.items()}
        title = headline_title(group, headlines, Idf(self.df_terms, self.n_docs)) or keys_title(
            self._characteristic(group), self.display
        )
        assert group.parent is not None
        members = self._date_order(group.members)
        confidence = tuple(membership_confidence(self.placed[m].margin if m in self.placed else None)
                           for m in members)
        return Event(group.id, title, members, group.start, group.end, group.parent, confidence)

    def _characteristic(self, group: Group, parts: list[Group] | None = None) -> list[str]:
        return characteristic_keys(group, Idf(self.df_terms, self.n_docs), Idf(self.freq_entities, self.n_docs),
                                   parts=parts or ())

    def _date_order(self, members: list[str]) -> tuple[str, ...]:
        return tuple(sorted(members, key=lambda m: ((self.placed[m].date if m in self.placed else None) or UNDATED, m)))


def membership_confidence(margin: float | None) -> float:
    """The confidence of an article's event membership from its margin (see ``Placed.margin``).

    Calibrated on ECB+ (``benchmarks.events_ecbplus``): the share of memberships with that margin
    whose article's gold event is its found event's majority event (for an article alone: that
    no other article reports its event).
    """
    return calibrate(ALONE_MARGIN if margin is None else margin, MEMBERSHIP_KNOTS)


def entity_counts(features: EventFeatures) -> dict[str, int]:
    """The entity keys of an article with the full dates it mentions as extra keys ("date:2013-05-03")."""
    counts = dict(features.entities)
    for date in features.mentioned:
        counts["date:" + date] = counts.get("date:" + date, 0) + 1
    return counts


def _years_fit(years: frozenset[int] | None, start: str | None, end: str | None) -> bool:
    """Whether an undated side gives a year within a dated side's years (start to end)."""
    if not years or start is None:
        return False
    first, last = int(start[:4]), int((end or start)[:4])
    return any(first <= y <= last for y in years)


def _years_apart(date: str | None, latest: int | None, group: Group) -> int:
    """How many years a dated side is after the latest year the undated side mentions (0 if unknown)."""
    if date is None and latest is not None and group.start:
        return int(group.start[:4]) - latest
    if date is not None and group.latest_year is not None:
        return int(date[:4]) - group.latest_year
    return 0


def _digest(prefix: str, key: str) -> str:
    return f"{prefix}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:12]}"
