"""Throughput and memory of the event and story stages on a synthetic corpus, written to BENCHMARKS.md.

    python -m benchmarks.events_speed --n 20000 [--eval ../shared/eval]

The corpus is built at run time (never stored) from real article texts: PolNeAR's 924 news
articles and ECB+'s 413 documents. 70% of the synthetic articles are one of these texts with a
random 15% of its sentences dropped and one sentence of another text added, so each real text
yields a cluster of rewrites, as wire copy does; 30% mix 12 sentences of three random texts and
stand alone. 80% get a publication date within a few days of their text's date (spread over
2015-2016), 20% none. Sentence vectors are random unit vectors, one
per distinct sentence (seeded by the sentence, so a shared sentence gets the same vector):
MiniLM would take ~20 minutes here and belongs to the sentence stage, not to this one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import random
import re
import resource
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from benchmarks.report import table, write_section
from storyline.records import Article
from storyline.stages.events import EventFeatures, EventIndex, event_features
from storyline.stages.sentences import ArticleSentences

# Articles handed to the index per call, as the pipeline would per run (incremental growth).
CHUNK = 1000
DROP_SENTENCE = 0.15
UNDATED_SHARE = 0.2
# Articles that are a mix of sentences from three random texts: each is an event of its own.
ONE_OFF_SHARE = 0.3
ONE_OFF_SENTENCES = 12
_SENTENCE = re.compile(r"[^\n.!?]+[.!?]?")


def base_texts(eval_dir: Path) -> list[str]:
    """The real texts the corpus is made from: PolNeAR train/dev texts and ECB+ documents."""
    folders = [eval_dir / "quotes-polnear" / split / "text" for split in ("train", "dev")]
    paths = [p for folder in folders for p in sorted(folder.glob("*.txt"))]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    ecb = eval_dir / "clustering-ecbplus-dev.jsonl"
    texts += [json.loads(line)["text"] for line in ecb.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [t for t in texts if len(t) > 200]


def synthetic(n: int, texts: list[str], seed: int) -> Iterator[tuple[Article, ArticleSentences]]:
    """``n`` articles (rewrites of the real texts) with sentence spans and random sentence vectors."""
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    story_dates = [start + dt.timedelta(days=rng.randrange(730)) for _ in texts]
    split = [[s.strip() for s in _SENTENCE.findall(t) if len(s.strip()) > 20] for t in texts]
    cache: dict[str, np.ndarray] = {}
    for i in range(n):
        k = rng.randrange(len(texts))
        if rng.random() < ONE_OFF_SHARE:
            pool = [s for j in rng.sample(range(len(texts)), 3) for s in split[j]]
            kept = rng.sample(pool, min(len(pool), ONE_OFF_SENTENCES))
        else:
            kept = [s for s in split[k] if rng.random() > DROP_SENTENCE] or split[k][:1]
            other = split[rng.randrange(len(texts))]
            if other:
                kept.insert(rng.randrange(len(kept) + 1), rng.choice(other))
        text = "\n\n".join(kept)
        published = None
        if rng.random() > UNDATED_SHARE:
            published = (story_dates[k] + dt.timedelta(days=rng.randrange(4))).isoformat()
        article_id = hashlib.sha256(f"{i}:{text}".encode()).hexdigest()[:16]
        article = Article(article_id, f"synthetic/{i}.txt", text, source=f"outlet{rng.randrange(60)}.example",
                          published=published)
        spans, at = [], 0
        for sentence in kept:
            at = text.index(sentence, at)
            spans.append((at, at + len(sentence)))
            at += len(sentence)
        vectors = np.stack([_vector(s, cache) for s in kept]) if kept else np.zeros((0, 384), np.float32)
        yield article, ArticleSentences(article_id, tuple(spans), vectors)


def _vector(sentence: str, cache: dict[str, np.ndarray]) -> np.ndarray:
    found = cache.get(sentence)
    if found is None:
        v = np.random.default_rng(zlib.crc32(sentence.encode())).normal(size=384).astype(np.float32)
        found = cache[sentence] = v / np.linalg.norm(v)
    return found


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write the ``events-speed`` section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--eval", default=str(Path(__file__).resolve().parents[2] / "shared" / "eval"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    texts = base_texts(Path(args.eval))
    n_texts = len(texts)
    corpus = synthetic(args.n, texts, args.seed)
    rss_start = _rss_mb()
    index = EventIndex()
    feature_s = place_s = 0.0
    blob_bytes: list[int] = []
    n = 0
    while chunk := list(itertools.islice(corpus, CHUNK)):
        started = time.perf_counter()
        features: list[tuple[Article, EventFeatures]] = [(a, event_features(a, s)) for a, s in chunk]
        feature_s += time.perf_counter() - started
        blob_bytes += [len(f.to_bytes()) for _a, f in features[:100]]
        started = time.perf_counter()
        index.add_all(features)
        place_s += time.perf_counter() - started
        n += len(chunk)
    started = time.perf_counter()
    events, stories = index.events(), index.stories()
    list_s = time.perf_counter() - started
    rss_index = _rss_mb()
    started = time.perf_counter()
    state = json.dumps(index.to_state())
    restored = EventIndex.from_state(json.loads(state))
    state_s = time.perf_counter() - started
    assert len(restored.events()) == len(events)
    rss_state = _rss_mb()

    largest = max(stories, key=lambda s: len(s.articles))
    rows: list[list[object]] = [
        ["event features (per article, pure)", f"{feature_s:.1f}", f"{n / feature_s:.0f}"],
        [f"events + stories (`add_all`, chunks of {CHUNK})", f"{place_s:.1f}", f"{n / place_s:.0f}"],
        ["list events and stories with titles", f"{list_s:.1f}", f"{n / list_s:.0f}"],
        ["state to JSON and back", f"{state_s:.1f}", f"{n / state_s:.0f}"],
    ]
    body = f"""## Event and story throughput (`storyline.stages.events`)

{n:,} synthetic articles, one process. {__doc__.split(chr(10), 3)[3].strip()}

{table(["step", "seconds", "articles/s"], rows)}

Result: {len(events):,} events ({sum(len(e.articles) > 1 for e in events):,} with more than one article) in
{len(stories):,} stories (the largest: {len(largest.articles):,} articles in {len(largest.events):,} events;
the synthetic corpus rewrites {n_texts:,} real texts, so a story much larger than their share would be chaining).
Stored features: {sum(blob_bytes) / len(blob_bytes) / 1024:.1f} KiB per article
(`EventFeatures.to_bytes`);
index state: {len(state) / 2**20:.0f} MiB of JSON. Peak resident memory of the process: {rss_start:.0f} MiB
before the first article (libraries and the base texts), {rss_index:.0f} MiB with all {n:,} articles placed
(features and sentence vectors are made and dropped per chunk of {CHUNK}, as the pipeline would read them
from the store), {rss_state:.0f} MiB after writing and reading back the state."""
    write_section("events-speed", body, command=f"python -m benchmarks.events_speed --n {args.n}")
    print(body)


if __name__ == "__main__":
    main()
