"""The local engine against Spark ``local[2]`` on 1,000 real articles, and the sequential part alone.

    python -m benchmarks.engines_speed ../shared/eval [--n 1000] [--index-size 1000000] [--budget 600]

Engines: the first ``--n`` real texts (PolNeAR train and dev, then ECB+ dev documents) are ingested
into two fresh stores and analysed with every stage, once with the local engine (default workers:
every core) and once with ``engine="spark", master="local[2]"``; the rate is articles per second of
wall time of ``analyse`` (model loading and Spark start-up included, as a user sees them), and the
two exports must be equal.

Sequential part: each corpus index (events, entities' registry, claims) is grown alone, in its own
chunks, with the stored items of the local run replayed under new article ids (real features,
repeated), up to ``--index-size`` articles or ``--budget`` seconds per index; the rate is that of the
last chunks added, i.e. what one more batch costs at that size. The events index is also grown on
``benchmarks.events_speed``'s synthetic corpus (varied texts, random sentence vectors).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.report import table, write_section
from storyline.export import build_export
from storyline.ingest.normalise import normalise
from storyline.pipeline import analyse
from storyline.records import Article, RawItem
from storyline.stages.contract import Index, Item, Stage
from storyline.store import open_store
from storyline.store.base import Store

SPARK_MASTER = "local[2]"
INDEX_STAGES = ("people", "events", "claims")
# Chunks whose rate is reported: the last ones, at the size reached.
LAST_CHUNKS = 3


def real_articles(eval_dir: Path, n: int) -> list[Article]:
    """The first ``n`` real texts: PolNeAR train and dev articles, then ECB+ dev documents."""
    folders = [eval_dir / "quotes-polnear" / split / "text" for split in ("train", "dev")]
    paths = [p for folder in folders for p in sorted(folder.glob("*.txt"))]
    raws = [RawItem(path=str(p), text=p.read_text(encoding="utf-8", errors="replace")) for p in paths]
    for line in (eval_dir / "clustering-ecbplus-dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            raws.append(RawItem(path=row["doc"], text="\n\n".join(s for s in row["text"].split("\n") if s.strip())))
    return [normalise(raw) for raw in raws[:n]]


def timed_run(path: str, articles: list[Article], engine: str) -> tuple[float, dict[str, Any]]:
    """Seconds ``analyse`` took on a fresh store of ``articles``, and the store's export."""
    store = open_store(path)
    try:
        with store.transaction():
            store.add_articles(articles)
        started = time.perf_counter()
        analyse(store, engine=engine, master=SPARK_MASTER if engine == "spark" else None)
        seconds = time.perf_counter() - started
        return seconds, build_export(store)
    finally:
        store.close()


def stored_items(store: Store, stage: Stage) -> list[Item]:
    """Every article's item for ``stage``'s index, as the runner replays them."""
    from storyline.engines.catalog import STAGES

    spec = stage.index
    assert spec is not None
    ids = store.processed(stage.name)
    own = {i: stage.features_of(stage.decode(i, b)) for i, b in store.features(stage.name, ids)}
    needs = {r: {i: STAGES[r].decode(i, b) for i, b in store.features(r, ids)} for r in spec.requires}
    return [Item(a, own[a.id], {r: needs[r][a.id] for r in spec.requires}) for a in store.articles(ids)]


def _clones(items: list[Item]) -> Iterator[Item]:
    """The items again and again, each copy under a new article id."""
    for round_ in itertools.count():
        for item in items:
            article = dataclasses.replace(item.article, id=f"{item.article.id[:10]}-{round_}")
            yield Item(article, item.features, item.stored)


def grow(stage: Stage, items: Iterator[Item], size: int, budget: float, indexes: dict[str, Index]) -> tuple[int, float]:
    """Add ``items`` to an empty index of ``stage`` in its chunks up to ``size`` articles or ``budget``
    seconds; the size reached and the articles/s of the last chunks."""
    spec = stage.index
    assert spec is not None
    index = spec.load(None, lambda: iter(()))
    indexes[stage.name] = index
    chunk = max(stage.chunk, 100)
    added, spent, recent = 0, 0.0, []
    while added < size and spent < budget:
        batch = list(itertools.islice(items, chunk))
        started = time.perf_counter()
        index.add(batch, {name: indexes[name] for name in spec.indexes})
        seconds = time.perf_counter() - started
        spent += seconds
        added += len(batch)
        recent = [*recent[-(LAST_CHUNKS - 1):], (len(batch), seconds)]
    return added, sum(n for n, _ in recent) / max(sum(s for _, s in recent), 1e-9)


