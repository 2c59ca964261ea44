"""Which MiniLM precision to ship: every benchmark that reads sentence vectors, run once per choice.

Run from the project root::

    python -m benchmarks.embeddings_choice ../shared/eval [--cache DIR] [--choices fp32,bf16,int8]
        [--repeats 5] [--no-write]

For each encoder precision of :data:`storyline.nlp.PRECISIONS` (``STORYLINE_EMBEDDINGS``), the
quality benchmarks whose figures depend on the vectors are run through their own functions:

- reuse (``benchmarks.reuse_ecbplus``): the reuse links of the 413 ECB+ dev documents. ECB+ has no
  reuse gold; the fp32 links are the ones read by hand in that section, so each choice is scored
  by the F1 of its links against fp32's (a link counts when source, derived and kind agree).
- claims (``benchmarks.claims_clef``): CLEF 2020 task 2 dev, every tweet ranking all 10,375
  verified claims: MAP@5 and MRR of the shipped matcher, and MRR of MiniLM cosine alone.
- claim merges (``benchmarks.claims_merge``): the share of wrong merges among claims of 2+
  statements on the mixed corpus (ECB+ dev, PolNeAR dev, the example); lower is better.
- events (``benchmarks.events_ecbplus``): B-cubed F1 of events (subtopic) and stories (topic),
  one batch with the shipped configuration.
- search (``benchmarks.search_ecbplus``): semantic search of each document's headline: MRR and
  recall@10 of the other reports of its event.

Speed: sentences/s of ``storyline.nlp.encode`` on real ECB+ sentences at 1 and 2 torch threads,
the median of ``--repeats`` runs (the choices interleaved, so that load from other processes
falls on all of them alike), and each choice's cosine to the fp32 vectors of the same sentences.

Decision: the fastest choice (1 thread) whose every figure stays within ``TOLERANCE`` of fp32's
(a loss of at most 0.01; a gain is never a failure). ``--cache DIR`` keeps each choice's vectors
(``DIR/<choice>/``) and the spaCy work shared by all choices (``DIR/shared/``), so re-runs only
measure speed; delete a choice's folder after changing how it encodes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import claims_clef, claims_merge, reuse_ecbplus, search_ecbplus
from benchmarks.events_data import load_ecbplus, people_for, sentences_for
from benchmarks.events_ecbplus import cluster
from benchmarks.report import publish, table
from storyline import nlp
from storyline.records import Article
from storyline.stages.events import EventConfig, event_features
from storyline.stages.reuse import ReuseIndex, find_reuse, reuse_features
from storyline.stages.sentences import sentence_spans

TOLERANCE = 0.01
REFERENCE = "fp32"
SPEED_SENTENCES = 512  # real ECB+ sentences encoded per speed run
THREADS = (1, 2)


Links = set[tuple[str, str, str]]  # (source, derived, kind) of each reuse link


@dataclass(frozen=True, slots=True)
class Figure:
    """One quality figure: its benchmark, name and whether higher is better."""

    benchmark: str
    name: str
    higher_is_better: bool = True


FIGURES = (
    Figure("reuse", "links F1 against fp32's (kind included)"),
    Figure("reuse", "links F1 against fp32's (pairs only)"),
    Figure("claims", "CLEF dev MAP@5 (matcher)"),
    Figure("claims", "CLEF dev MRR (matcher)"),
    Figure("claims", "CLEF dev MRR (MiniLM cosine alone)"),
    Figure("claims", "wrong merges among claims of 2+ statements", higher_is_better=False),
    Figure("events", "ECB+ events B-cubed F1"),
    Figure("events", "ECB+ stories B-cubed F1"),
    Figure("search", "ECB+ headline search MRR"),
    Figure("search", "ECB+ headline search recall@10"),
)


def use(kind: str) -> None:
    """Make ``kind`` the precision every ``nlp.encode`` call of this process uses."""
    os.environ[nlp.PRECISION_ENV] = kind
    assert nlp.precision() == kind


def _f1(found: set[tuple[str, ...]], reference: set[tuple[str, ...]]) -> float:
    """F1 of ``found`` against ``reference`` (1 when both are empty)."""
    if not found and not reference:
        return 1.0
    both = len(found & reference)
    return 2 * both / (len(found) + len(reference))


def reuse_links(ecbplus: Path, folder: Path) -> Links:
    """The reuse links of ECB+ dev as ``reuse_ecbplus.run`` finds them (without its calibration tables)."""
    docs = reuse_ecbplus.read_docs(ecbplus)
    articles = [Article(id=d.name, path=f"{ecbplus}#{k}", text=d.text) for k, d in enumerate(docs)]
    sentences = reuse_ecbplus.embed(articles, folder / "reuse-sentences.npz")
    features = [reuse_features(a) for a in articles]
    links = find_reuse(ReuseIndex(), list(zip(articles, sentences, features, strict=True)))
    return {(link.source, link.derived, link.kind) for link in links}


def claims_figures(clef: Path, folder: Path) -> dict[str, float]:
    """CLEF 2020 dev through ``claims_clef``: the matcher's MAP@5 and MRR, and cosine alone."""
    matcher = claims_clef.ClaimMatcher.build(claims_clef.read_claims(clef),
                                             encoder=claims_clef.CachedEncoder(folder / "clef"))
    result = claims_clef.evaluate(matcher, claims_clef.read_split(clef, "dev"))
    gold = [result.split.qrels[t] for t in result.ids]
    combined = claims_clef.scores(result.rankings["combined (ClaimMatcher)"], gold)
    cosine = claims_clef.scores(result.rankings["MiniLM cosine to claim"], gold)
    return {"CLEF dev MAP@5 (matcher)": combined["MAP@5"], "CLEF dev MRR (matcher)": combined["MRR"],
            "CLEF dev MRR (MiniLM cosine alone)": cosine["MRR"]}


