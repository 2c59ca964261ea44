"""Latency of search and of every page's JSON twin over a large store, written to BENCHMARKS.md.

    python -m benchmarks.web_latency --n 20000 [--db /tmp/web-bench.db] [--people 1000]

The store is built once (and reused when ``--db`` names an existing one): articles from
:func:`benchmarks.events_speed.synthetic` (real PolNeAR and ECB+ texts, rewritten into clusters,
with random unit sentence vectors, one per distinct sentence: MiniLM over ~300,000 sentences
would take ~30 minutes on this machine and belongs to the sentence stage's benchmark), stored as the
``sentences`` features; the real ``people`` stage (spaCy, ~11 articles/s per core) on the first
``--people`` articles; the real ``events`` stage on all of them. Reuse detection is not run (its
own benchmark covers it), so the rewrite twin aligns its pair on the fly.

Requests go through FastAPI's TestClient in one process (no network), one at a time (up to 100
per route, or fewer when a route has used 30 seconds). The app warms up at start-up in a background
thread (article table, vectors, stage states, the claim matcher from the vectors stored at analysis,
MiniLM: its time is reported) and the routes are timed once it is done; each route's first request
is reported as "cold" (its own caches: a story's framing, a claim's timeline).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import time
from pathlib import Path
from urllib.parse import quote

from benchmarks.events_speed import base_texts, synthetic
from benchmarks.report import table, write_section
from storyline.pipeline import analyse
from storyline.stages.claims.stage import CLAIMS
from storyline.stages.entities.stage import PEOPLE
from storyline.stages.events.stage import EVENTS
from storyline.stages.events.stage import STAGE as EVENTS_STAGE
from storyline.stages.sentences.stage import SENTENCES
from storyline.store import open_store

EVENTS_STATE = EVENTS_STAGE.state_key or EVENTS

# A route stops after this many seconds (having made at least MIN_REQUESTS requests): slow twins
# (a large story's framing) would otherwise hold the benchmark for an hour.
ROUTE_BUDGET_S = 30
MIN_REQUESTS = 5
QUERIES = [
    "election", "Obama", "Clinton campaign", "\"White House\"", "earthquake", "police said", "tax reform",
    "Trump supporters", "hurricane damage", "the Senate vote", "shooting suspect", "immigration policy",
    "Vucic", "oil prices", "\"health care\"", "court ruling", "protest", "missile test", "NATO",
    "a president who refuses to punish Moscow",
]
COMMON = ["said", "new", "year", "people", "state", "government", "week", "report", "city", "officials", "two",
          "first", "last", "country", "time", "told", "former", "national", "public", "news"]


def build(db: str, n: int, people: int, eval_dir: Path, seed: int) -> None:
    """Write ``n`` synthetic articles and their analysis into the store at ``db``."""
    store = open_store(db)
    try:
        started = time.perf_counter()
        corpus = synthetic(n, base_texts(eval_dir), seed)
        while chunk := list(itertools.islice(corpus, 500)):
            with store.transaction():
                store.add_articles([a for a, _s in chunk])
                store.put_features(SENTENCES, ((s.article, s.to_bytes()) for _a, s in chunk))
                store.mark_done(SENTENCES, (a.id for a, _s in chunk))
        print(f"articles and sentences: {time.perf_counter() - started:.0f} s", flush=True)
        ids = store.pending(PEOPLE)
        started = time.perf_counter()
        analyse(store, [PEOPLE], articles=ids[:people])
        with store.transaction():  # the rest count as processed with no people found
            store.mark_done(PEOPLE, ids[people:])
        print(f"people on {min(people, len(ids))}: {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        analyse(store, [CLAIMS], articles=ids[:people])
        with store.transaction():
            store.mark_done(CLAIMS, ids[people:])
        print(f"claims on {min(people, len(ids))}: {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        analyse(store, [EVENTS])
        print(f"events: {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        store.close()


def redo_outdated_events(db: str) -> None:
    """Place a reused store's articles again when its events state is from another version of the stage."""
    store = open_store(db)
    try:
        if store.state_revision(EVENTS_STATE) is None and store.processed(EVENTS):
            started = time.perf_counter()
            store.reset_stage(EVENTS)
            analyse(store, [EVENTS])
            print(f"events placed again (state {EVENTS_STATE}): {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        store.close()


def measure(client: object, paths: list[str], label: str) -> tuple[str, int, float, float, float]:
    """Cold latency (first request) and p50/p95 over the rest, in milliseconds."""
    get = client.get  # type: ignore[attr-defined]
    times = []
    budget = time.perf_counter() + ROUTE_BUDGET_S
    for n, path in enumerate(paths):
        if n > MIN_REQUESTS and time.perf_counter() > budget:
            break
        started = time.perf_counter()
        response = get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code} {response.text[:200]}")
        if n:
            times.append(elapsed)
        else:
            cold = elapsed
    cuts = statistics.quantiles(times, n=20) if len(times) > 1 else times * 19
    return label, len(times), cold, statistics.median(times), cuts[18]


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the store, time every JSON twin, write the ``web-latency`` section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--db", default="/tmp/storyline-web-bench.db")
    parser.add_argument("--people", type=int, default=1000, help="articles the people stage runs on")
    parser.add_argument("--eval", default=str(Path(__file__).resolve().parents[2] / "shared" / "eval"))
    parser.add_argument("--repeat", type=int, default=100, help="requests per route")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    if not os.path.exists(args.db):
        build(args.db, args.n, args.people, Path(args.eval), args.seed)
    redo_outdated_events(args.db)
    from fastapi.testclient import TestClient

    from storyline import nlp
    from storyline.read.corpus import Corpus
    from storyline.web import create_app

    nlp.encode(["warm up"])  # the model load (~2 s) is the measuring process's cost, not the server's
    store = open_store(args.db, read_only=True)
    corpus = Corpus(store)
    count = store.count_articles()
    ids = store.processed(EVENTS)
    stories = corpus.stories()
    entities = [s.entity.id for s in corpus.entities("PERSON")[:50]]
    claims = max(1, min(100, len(corpus.claims(2))))
    # claims named by their words (the claim matcher): the texts of the most repeated claims
    claim_words = [c.text for c in corpus.claims()[:100] if "/" not in c.text and len(c.text) <= 200]
    sources = sorted({a.source for a in store.articles(ids[:200]) if a.source})
    store.close()
    rng = random.Random(args.seed)
    r = args.repeat

    def pick(items: list[str]) -> list[str]:
        return [rng.choice(items) for _ in range(r)]

    def queries() -> list[str]:
        """Distinct queries (a base query and a common word), so no request reuses a cached query vector."""
        made: list[str] = []
        while len(made) < r:
            q = f"{rng.choice(QUERIES)} {rng.choice(COMMON)}"
            if q not in made:
                made.append(q)
        return made

    routes: list[tuple[str, list[str]]] = [
        ("search, hybrid", [f"/api/search?q={quote(q)}" for q in queries()]),
        ("search, full text only", [f"/api/search?q={quote(q)}&mode=text" for q in queries()]),
        ("search, hybrid, source + date filters",
         [f"/api/search?q={quote(q)}&source={s}&from=2015-06-01&to=2016-06-30"
          for q, s in zip(queries(), pick(sources), strict=True)]),
        ("overview `/api/overview`", ["/api/overview"] * r),
        ("articles list, page of 50", [f"/api/articles?offset={rng.randrange(count - 50)}" for _ in range(r)]),
        ("articles list, source + date filters", [f"/api/articles?source={s}&from=2015-06-01&to=2015-12-31"
                                                  for s in pick(sources)]),
        ("article page twin", [f"/api/articles/{i}" for i in pick(ids)]),
        ("events list", [f"/api/events?offset={rng.randrange(100)}" for _ in range(r)]),
        ("stories list", ["/api/stories"] * r),
        ("story page twin", [f"/api/stories/{s.id}" for s in rng.choices(stories[:200], k=r)]),
        ("entities list", ["/api/entities?type=PERSON"] * r),
        ("entity page twin", [f"/api/entities/{quote(e)}" for e in pick(entities)]),
        ("quotes list", [f"/api/quotes?offset={rng.randrange(100)}" for _ in range(r)]),
        ("reuse list", ["/api/reuse"] * r),
        ("claims list", [f"/api/claims?offset={rng.randrange(50)}" for _ in range(r)]),
        ("claim page twin", [f"/api/claims/{rng.randrange(1, claims + 1)}" for _ in range(r)]),
        *([("claim page twin, named by its words (claim matcher)",
            [f"/api/claims/{quote(w, safe='')}" for w in pick(claim_words)])] if claim_words else []),
        ("rewrite page twin (aligned on the fly)", [f"/api/reuse/{a}/{b}" for a, b in
                                                    zip(pick(ids), pick(ids), strict=True)]),
    ]
    app = create_app(args.db)
    rows = []
    with TestClient(app, base_url="http://localhost") as client:
        app.state.desk.warmed.wait()
        warm_s = app.state.desk.warm_seconds
        for label, paths in routes:
            name, n, cold, p50, p95 = measure(client, paths, label)
            rows.append([name, n, f"{cold:.0f}", f"{p50:.1f}", f"{p95:.1f}"])
            print(rows[-1], flush=True)
    search_p95 = max(float(row[4]) for row in rows[:3])
    verdict = "met" if search_p95 < 100 else "NOT met"
    body = f"""## Web and search latency (`storyline.web`, `storyline.search`)

{count:,} articles. {__doc__.split(chr(10), 3)[3].strip()}

People stage ran on the first {args.people:,} articles (its entities and quotes feed the entity, quote and
article twins); events and stories cover all {count:,}. Search: 20 queries (words, phrases, a name, a
paraphrase), drawn at random; hybrid = FTS5 BM25 + MiniLM query vector against article mean vectors,
top 24 re-ranked by best sentence, fused by reciprocal rank. Every search request is a distinct query
(one of 20 base queries plus a common word), so each one pays its MiniLM encoding. Claims cover the
articles the people stage ran on.

Warm-up at start-up (background thread; the server listens meanwhile and a request waits for it):
{warm_s:.1f} s.

{table(["route", "requests", "cold ms", "p50 ms", "p95 ms"], rows)}

Target p95 of search under 100 ms: {verdict} ({search_p95:.0f} ms, the worst of the three search rows)."""
    write_section("web-latency", body, command=f"python -m benchmarks.web_latency --n {args.n} --people "
                                                f"{args.people}")
    print(body)


if __name__ == "__main__":
    main()