def synthetic_events(eval_dir: Path, size: int, budget: float) -> tuple[int, float]:
    """The events index grown on the synthetic corpus of ``benchmarks.events_speed``."""
    from benchmarks.events_speed import CHUNK, base_texts, synthetic
    from storyline.stages.events import EventIndex, event_features

    index, corpus = EventIndex(), synthetic(size, base_texts(eval_dir), 7)
    added, spent, recent = 0, 0.0, []
    while spent < budget and (chunk := list(itertools.islice(corpus, CHUNK))):
        features = [(a, event_features(a, s)) for a, s in chunk]
        started = time.perf_counter()
        index.add_all(features)
        seconds = time.perf_counter() - started
        spent += seconds
        added += len(chunk)
        recent = [*recent[-(LAST_CHUNKS - 1):], (len(chunk), seconds)]
    return added, sum(n for n, _ in recent) / max(sum(s for _, s in recent), 1e-9)


def index_rows(store_path: str, eval_dir: Path, size: int, budget: float) -> list[list[object]]:
    """One row per index: the size it reached and articles/s at that size."""
    from storyline.engines.catalog import STAGES

    rows: list[list[object]] = []
    store = open_store(store_path)
    indexes: dict[str, Index] = {}
    try:
        for name in INDEX_STAGES:
            items = stored_items(store, STAGES[name])
            reached, rate = grow(STAGES[name], _clones(items), size, budget, indexes)
            rows.append([f"{name} (stored items of the run, repeated)", f"{reached:,}", f"{rate:,.0f}"])
            print(rows[-1], flush=True)
    finally:
        store.close()
    reached, rate = synthetic_events(eval_dir, size, budget)
    rows.append(["events (synthetic corpus of events_speed)", f"{reached:,}", f"{rate:,.0f}"])
    return rows


def main(argv: list[str] | None = None) -> None:
    """Run both engines and the indexes alone; write the ``engines-speed`` section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval", help="the shared eval folder (../shared/eval)")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--index-size", type=int, default=1_000_000)
    parser.add_argument("--budget", type=float, default=600.0, help="seconds per index at most")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    eval_dir = Path(args.eval)
    articles = real_articles(eval_dir, args.n)
    with tempfile.TemporaryDirectory() as folder:
        local_s, local_doc = timed_run(str(Path(folder) / "local.db"), articles, "local")
        print(f"local {local_s:.1f}s", flush=True)
        spark_s, spark_doc = timed_run(str(Path(folder) / "spark.db"), articles, "spark")
        print(f"spark {spark_s:.1f}s", flush=True)
        same = [k for k in local_doc if local_doc[k] == spark_doc.get(k)]
        differ = [k for k in local_doc if k not in same]
        rows = index_rows(str(Path(folder) / "local.db"), eval_dir, args.index_size, args.budget)
    n = len(articles)
    engines = [
        ["local (worker processes, every core)", f"{local_s:.1f}", f"{n / local_s:.2f}"],
        [f"spark `{SPARK_MASTER}`", f"{spark_s:.1f}", f"{n / spark_s:.2f}"],
    ]
    body = f"""## Engines: local against Spark (`storyline analyse --engine spark`)

{n:,} real articles ({min(n, 924)} PolNeAR train/dev texts, then ECB+ dev documents), every stage, from a
fresh store; wall time of `analyse` including model loading and Spark's start-up.

{table(["engine", "seconds", "articles/s"], engines)}

Spark / local: {local_s / spark_s:.2f} of the local rate. Export sections equal: {", ".join(same) or "none"}
{f"(differ: {', '.join(differ)})" if differ else "(all)"}.

### The sequential part: each corpus index alone

Each index grown alone in its own chunks up to {args.index_size:,} articles or {args.budget:.0f} s of adding
(whichever came first); articles/s of the last {LAST_CHUNKS} chunks, i.e. at the size reached. "Stored items,
repeated": the {n:,} articles' stored features of the local run, added again under new ids (real features,
but the same names and statements recur, so the registry and the claims grow less than on new text).

{table(["index", "size reached (articles)", "articles/s at that size"], rows)}"""
    command = (f"python -m benchmarks.engines_speed {args.eval} --n {args.n} --index-size {args.index_size} "
               f"--budget {args.budget:.0f}")
    write_section("engines-speed", body, command=command)
    print(body)


if __name__ == "__main__":
    main()