def merge_figures(eval_dir: Path, folder: Path, shared: Path) -> tuple[float, int]:
    """``claims_merge`` on the mixed corpus: the share of wrong merges and the claims of 2+ statements."""
    folder.mkdir(parents=True, exist_ok=True)
    shared.mkdir(parents=True, exist_ok=True)
    # the spaCy parses and people analyses do not depend on the vectors: one copy for all choices
    for path in shared.glob("*"):
        link = folder / path.name
        if not link.exists():
            link.symlink_to(path.resolve(), target_is_directory=path.is_dir())
    corpus = claims_merge.load_corpus(eval_dir)
    group = {a.id: g for a, g in corpus}
    index, _statements, _added, _seconds = claims_merge.analyse(corpus, folder)
    for path in folder.glob("*"):  # new parses and analyses move to the shared folder
        if path.name != "vectors.npz" and not path.is_symlink():
            path.rename(shared / path.name)
            path.symlink_to((shared / path.name).resolve(), target_is_directory=(shared / path.name).is_dir())
    claims = index.claims(min_statements=2)
    wrong = [c for c in claims if len(claims_merge._groups_of(c, group)) > 1]
    return (len(wrong) / len(claims) if claims else 0.0), len(claims)


def ecbplus_figures(ecbplus: Path, folder: Path, shared: Path) -> dict[str, float]:
    """Events (``events_ecbplus.cluster``) and search (``search_ecbplus.evaluate``) on the same vectors."""
    docs = load_ecbplus(ecbplus)
    articles = [d.article for d in docs]
    sentences = sentences_for(articles, folder / "ecb-sentences")
    # the people analyses claims_merge keeps (same articles, same code digest)
    people = people_for(articles, shared / "claims-merge" / f"people-{claims_merge._people_code()}")
    features = {d.article.id: event_features(d.article, sentences[d.article.id], people[d.article.id])
                for d in docs}
    events, stories, _n_events, _n_stories = cluster(docs, features, EventConfig(), batch=True)
    searched = search_ecbplus.evaluate(docs, sentences)
    return {"ECB+ events B-cubed F1": events[2], "ECB+ stories B-cubed F1": stories[2],
            "ECB+ headline search MRR": searched["MRR"], "ECB+ headline search recall@10": searched["recall@10"]}


def speed_sample(ecbplus: Path) -> list[str]:
    """``SPEED_SENTENCES`` real sentences as the sentence stage cuts them (ECB+ documents in file order)."""
    texts: list[str] = []
    for doc in load_ecbplus(ecbplus):
        texts += [doc.article.text[s:e] for s, e in sentence_spans(doc.article.text)]
        if len(texts) >= SPEED_SENTENCES:
            break
    return texts[:SPEED_SENTENCES]


def speeds(choices: list[str], texts: list[str], repeats: int) -> tuple[dict[tuple[str, int], float], list[float]]:
    """Median sentences/s of each choice at each thread count (runs interleaved); the 1-minute load
    averages seen before each round (other processes on the machine)."""
    import torch

    before = torch.get_num_threads()
    runs: dict[tuple[str, int], list[float]] = {(k, t): [] for k in choices for t in THREADS}
    loads: list[float] = []
    try:
        for kind in choices:
            nlp.encode(texts[:64], kind=kind)  # load and warm up
        for _ in range(repeats):
            loads.append(os.getloadavg()[0])
            for threads in THREADS:
                torch.set_num_threads(threads)
                for kind in choices:
                    started = time.perf_counter()
                    nlp.encode(texts, kind=kind)
                    runs[kind, threads].append(len(texts) / (time.perf_counter() - started))
    finally:
        torch.set_num_threads(before)
    return {key: statistics.median(values) for key, values in runs.items()}, loads


