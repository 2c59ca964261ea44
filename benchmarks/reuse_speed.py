"""Speed and memory of the reuse stage on a synthetic corpus (default 20,000 articles).

Run from the project root::

    python -m benchmarks.reuse_speed [--n 20000] [--no-write]

Builds the corpus with ``benchmarks.synthetic`` (windows of real PolNeAR and ECB+ articles plus
injected duplicates, near-duplicates, partial copies and rewrites), embeds each distinct sentence
once with MiniLM (cached by sentence text in ``--cache``, so a re-run embeds only new sentences;
embedding throughput is measured on a fresh sample every run), then times ``reuse_features`` and
``find_reuse`` in batches, records peak memory, and checks recall of the injected copies. Writes
the ``reuse-speed`` section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from benchmarks.report import table, write_section
from benchmarks.synthetic import Corpus, build_corpus, spans_of
from storyline import nlp
from storyline.records import ReuseLink
from storyline.stages.reuse import ReuseIndex, find_reuse, reuse_features
from storyline.stages.reuse.index import VECTOR_DIM
from storyline.stages.reuse.vectors import SentenceIndex
from storyline.stages.sentences import ArticleSentences

SHARES = {"duplicate": 0.02, "near_duplicate": 0.02, "partial": 0.02, "rewrite": 0.02}
DEFAULT_CACHE = Path.home() / ".cache" / "storyline" / "reuse-bench-sentences.npz"
POOL_SENTENCES = 16_000  # real sentences read for originals (each embedded once)
THROUGHPUT_SAMPLE = 600  # sentences embedded afresh every run to measure MiniLM throughput
SAVE_EVERY = 2_000  # new embeddings between cache saves
LINK_BATCH = 1_000  # articles per find_reuse call
ANN_QUERIES = 5_000  # queries timed in the full-size sentence-index check
ANN_NOISE = 0.025  # per-dimension noise on pool vectors for that check: cosine about 0.9 to the original


def _load_cache(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    data = np.load(path, allow_pickle=False)
    return dict(zip((str(t) for t in data["texts"]), data["vectors"], strict=True))


def _save_cache(path: Path, cache: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    texts = list(cache)
    np.savez(path, texts=np.array(texts), vectors=np.stack([cache[t] for t in texts]).astype(np.float16))


def embed_distinct(texts: list[str], cache_path: Path) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Vectors of every distinct text (cached), and the embedding figures of this run."""
    cache = _load_cache(cache_path)
    distinct = list(dict.fromkeys(texts))
    sample = [t for t in distinct if t not in cache][:THROUGHPUT_SAMPLE] or distinct[:THROUGHPUT_SAMPLE]
    nlp.encode(sample[:8])  # load the model outside the timing
    start = time.perf_counter()
    for text, vector in zip(sample, nlp.encode(sample), strict=True):
        cache[text] = vector
    sample_rate = len(sample) / (time.perf_counter() - start)
    missing = [t for t in distinct if t not in cache]
    start = time.perf_counter()
    for k in range(0, len(missing), SAVE_EVERY):
        chunk = missing[k : k + SAVE_EVERY]
        for text, vector in zip(chunk, nlp.encode(chunk), strict=True):
            cache[text] = vector
        _save_cache(cache_path, cache)
    spent = time.perf_counter() - start
    figures = {"distinct": len(distinct), "sample": len(sample), "sample_rate": sample_rate,
               "embedded": len(missing) + len(sample), "cached": len(distinct) - len(missing) - len(sample),
               "embed_seconds": spent}
    return cache, figures


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Reset the process's peak RSS (VmHWM) so the next reading covers the linking alone."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def link_corpus(corpus: Corpus, vectors: dict[str, np.ndarray]) -> dict[str, object]:
    """Features, then find_reuse in batches; times and memory."""
    start = time.perf_counter()
    features = [reuse_features(a) for a in corpus.articles]
    feature_seconds = time.perf_counter() - start
    items = []
    for article, sentences, feature in zip(corpus.articles, corpus.sentences, features, strict=True):
        matrix = np.stack([vectors[s] for s in sentences]).astype(np.float32)
        items.append((article, ArticleSentences(article.id, tuple(spans_of(article, sentences)), matrix), feature))
    reset = _reset_peak()
    rss_start = _rss_mb("VmRSS")
    index = ReuseIndex()
    links: list[ReuseLink] = []
    start = time.perf_counter()
    for k in range(0, len(items), LINK_BATCH):
        links += find_reuse(index, items[k : k + LINK_BATCH])
    link_seconds = time.perf_counter() - start
    return {"links": links, "feature_seconds": feature_seconds, "link_seconds": link_seconds,
            "rss_start": rss_start, "peak": _rss_mb("VmHWM"), "peak_reset": reset,
            "distinct_sentences": index.distinct_sentences, "exact": index.exact_vectors}


