"""Claim matching on CLEF 2020 CheckThat! task 2: which fact-checked claim does a tweet make?

Run from the project root::

    python -m benchmarks.claims_clef ../shared/eval/claims-clef2020 [--cache DIR] [--no-write] [--fit]

Indexes all verified claims (``verified_claims.docs.tsv``: id, claim, title) in a
:class:`~storyline.stages.claims.match.ClaimMatcher`, ranks ALL of them for every tweet of ``dev/``
(the target) and ``train/`` (where the weights were fitted: a reference, not a test) and scores the
rankings against ``tweet-vclaim-pairs.qrels`` with the task's measures (trectools' MAP@k: for each
tweet, the precision at the rank of each relevant claim found in the top k, summed and divided by
the tweet's number of relevant claims; MRR: 1 / rank of the first relevant claim). Each evidence
is also ranked alone (BM25, MiniLM cosine), and the section lists dev misses.

``--fit`` refits the matcher's weights on train (pairwise logistic regression, then Platt scaling)
and prints the constants to paste into ``storyline/stages/claims/match.py``; dev is not used.
``--cache DIR`` keeps MiniLM vectors between runs (keyed by text), since embedding the 10,375
claims and their titles takes minutes here.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.report import table, write_section
from storyline.stages.claims import match
from storyline.stages.claims.match import ClaimMatcher, KnownClaim

SPLITS = ("dev", "train")
LISTED_MISSES = 8
SPEED_CLAIMS = 500  # claims embedded without the cache to measure indexing speed
FIT_C = 1.0  # inverse regularisation strength of the pairwise model (sklearn default)
CV_FOLDS = 5


@dataclass(frozen=True, slots=True)
class Split:
    """One split's tweets (id -> text) and relevant claim ids (tweet id -> set of claim ids)."""

    name: str
    tweets: dict[str, str]
    qrels: dict[str, set[str]]


def _tsv(path: Path) -> list[list[str]]:
    """Rows of a pandas-written TSV (quoted fields may hold tabs or newlines), header dropped."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))[1:]


def read_claims(root: Path) -> list[KnownClaim]:
    """The verified claims, in file order."""
    return [KnownClaim(row[0], row[1], row[2]) for row in _tsv(root / "verified_claims.docs.tsv")]


def read_split(root: Path, name: str) -> Split:
    """The tweets and qrels of ``root/name``."""
    tweets = {row[0]: row[1] for row in _tsv(root / name / "tweets.queries.tsv")}
    qrels: dict[str, set[str]] = {}
    for line in (root / name / "tweet-vclaim-pairs.qrels").read_text(encoding="utf-8").splitlines():
        if line.strip():
            tweet, _, claim, relevance = line.split()
            if int(relevance) > 0:
                qrels.setdefault(tweet, set()).add(claim)
    return Split(name, tweets, qrels)


class CachedEncoder:
    """``storyline.nlp.encode`` with an on-disk cache of vectors keyed by the SHA-1 of each text."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / "minilm-vectors.npz" if folder else None
        self.vectors: dict[str, np.ndarray] = {}
        self.encoded = 0
        if self.path and self.path.exists():
            data = np.load(self.path)
            self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def __call__(self, texts: list[str]) -> np.ndarray:
        from storyline.nlp import encode

        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors}.items())
        if missing:
            fresh = encode([t for _, t in missing])
            self.vectors.update(zip([k for k, _ in missing], fresh, strict=True))
            self.encoded += len(missing)
            self.save()
        return np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float32)

    def save(self) -> None:
        """Write the cache (if a folder was given)."""
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = list(self.vectors)
            np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))


# ---------------------------------------------------------------------------------------------- scoring


def average_precision(found: list[int], relevant: int, depth: int) -> float:
    """AP@depth (trectools): precision at each relevant rank within ``depth``, over all relevant claims."""
    return sum((hit + 1) / rank for hit, rank in enumerate(found) if rank <= depth) / relevant