def measure(kind: str, eval_dir: Path, cache: Path, log: Callable[[str], None]) -> tuple[dict[str, float], Links]:
    """Every quality figure of one choice but reuse agreement, and its reuse links (vectors under ``cache/kind``)."""
    use(kind)
    folder, shared = cache / kind, cache / "shared"
    folder.mkdir(parents=True, exist_ok=True)
    shared.mkdir(parents=True, exist_ok=True)
    ecbplus = eval_dir / "clustering-ecbplus-dev.jsonl"
    figures: dict[str, float] = {}
    started = time.perf_counter()
    links = reuse_links(ecbplus, folder)
    figures["reuse links"] = float(len(links))
    log(f"{kind}: reuse {len(links)} links ({time.perf_counter() - started:.0f} s)")
    figures.update(claims_figures(eval_dir / "claims-clef2020", folder))
    log(f"{kind}: claims matching ({time.perf_counter() - started:.0f} s)")
    wrong, multi = merge_figures(eval_dir, folder / "claims-merge", shared / "claims-merge")
    figures["wrong merges among claims of 2+ statements"] = wrong
    figures["claims of 2+ statements"] = float(multi)
    log(f"{kind}: claim merges ({time.perf_counter() - started:.0f} s)")
    figures.update(ecbplus_figures(ecbplus, folder, shared))
    log(f"{kind}: events and search ({time.perf_counter() - started:.0f} s)")
    return figures, links


def compare(results: dict[str, tuple[dict[str, float], Links]]) -> dict[str, dict[str, float]]:
    """Every choice's figures, with its reuse links' agreement with fp32's added."""
    reference = results[REFERENCE][1]
    out: dict[str, dict[str, float]] = {}
    for kind, (figures, links) in results.items():
        row = dict(figures)
        row["links F1 against fp32's (kind included)"] = _f1(set(links), set(reference))
        row["links F1 against fp32's (pairs only)"] = _f1({x[:2] for x in links}, {x[:2] for x in reference})
        out[kind] = row
    return out


def loss(figure: Figure, value: float, reference: float) -> float:
    """How much worse ``value`` is than ``reference`` (negative: better)."""
    return reference - value if figure.higher_is_better else value - reference


def decide(figures: dict[str, dict[str, float]], fast: dict[tuple[str, int], float],
           ) -> tuple[str, dict[str, list[str]]]:
    """The fastest choice within TOLERANCE on every figure; and, per choice, the figures it fails."""
    failures = {kind: [f"{f.name} ({loss(f, row[f.name], figures[REFERENCE][f.name]):.3f} worse)"
                       for f in FIGURES if loss(f, row[f.name], figures[REFERENCE][f.name]) > TOLERANCE + 1e-12]
                for kind, row in figures.items()}
    passing = [kind for kind in figures if not failures[kind]]
    return max(passing, key=lambda k: fast[k, 1]), failures


def fidelity(choices: list[str], texts: list[str]) -> dict[str, tuple[float, float]]:
    """Min and mean cosine of each choice's vectors to fp32's over ``texts``."""
    reference = nlp.encode(texts, kind=REFERENCE)
    out = {}
    for kind in choices:
        cosines = (nlp.encode(texts, kind=kind) * reference).sum(axis=1)
        out[kind] = (float(cosines.min()), float(cosines.mean()))
    return out