def recall_rows(corpus: Corpus, links: list[ReuseLink]) -> list[list[object]]:
    """Per injected kind: how many were linked, with that kind, in the right direction."""
    found = {frozenset((x.source, x.derived)): x for x in links}
    rows: list[list[object]] = []
    for kind in SHARES:
        pairs = [(s, d) for s, d, k in corpus.injected if k == kind]
        hits = [found.get(frozenset(p)) for p in pairs]
        linked = [(p, h) for p, h in zip(pairs, hits, strict=True) if h is not None]
        rows.append([kind, len(pairs), len(linked) / max(1, len(pairs)),
                     sum(h.kind == kind for _, h in linked) / max(1, len(pairs)),
                     sum(h.source == p[0] for p, h in linked) / max(1, len(linked))])
    return rows


def other_links(corpus: Corpus, links: list[ReuseLink]) -> Counter[str]:
    """Links that are not injected pairs, by how the two articles are related by construction."""
    injected = {frozenset((s, d)) for s, d, _ in corpus.injected}
    origin = {d: s for s, d, _ in corpus.injected}
    texts = {a.id: set(s) for a, s in zip(corpus.articles, corpus.sentences, strict=True)}
    texts.update({d: texts[s] for d, s in origin.items()})  # a derived article counts its source's text
    counts: Counter[str] = Counter()
    for x in links:
        if frozenset((x.source, x.derived)) in injected:
            continue
        if origin.get(x.source, x.source) == origin.get(x.derived, x.derived):
            counts[f"{x.kind}: derived from the same original"] += 1
        elif texts[x.source] & texts[x.derived]:
            counts[f"{x.kind}: share one real sentence (pool reuse)"] += 1
        else:
            counts[f"{x.kind}: unrelated by construction"] += 1
    return counts


def ann_scale_check(vectors: dict[str, np.ndarray], occurrences: int, seed: int) -> dict[str, float]:
    """Time the sentence index when every sentence occurrence is distinct (pool vectors + noise)."""
    rng = np.random.default_rng(seed)
    pool = np.stack(list(vectors.values())).astype(np.float32)
    index = SentenceIndex(VECTOR_DIM, exact=False)
    start = time.perf_counter()
    for k in range(0, occurrences, 1000):
        count = min(1000, occurrences - k)
        batch = pool[rng.integers(0, len(pool), count)] + rng.normal(0, ANN_NOISE, (count, VECTOR_DIM))
        batch /= np.linalg.norm(batch, axis=1, keepdims=True)
        index.add(k, [f"s{k}-{j}" for j in range(count)], batch.astype(np.float32))
    added = time.perf_counter() - start
    queries = pool[rng.integers(0, len(pool), ANN_QUERIES)]
    start = time.perf_counter()
    for k in range(0, ANN_QUERIES, 20):
        index.search(queries[k : k + 20], 24)
    searched = time.perf_counter() - start
    return {"vectors": occurrences, "add_rate": occurrences / added, "query_rate": ANN_QUERIES / searched,
            "rss": _rss_mb("VmRSS")}