def scores(rankings: Sequence[Sequence[str]], relevant: Sequence[set[str]]) -> dict[str, float]:
    """MAP@1, MAP@5 and MRR of ranked claim ids against the relevant sets (task 2 definitions)."""
    per_tweet = []
    for ranking, gold in zip(rankings, relevant, strict=True):
        found = [rank for rank, claim in enumerate(ranking, 1) if claim in gold]
        per_tweet.append((average_precision(found, len(gold), 1), average_precision(found, len(gold), 5),
                          1.0 / found[0] if found else 0.0))
    map1, map5, mrr = (float(np.mean(column)) for column in zip(*per_tweet, strict=True))
    return {"MAP@1": map1, "MAP@5": map5, "MRR": mrr}


def gold_rank(ranking: Sequence[str], gold: set[str]) -> int | None:
    """1-based rank of the first relevant claim, or None when absent."""
    return next((rank for rank, claim in enumerate(ranking, 1) if claim in gold), None)


@dataclass
class Evaluated:
    """One split ranked every way the section reports."""

    split: Split
    ids: list[str]
    rankings: dict[str, list[list[str]]]  # method -> per tweet, claim ids best first
    combined: list[list[tuple[str, float]]]
    recall: float  # share of tweets with a relevant claim among the default candidates
    seconds: float


def _by_column(evidence: list[tuple[np.ndarray, list[list[str]], np.ndarray] | None], column: int) -> list[list[str]]:
    """Rankings by one evidence column alone (ties: order added, as in the matcher)."""
    out: list[list[str]] = []
    for item in evidence:
        if item is None:
            out.append([])
            continue
        rows, ids, values = item
        order = np.lexsort((rows, -values[:, column]))
        out.append([claim for j in order for claim in ids[j]])
    return out


def evaluate(matcher: ClaimMatcher, split: Split) -> Evaluated:
    """Rank all claims for every tweet of ``split``: alone by each evidence and by the matcher."""
    ids = list(split.tweets)
    texts = [split.tweets[i] for i in ids]
    everything = len(matcher)
    evidence = matcher.query_features(texts, k=everything)
    column = {name: k for k, name in enumerate(match.FEATURES)}
    rankings = {
        "BM25 (claim + title)": _by_column(evidence, column["bm25_rel"]),
        "MiniLM cosine to claim": _by_column(evidence, column["cos_claim"]),
        "MiniLM cosine to title": _by_column(evidence, column["cos_title"]),
    }
    start = time.perf_counter()
    combined = matcher.rank_many(texts, k=everything)
    seconds = time.perf_counter() - start
    rankings["combined (ClaimMatcher)"] = [[c for c, _ in r] for r in combined]
    pools = matcher.query_features(texts, k=10)
    hits = [
        pool is not None and any(c in split.qrels[q] for group in pool[1] for c in group)
        for q, pool in zip(ids, pools, strict=True)
    ]
    return Evaluated(split, ids, rankings, combined, float(np.mean(hits)), seconds)


# ---------------------------------------------------------------------------------------------- fitting