def report(choices: list[str], figures: dict[str, dict[str, float]], fast: dict[tuple[str, int], float],
           close: dict[str, tuple[float, float]], repeats: int, samples: int, loads: list[float]) -> str:
    """The ``embeddings-choice`` section."""
    chosen, failures = decide(figures, fast)
    others = [k for k in choices if k != REFERENCE]
    headers = ["benchmark", "figure", REFERENCE]
    for kind in others:
        headers += [kind, f"{kind} - {REFERENCE}", f"{kind} within {TOLERANCE}"]
    rows: list[list[object]] = []
    for figure in FIGURES:
        base = figures[REFERENCE][figure.name]
        row: list[object] = [figure.benchmark, figure.name + ("" if figure.higher_is_better else " (lower is better)"),
                             base]
        for kind in others:
            value = figures[kind][figure.name]
            row += [value, f"{value - base:+.3f}", "yes" if loss(figure, value, base) <= TOLERANCE + 1e-12 else "NO"]
        rows.append(row)
    counts: list[list[object]] = [
        ["reuse links", *(int(figures[k]["reuse links"]) for k in choices)],
        ["claims of 2+ statements (mixed corpus)", *(int(figures[k]["claims of 2+ statements"]) for k in choices)],
    ]
    speed_rows: list[list[object]] = [
        [kind, f"{fast[kind, 1]:.0f}", f"{fast[kind, 2]:.0f}", f"{fast[kind, 1] / fast[REFERENCE, 1]:.2f}x",
         f"{close[kind][0]:.5f}", f"{close[kind][1]:.5f}"] for kind in choices]
    verdicts = [f"- {kind}: " + ("within 0.01 on every figure" if not failures[kind] else
                                 "fails " + "; ".join(failures[kind])) for kind in others]
    shipped = nlp.DEFAULT_PRECISION
    return "\n\n".join([
        "### Embeddings: which MiniLM precision (`STORYLINE_EMBEDDINGS`)",
        "Every benchmark whose figures depend on the sentence vectors, run once per encoder precision "
        "through its own code (see `benchmarks/embeddings_choice.py`): fp32 is today's encoder, bf16 "
        "casts MiniLM's weights to bfloat16 (eager attention: a vector does not move with the padding "
        "of its batch), int8 quantises its linear layers dynamically "
        "(`torch.ao.quantization`). Vectors are always returned as float32 unit vectors and stored as "
        "float16. Reuse has no gold on ECB+: fp32's links (read by hand, see reuse-ecbplus) are the "
        "reference, so its figures are agreement with fp32.",
        table(headers, rows),
        table(["count", *choices], counts),
        f"#### Speed (`nlp.encode`, {samples} real ECB+ sentences, batches of 64; median of {repeats} "
        f"interleaved runs on {os.cpu_count()} cores shared with other work: 1-minute load average "
        f"{min(loads):.1f}-{max(loads):.1f} before the rounds, so 2 threads can lose to 1)\n\n"
        + table(["choice", "sentences/s, 1 thread", "sentences/s, 2 threads", "speed-up (1 thread)",
                 "min cosine to fp32", "mean cosine to fp32"], speed_rows),
        "#### Decision\n\n" + "\n".join(verdicts) + f"\n\nChosen: **{chosen}**, the fastest choice within "
        f"{TOLERANCE} of fp32 on every figure. The shipped default (`storyline.nlp.DEFAULT_PRECISION`) is "
        f"{shipped}" + (" (the chosen one)." if shipped == chosen else f": NOT the chosen one ({chosen})."),
    ])


def main(argv: list[str] | None = None) -> int:
    """Command line entry: measure every choice, print, and write the ``embeddings-choice`` section."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("eval", type=Path, help="the shared eval folder (ECB+ dev, claims-clef2020, quotes-polnear)")
    parser.add_argument("--cache", type=Path, default=Path("bench-data/embeddings-choice"),
                        help="keep vectors (per choice) and parses between runs")
    parser.add_argument("--choices", default=",".join(nlp.PRECISIONS), help="comma-separated precisions")
    parser.add_argument("--repeats", type=int, default=5, help="speed runs per choice and thread count")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    choices = [c.strip() for c in args.choices.split(",") if c.strip()]
    if REFERENCE not in choices:
        choices.insert(0, REFERENCE)
    unknown = sorted(set(choices) - set(nlp.PRECISIONS))
    if unknown:
        parser.error(f"unknown choice(s) {', '.join(unknown)}: choose from {', '.join(nlp.PRECISIONS)}")
    was = os.environ.get(nlp.PRECISION_ENV)
    try:
        results = {kind: measure(kind, args.eval, args.cache, lambda m: print(m, file=sys.stderr, flush=True))
                   for kind in choices}
    finally:
        if was is None:
            os.environ.pop(nlp.PRECISION_ENV, None)
        else:
            os.environ[nlp.PRECISION_ENV] = was
    texts = speed_sample(args.eval / "clustering-ecbplus-dev.jsonl")
    fast, loads = speeds(choices, texts, args.repeats)
    body = report(choices, compare(results), fast, fidelity(choices, texts), args.repeats, len(texts), loads)
    command = f"python -m benchmarks.embeddings_choice {args.eval} --cache DIR"
    publish("embeddings-choice", body, command, dry_run=args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