def report(args: argparse.Namespace, corpus: Corpus, embedding: dict[str, float], linked: dict[str, object],
           ann: dict[str, float] | None) -> str:
    """The section body."""
    links: list[ReuseLink] = linked["links"]  # type: ignore[assignment]
    n = len(corpus.articles)
    occurrences = sum(len(s) for s in corpus.sentences)
    kinds = Counter(x.kind for x in links)
    injected = Counter(k for _, _, k in corpus.injected)
    link_rate = n / float(linked["link_seconds"])  # type: ignore[arg-type]
    parts = [
        f"### Reuse stage speed on {n:,} synthetic articles",
        "Corpus (`benchmarks/synthetic.py`, seed "
        f"{args.seed}): {n - len(corpus.injected):,} originals, each a random set of 6-20 real sentences "
        f"from {corpus.documents_read:,} articles (PolNeAR train+dev and ECB+ dev texts, read at run time), "
        "no two originals sharing a pair of sentences (so they are unrelated by construction, while each "
        "real sentence recurs in several); plus injected copies of random earlier originals: "
        + ", ".join(f"{injected[k]:,} {k}" for k in SHARES)
        + ". Duplicates repeat the text; near-duplicates drop one word in two sentences and the last "
        "sentence; partial copies put 3-5 consecutive source sentences among 4-10 sentences of another "
        "article; rewrites reword every sentence in order (clauses swapped, synonyms, function words "
        "dropped; sentences still within RapidFuzz 90 of the source are left out), drop the last one and "
        "add a generic filler sentence. Originals are dated through 2024 in order; 25% of the derived "
        f"articles are undated. {occurrences:,} sentence occurrences, {embedding['distinct']:,} distinct.",
        table(["step", "figure"], [
            ["MiniLM embedding (fresh sample)", f"{embedding['sample_rate']:.0f} sentences/s "
             f"({embedding['sample']:,} sentences, this machine's 2 shared cores)"],
            ["distinct sentences embedded this run / from cache",
             f"{embedding['embedded']:,.0f} / {embedding['cached']:,.0f}"],
            ["reuse_features (MinHash, digest)", f"{n / float(linked['feature_seconds']):,.0f} articles/s"],  # type: ignore[arg-type]
            ["find_reuse (index, candidates, alignment, links)",
             f"{link_rate:,.0f} articles/s ({float(linked['link_seconds']):.0f} s)"],  # type: ignore[arg-type]
            ["distinct sentences in the vector index", f"{linked['distinct_sentences']:,}"],
            ["RSS when linking started / peak while linking",
             f"{float(linked['rss_start']):,.0f} MB / {float(linked['peak']):,.0f} MB"
             + ("" if linked["peak_reset"] else " (peak of the whole process)")],  # type: ignore[arg-type]
        ]),
        "Embedding and linking are reported apart: the sentence vectors are the sentence stage's output "
        "(stored per article and shared with other stages), and each distinct sentence was embedded once "
        "(cached by text). The RSS includes the loaded MiniLM model and the corpus held by the benchmark.",
    ]
    if ann is not None:
        parts.append(
            f"Full-size vector index check: the corpus above repeats real sentences, so its index holds "
            f"{linked['distinct_sentences']:,} vectors; a real corpus of {n:,} articles would hold about "
            f"{ann['vectors']:,.0f}. Inserting that many distinct vectors (each a pool vector plus Gaussian noise, "
            f"cosine about 0.9 to it) ran at "
            f"{ann['add_rate']:,.0f} vectors/s and {ANN_QUERIES:,} searches at {ann['query_rate']:,.0f} "
            f"queries/s (24 neighbours), RSS after {ann['rss']:,.0f} MB: at full size the index adds about "
            f"{ann['vectors'] / ann['add_rate'] + ann['vectors'] / ann['query_rate']:,.0f} s to the linking above."
        )
    parts.append("Recall of the injected copies (a quality sanity check):\n\n" + table(
        ["injected kind", "pairs", "linked", "linked with that kind", "direction right (of linked)"],
        recall_rows(corpus, links)))
    others = other_links(corpus, links)
    parts.append(f"Links: {len(links):,} ({', '.join(f'{kinds[k]:,} {k}' for k in SHARES)}). Links besides the "
                 "injected pairs:\n\n" + table(["kind: relation by construction", "links"],
                                                 [[k, v] for k, v in sorted(others.items())] or [["none", 0]]))
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="articles in the corpus")
    parser.add_argument("--pool", type=int, default=POOL_SENTENCES, help="real sentences to read")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="sentence-embedding cache (.npz)")
    parser.add_argument("--skip-ann-check", action="store_true", help="skip the full-size vector index check")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    corpus = build_corpus(args.n, SHARES, args.pool, args.seed)
    vectors, embedding = embed_distinct([s for doc in corpus.sentences for s in doc], args.cache)
    linked = link_corpus(corpus, vectors)
    occurrences = sum(len(s) for s in corpus.sentences)
    ann = None if args.skip_ann_check else ann_scale_check(vectors, occurrences, args.seed)
    body = report(args, corpus, embedding, linked, ann)
    print(body)
    if not args.no_write:
        write_section("reuse-speed", body, command=f"python -m benchmarks.reuse_speed --n {args.n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