def _pairs(evidence: list[tuple[np.ndarray, list[list[str]], np.ndarray] | None], relevant: list[set[str]]
           ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per tweet: the evidence matrix of its candidates and a 0/1 label per candidate."""
    xs, ys = [], []
    for item, gold in zip(evidence, relevant, strict=True):
        if item is None:
            continue
        _rows, ids, values = item
        xs.append(values)
        ys.append(np.array([any(c in gold for c in group) for group in ids], dtype=int))
    return xs, ys


def fit_weights(xs: list[np.ndarray], ys: list[np.ndarray]) -> tuple[np.ndarray, float]:
    """Pairwise logistic model (relevant minus other candidate of the same tweet), then Platt scaling.

    Returns raw-feature weights and intercept such that sigmoid(x . w + b) estimates P(relevant).
    """
    from sklearn.linear_model import LogisticRegression

    stacked = np.concatenate(xs)
    mean, std = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
    diffs = []
    for x, y in zip(xs, ys, strict=True):
        z = (x - mean) / std
        for p in np.flatnonzero(y):
            diffs.append(z[p] - z[y == 0])
    d = np.concatenate(diffs)
    pairwise = LogisticRegression(C=FIT_C, fit_intercept=False, max_iter=5000)
    pairwise.fit(np.vstack([d, -d]), np.r_[np.ones(len(d)), np.zeros(len(d))])
    direction = pairwise.coef_[0] / std
    platt = LogisticRegression(C=1e6, max_iter=5000)
    platt.fit((stacked @ direction)[:, None], np.concatenate(ys))
    slope, bias = float(platt.coef_[0][0]), float(platt.intercept_[0])
    return direction * slope, bias


def cross_validated(xs: list[np.ndarray], ys: list[np.ndarray], columns: list[int]) -> float:
    """MAP@5 over the candidates of held-out folds of train tweets (for choosing features on train)."""
    folds = np.arange(len(xs)) % CV_FOLDS
    total = 0.0
    for fold in range(CV_FOLDS):
        train = [k for k in range(len(xs)) if folds[k] != fold]
        w, _ = fit_weights([xs[k][:, columns] for k in train], [ys[k] for k in train])
        for k in np.flatnonzero(folds == fold):
            order = np.argsort(-(xs[k][:, columns] @ w), kind="stable")
            hits = [rank for rank, j in enumerate(order, 1) if ys[k][j]]
            total += sum((h + 1) / r for h, r in enumerate(hits) if r <= 5) / max(1, int(ys[k].sum()))
    return total / len(xs)


def fit(matcher: ClaimMatcher, split: Split) -> str:
    """Refit the weights on ``split`` and return the report (constants and feature ablation)."""
    ids = list(split.tweets)
    evidence = matcher.query_features([split.tweets[i] for i in ids], k=match.CANDIDATES)
    xs, ys = _pairs(evidence, [split.qrels[i] for i in ids])
    every = list(range(len(match.FEATURES)))
    lines = [f"cross-validated MAP@5 over candidates, all features: {cross_validated(xs, ys, every):.4f}"]
    for drop in every:
        kept = [c for c in every if c != drop]
        lines.append(f"  without {match.FEATURES[drop]:<12} {cross_validated(xs, ys, kept):.4f}")
    weights, intercept = fit_weights(xs, ys)
    lines.append("WEIGHTS: tuple[float, ...] = (" + ", ".join(f"{w:.3f}" for w in weights) + ")")
    lines.append(f"INTERCEPT = {intercept:.3f}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- report


def speed(claims: list[KnownClaim], tweets: list[str]) -> dict[str, float]:
    """Claims indexed per second (MiniLM, uncached) and queries per second at k=10 (uncached)."""
    sample = claims[:SPEED_CLAIMS]
    start = time.perf_counter()
    small = ClaimMatcher.build(sample)
    small.rank("warm up")  # BM25 matrix built
    indexed = time.perf_counter() - start
    rebuild_matcher = ClaimMatcher.build(claims, encoder=lambda texts: np.zeros((len(texts), 384), np.float32))
    start = time.perf_counter()
    rebuild_matcher.rank_many(["x"], k=1)
    rebuild = time.perf_counter() - start
    start = time.perf_counter()
    small.rank_many(tweets, k=10)
    queried = time.perf_counter() - start
    return {"claims/s": len(sample) / indexed, "queries/s": len(tweets) / queried, "rebuild": rebuild}


def _truncate(text: str, width: int = 160) -> str:
    text = " ".join(text.split()).replace("|", "/")
    return text if len(text) <= width else text[: width - 1] + "…"


def misses(result: Evaluated, claims: dict[str, KnownClaim]) -> str:
    """The first dev tweets whose relevant claim is not ranked first."""
    rows: list[list[object]] = []
    for tweet, ranked in zip(result.ids, result.combined, strict=True):
        gold = result.split.qrels[tweet]
        ranking = [c for c, _ in ranked]
        rank = gold_rank(ranking, gold)
        if rank == 1:
            continue
        expected = sorted(gold)[0]
        rows.append([tweet, rank if rank else "-", _truncate(result.split.tweets[tweet]),
                     _truncate(claims[expected].text, 110), _truncate(claims[ranking[0]].text, 110), ranked[0][1]])
        if len(rows) == LISTED_MISSES:
            break
    return table(["tweet", "gold rank", "tweet text", "relevant claim", "ranked first", "score"], rows)


def calibration(results: list[Evaluated]) -> str:
    """How often the top claim is right, by its score band: are the scores fit for a threshold?"""
    bands = [(0.0, 0.05), (0.05, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 0.9), (0.9, 1.01)]
    rows = []
    for lo, hi in bands:
        row: list[object] = [f"{lo:.2f}-{min(hi, 1.0):.2f}"]
        for result in results:
            top = [(r[0][1], r[0][0] in result.split.qrels[t]) for t, r in zip(result.ids, result.combined, strict=True)
                   if r]
            inside = [ok for s, ok in top if lo <= s < hi]
            row += [len(inside), float(np.mean(inside)) if inside else "-"]
        rows.append(row)
    headers = ["top score"] + [h for r in results for h in (f"{r.split.name} tweets", f"{r.split.name} top right")]
    return table(headers, rows)


def run(root: Path, cache: Path | None) -> str:
    """Index, rank both splits, measure speed; the section body."""
    claims = read_claims(root)
    encoder = CachedEncoder(cache)
    start = time.perf_counter()
    matcher = ClaimMatcher.build(claims, encoder=encoder)
    built = time.perf_counter() - start
    results = [evaluate(matcher, read_split(root, name)) for name in SPLITS]
    rows: list[list[object]] = []
    for method in results[0].rankings:
        row: list[object] = [method]
        for result in results:
            measured = scores(result.rankings[method], [result.split.qrels[t] for t in result.ids])
            row += [measured["MAP@1"], measured["MAP@5"], measured["MRR"]]
        rows.append(row)
    dev = results[0]
    fast = speed(claims, list(dev.split.tweets.values()))
    distinct = matcher.distinct_texts
    by_id = {c.id: c for c in claims}
    return "\n\n".join([
        "### Claim matching on CLEF 2020 CheckThat! task 2 (tweets against 10,375 Snopes claims)",
        f"Every tweet ranks all {len(claims)} claims ({distinct} distinct texts; copies that differ only by "
        "quote marks are indexed once and listed in the order added). Weights fitted on train only "
        f"(`--fit`), so train is a reference and dev the target. Model: `{match.describe_weights()}`. "
        f"Index built in {built:.1f} s ({encoder.encoded} texts embedded, the rest from the cache).",
        table(["method", "dev MAP@1", "dev MAP@5", "dev MRR", "train MAP@1", "train MAP@5", "train MRR"], rows),
        f"Candidate recall (a relevant claim among the default candidates, top {match.CANDIDATES} by BM25 ∪ "
        f"top {match.CANDIDATES} by cosine): dev {dev.recall:.3f}, train {results[1].recall:.3f}.",
        f"Speed (uncached MiniLM, 2 shared cores): {fast['claims/s']:.0f} claims indexed/s "
        f"({SPEED_CLAIMS} claims with titles); {fast['queries/s']:.1f} queries/s at k=10 over those claims; "
        f"rebuilding BM25 for all {len(claims)} claims after an `add`: {fast['rebuild']:.2f} s.",
        "#### Are the scores fit for a threshold? (top claim per tweet, by its score)\n\n" + calibration(results),
        "#### Dev misses (relevant claim not ranked first)\n\n" + misses(dev, by_id),
    ])


def main(argv: list[str] | None = None) -> int:
    """Command line entry: run, print, and write the BENCHMARKS.md section (or refit with --fit)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("path", type=Path, help="the claims-clef2020 folder")
    parser.add_argument("--cache", type=Path, help="keep MiniLM vectors in this folder between runs")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    parser.add_argument("--fit", action="store_true", help="refit the weights on train and print them")
    args = parser.parse_args(argv)
    if args.fit:
        encoder = CachedEncoder(args.cache)
        matcher = ClaimMatcher.build(read_claims(args.path), encoder=encoder)
        print(fit(matcher, read_split(args.path, "train")))
        return 0
    body = run(args.path, args.cache)
    print(body)
    if not args.no_write:
        write_section("claims-clef", body, command=f"python -m benchmarks.claims_clef {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

