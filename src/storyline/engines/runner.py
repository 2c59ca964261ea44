"""The runner every engine shares: plans the work, reads the store, feeds the indexes, writes.

The per-article work is handed to a *mapper* (worker processes, Spark executors, or this
process), batch by batch; the runner gets the features back in article order and feeds each
corpus index in that order, in this process, in chunks of the stage's own size. So the results
do not depend on the engine or the number of workers: only on the articles and their order.

Articles go round by round (``ROUND`` articles in ingest order): map every pending stage of the
round's articles, then, stage by stage in run order, place the round in the stage's index and
write its features, links, state and bookkeeping in one transaction. An index whose chunk is
larger than a round (events: placed in date order 1,000 at a time) keeps the round's features
until its chunk is full.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.engines.catalog import STAGES, dependents, resolve
from storyline.engines.work import Computed, Task
from storyline.records import Article
from storyline.stages.contract import Index, Item, Stage
from storyline.stages.state import dump_json, load_json
from storyline.store.base import Store

# Articles per round: the people and claims chunks (an interruption loses at most one round of
# their work), and the unit in which every engine hands features back.
ROUND = 100
# Articles per map batch: one encoder call for their sentences (and one for their statements);
# the same batches whatever the engine, so floating-point results are the same everywhere.
MAP_BATCH = 16

Mapper = Callable[[Sequence[Sequence[Task]]], Iterator[Computed]]
"""Computes task batches (in any order, anywhere) and yields their results in the batches' order."""
Progress = Callable[[int], None]
Prepare = Callable[[str, Index, Sequence[Item]], None]
"""A mapper's optional ``prepare(stage, index, items)``: index inputs computed by the engine."""


@dataclass(frozen=True, slots=True)
class StageRun:
    """How many articles one stage processed and what it produced (and how long it took)."""

    stage: str
    articles: int
    produced: int
    seconds: float = 0.0


@dataclass(slots=True)
class _Open:
    """A stage being run: its index, the items waiting for it, and its tallies."""

    stage: Stage
    pending: set[str]
    index: Index | None = None
    waiting: list[tuple[Item, Any]] = field(default_factory=list)
    articles: int = 0
    produced: int = 0
    seconds: float = 0.0


def outdated(store: Store, stage: Stage) -> bool:
    """Whether ``stage`` processed articles into a state of another version (an older storyline)."""
    key = stage.state_key
    return key is not None and store.state_revision(key) is None and bool(store.processed(stage.name))


def plan(store: Store, names: Sequence[str] | None) -> list[Stage]:
    """The stages to run, after forgetting those whose stored state has another version."""
    order = resolve(names)
    for stage in order:
        if outdated(store, stage):
            for reset in [stage.name, *dependents(stage.name)]:
                store.reset_stage(reset)
    return order


def run(
    store: Store,
    order: Sequence[Stage],
    mapper: Mapper,
    progress: Callable[[str, int], Progress | None] | None = None,
    only: Iterable[str] | None = None,
) -> list[StageRun]:
    """Run ``order`` (from :func:`plan`) over every article still pending for some stage (of those
    in ``only``, when given)."""
    import time

    keep = None if only is None else set(only)
    opened = {
        s.name: _Open(s, {i for i in store.pending(s.name) if keep is None or i in keep}) for s in order
    }
    ids = _ingest_order(store, opened)
    bars = {name: progress(name, len(o.pending)) if progress and o.pending else None for name, o in opened.items()}
    read = {n for o in opened.values() if o.pending and o.stage.index for n in o.stage.index.indexes}
    for name, o in opened.items():
        if o.stage.index is not None and (o.pending or name in read):
            start = time.perf_counter()
            o.index = _load_index(store, o.stage)
            o.seconds += time.perf_counter() - start
    prepare: Prepare | None = getattr(mapper, "prepare", None)
    for start in range(0, len(ids), ROUND):
        articles = list(store.articles(ids[start : start + ROUND]))
        features = _map(store, articles, opened, mapper)
        stored: dict[str, dict[str, Any]] = {}
        for name, o in opened.items():
            done = [a for a in articles if a.id in o.pending]
            if not done:
                continue
            began = time.perf_counter()
            stored[name] = {}
            _place(store, o, done, features[name], stored, opened, prepare)
            o.seconds += time.perf_counter() - began
            o.articles += len(done)
            bar = bars.get(name)
            if bar:
                bar(len(done))
    for o in opened.values():  # a chunk larger than a round, not full when the articles ran out
        if o.waiting:
            began = time.perf_counter()
            _flush(store, o, {o.stage.name: {}}, opened, prepare)
            o.seconds += time.perf_counter() - began
    return [StageRun(n, o.articles, o.produced, o.seconds) for n, o in opened.items()]


def _ingest_order(store: Store, opened: dict[str, _Open]) -> list[str]:
    """Every article pending for some stage, once, in ingest order."""
    wanted = set().union(*(o.pending for o in opened.values()))
    # A stage name no stage bears has processed nothing: its pending list is every id, in order.
    return [article_id for article_id in store.pending(_NO_STAGE) if article_id in wanted]


_NO_STAGE = "(every article)"


def _map(store: Store, articles: list[Article], opened: dict[str, _Open], mapper: Mapper) -> dict[str, dict[str, Any]]:
    """The features of every pending stage of ``articles``, by stage and article id (the compute
    seconds are added to each stage's tally: core-seconds, wherever they were spent)."""
    tasks: list[Task] = []
    loads: dict[str, list[str]] = {}
    for article in articles:
        todo = tuple(name for name, o in opened.items() if article.id in o.pending)
        for name in todo:
            for read in STAGES[name].requires:
                if read not in todo:
                    loads.setdefault(read, []).append(article.id)
        tasks.append(Task(article, todo))
    preloaded = {name: _stored(store, STAGES[name], sorted(set(ids))) for name, ids in loads.items()}
    if preloaded:
        tasks = [
            Task(t.article, t.stages, {n: STAGES[n].features_of(v[t.article.id]) for n, v in preloaded.items()
                                       if t.article.id in v})
            for t in tasks
        ]
    batches = [tasks[i : i + MAP_BATCH] for i in range(0, len(tasks), MAP_BATCH)]
    out: dict[str, dict[str, Any]] = {name: {} for name in opened}
    for batch, computed in zip(batches, mapper(batches), strict=True):
        for name, seconds in computed.seconds.items():
            opened[name].seconds += seconds
        for task, result in zip(batch, computed.results, strict=True):
            for name, value in result.items():
                out[name][task.article.id] = value
    return out


def _place(
    store: Store,
    o: _Open,
    done: list[Article],
    features: dict[str, Any],
    stored: dict[str, dict[str, Any]],
    opened: dict[str, _Open],
    prepare: Prepare | None = None,
) -> None:
    """Feed one round of a stage to its index and write what it produced. A stage whose chunk is
    larger than a round keeps the round's items until its chunk is full (the runner places what
    is left at the end); any other places every round, so a later stage of the same round finds
    its stored values.

    ``prepare`` (a mapper's optional ``prepare`` method) is called with the stage name, its index
    and the chunk's items just before they are added: an engine may hand the index inputs it
    computed at scale (the Spark engine: reuse candidates from a join on LSH band keys)."""
    stage = o.stage
    if o.index is None:
        with store.transaction():
            store.put_features(stage.name, ((a.id, stage.encode(features[a.id], None)) for a in done))
            store.mark_done(stage.name, (a.id for a in done))
        for a in done:
            stored[stage.name][a.id] = features[a.id]
            o.produced += stage.counts(features[a.id], None)
        return
    spec = stage.index
    assert spec is not None
    needs = {r: _needed(store, r, done, stored) for r in spec.requires}
    for a in done:
        o.waiting.append((Item(a, features[a.id], {r: needs[r][a.id] for r in spec.requires}), None))
    if len(o.waiting) < stage.chunk and stage.chunk > ROUND:
        return
    _flush(store, o, stored, opened, prepare)


def _flush(
    store: Store, o: _Open, stored: dict[str, dict[str, Any]], opened: dict[str, _Open], prepare: Prepare | None
) -> None:
    """Place a stage's waiting items in its index and write their features, links, state and
    bookkeeping in one transaction."""
    stage, spec = o.stage, o.stage.index
    assert spec is not None
    items = [item for item, _ in o.waiting]
    o.waiting.clear()
    indexes = {name: opened[name].index for name in spec.indexes}
    if prepare is not None and o.index is not None:
        prepare(stage.name, o.index, items)
    placements = o.index.add(items, indexes) if o.index is not None else [None] * len(items)  # type: ignore[arg-type]
    persist = getattr(o.index, "persist", None)  # rows an index keeps besides its state (claims: match vectors)
    if persist is not None:
        persist(store)  # before the state: no stored state lacks them
    blobs = [(item.article.id, stage.encode(item.features, p)) for item, p in zip(items, placements, strict=True)]
    links = [link for p in placements for link in stage.links(p)]
    with store.transaction():
        store.put_features(stage.name, blobs)
        if links:
            store.add_reuse_links(links)
        assert o.index is not None and stage.state_key is not None
        store.put_state(stage.state_key, dump_json(o.index.to_state()))
        store.mark_done(stage.name, (item.article.id for item in items))
    for (article_id, blob), item, p in zip(blobs, items, placements, strict=True):
        stored[stage.name][article_id] = stage.decode(article_id, blob)
        o.produced += stage.counts(item.features, p)


def _needed(store: Store, name: str, done: list[Article], stored: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The stored values of stage ``name`` for ``done``: placed this round, else read from the store."""
    here = stored.get(name, {})
    missing = [a.id for a in done if a.id not in here]
    found = dict(here)
    if missing:
        found.update(_stored(store, STAGES[name], missing))
    absent = [i for i in missing if i not in found]
    if absent:
        raise RuntimeError(f"stage {name!r} has no stored result for {len(absent)} article(s) (e.g. {absent[0]}): "
                           "run `storyline analyse` again")
    return found


def _stored(store: Store, stage: Stage, ids: list[str]) -> dict[str, Any]:
    """Decoded stored values of ``stage`` by article id."""
    return {i: stage.decode(i, blob) for i, blob in store.features(stage.name, ids)}


def _load_index(store: Store, stage: Stage) -> Index:
    """The stage's index as stored, or rebuilt from the stored features of its done articles."""
    spec = stage.index
    assert spec is not None and stage.state_key is not None
    blob = store.state(stage.state_key)
    state = None if blob is None else dict(load_json(blob))

    def replay() -> Iterable[Item]:
        done = store.processed(stage.name)
        for start in range(0, len(done), 1000):
            ids = done[start : start + 1000]
            own = _stored(store, stage, ids)
            needs = {r: _stored(store, STAGES[r], ids) for r in spec.requires}
            for article in store.articles(ids):
                stored = {r: needs[r][article.id] for r in spec.requires}
                yield Item(article, stage.features_of(own[article.id]), stored)

    return spec.load(state, replay)
