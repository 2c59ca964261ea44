"""Event and story clustering quality on the ECB+ development split, written to BENCHMARKS.md.

    python -m benchmarks.events_ecbplus ../shared/eval/clustering-ecbplus-dev.jsonl [--cache DIR]

All 413 documents are clustered together with the shipped configuration (``EventConfig()``);
events are scored against ``subtopic`` and stories against ``topic`` with B-cubed precision,
recall and F1 over all documents at once. ``--cache`` keeps the sentence vectors between runs.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy import sparse

from benchmarks.events_data import GoldDoc, bcubed, load_ecbplus, sentences_for
from benchmarks.report import table, write_section
from storyline.ingest.files import read_file
from storyline.ingest.normalise import normalise
from storyline.records import Article
from storyline.stages.events import EventConfig, EventFeatures, EventIndex, event_features
from storyline.stages.events.cluster import Idf, tf_vector, weigh
from storyline.stages.events.index import entity_counts
from storyline.stages.sentences import embed_articles

SHUFFLES = 5
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "serbia-sanctions"
EXAMPLE_EVENTS = {frozenset({"000"}), frozenset({"001", "004"}), frozenset({"002"}), frozenset({"003"})}
# Each main setting varied alone around the shipped value.
SWEEP: dict[str, list[object]] = {
    "event_threshold": [0.26, 0.28, 0.30, 0.32, 0.34, 0.36, 0.38],
    "undated_margin": [0.0, 0.05, 0.1, 0.15, 0.2],
    "max_gap_days": [7, 30, 90, 365, 100_000],
    "year_gap": [None, 2, 3, 5],
    "story_threshold": [0.16, 0.18, 0.20, 0.22, 0.25, 0.30],
}

Scores = tuple[tuple[float, float, float], tuple[float, float, float], int, int]


def cluster(docs: Sequence[GoldDoc], features: dict[str, EventFeatures], config: EventConfig, batch: bool) -> Scores:
    """Events and stories of ``docs`` fed in the given order; B-cubed against subtopic and topic."""
    index = EventIndex(config)
    items = [(d.article, features[d.article.id]) for d in docs]
    if batch:
        index.add_all(items)
    else:
        for article, feats in items:
            index.add(article, feats)
    events = {a: e.id for e in index.events() for a in e.articles}
    stories = {a: s.id for s in index.stories() for a in s.articles}
    gold_events = {d.article.id: d.subtopic for d in docs}
    gold_topics = {d.article.id: d.topic for d in docs}
    return bcubed(events, gold_events), bcubed(stories, gold_topics), len(index.events()), len(index.stories())


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write the ``events-ecbplus`` section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--cache", help="folder for the sentence vectors (kept between runs)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)

    docs = load_ecbplus(args.path)
    started = time.perf_counter()
    sentences = sentences_for([d.article for d in docs], args.cache)
    embed_s = time.perf_counter() - started
    started = time.perf_counter()
    features = {d.article.id: event_features(d.article, sentences[d.article.id]) for d in docs}
    feature_s = time.perf_counter() - started
    config = EventConfig()

    started = time.perf_counter()
    batch = cluster(docs, features, config, batch=True)
    batch_s = time.perf_counter() - started
    fixed = cluster(docs, features, config, batch=False)
    shuffled = []
    for k in range(SHUFFLES):
        order = list(docs)
        random.Random(args.seed + k).shuffle(order)
        shuffled.append(cluster(order, features, config, batch=False))
    reversed_batch = cluster(list(reversed(docs)), features, config, batch=True)
    reference = offline_reference(docs, features, config)

    body = _report(docs, config, batch, fixed, shuffled, reversed_batch, reference, (embed_s, feature_s, batch_s))
    body += "\n\n" + _sweep(docs, features, config)
    write_section("events-ecbplus", body, command="python -m benchmarks.events_ecbplus " + args.path)
    print(body)


def offline_reference(docs: Sequence[GoldDoc], features: dict[str, EventFeatures], config: EventConfig) -> Scores:
    """What the same features and weights reach with offline average-link clustering at its best threshold.

    Not a configuration anyone can ship (the threshold is picked by looking at the gold labels):
    it separates what the features can tell apart from what single-pass placement loses.
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    df_terms: Counter[str] = Counter()
    df_entities: Counter[str] = Counter()
    for doc in docs:
        df_terms.update(t for t, _c in features[doc.article.id].terms)
        df_entities.update(entity_counts(features[doc.article.id]))
    idf_terms = Idf(df_terms, len(docs), config.min_pair_df)
    idf_entities = Idf(df_entities, len(docs))
    chosen = [features[d.article.id] for d in docs]
    terms = _sparse([weigh(tf_vector(dict(f.terms), idf_terms, config.article_terms), idf_terms) for f in chosen])
    entities = _sparse([weigh(tf_vector(entity_counts(f), idf_entities, config.article_entities), idf_entities)
                        for f in chosen])
    dense = np.stack([f.vector for f in chosen])
    w_terms, w_entities, w_vector = config.event_weights
    scores = (w_terms * (terms @ terms.T).toarray() + w_entities * (entities @ entities.T).toarray()
              + w_vector * dense @ dense.T)
    np.fill_diagonal(scores, scores.max())
    tree = linkage(squareform(scores.max() - scores, checks=False), "average")
    gold = {d.article.id: d.subtopic for d in docs}
    best: Scores | None = None
    for threshold in np.linspace(0.05, 0.6, 56):
        labels = fcluster(tree, scores.max() - threshold, "distance")
        found = bcubed({d.article.id: int(label) for d, label in zip(docs, labels, strict=True)}, gold)
        if best is None or found[2] > best[0][2]:
            best = (found, (0.0, 0.0, 0.0), len(set(labels)), 0)
    assert best is not None
    return best


def _sparse(rows: list[dict[str, float]]) -> sparse.csr_matrix:
    columns: dict[str, int] = {}
    data, row_ids, col_ids = [], [], []
    for i, row in enumerate(rows):
        for key, value in row.items():
            row_ids.append(i)
            col_ids.append(columns.setdefault(key, len(columns)))
            data.append(value)
    return sparse.csr_matrix((data, (row_ids, col_ids)), shape=(len(rows), len(columns)))


def _row(name: str, scores: Scores) -> list[object]:
    (ep, er, ef), (sp, sr, sf), n_events, n_stories = scores
    return [name, ep, er, ef, n_events, sp, sr, sf, n_stories]


def _report(
    docs: Sequence[GoldDoc], config: EventConfig, batch: Scores, fixed: Scores, shuffled: list[Scores],
    reversed_batch: Scores, reference: Scores, timings: tuple[float, float, float],
) -> str:
    n_events = len({d.subtopic for d in docs})
    n_topics = len({d.topic for d in docs})
    headers = ["run", "events P", "events R", "events F1", "events", "stories P", "stories R", "stories F1", "stories"]
    rows = [_row("**one batch (`add_all`, shipped)**", batch), _row("one batch, input reversed", reversed_batch),
            _row("one by one (`add`), file order", fixed)]
    rows += [_row(f"one by one, shuffled (seed +{k})", s) for k, s in enumerate(shuffled)]
    (rp, rr, rf), _stories, ref_events, _n = reference
    rows.append(["reference: offline average-link, best threshold (not shippable)", rp, rr, rf, ref_events,
                 "", "", "", ""])
    event_f1 = [s[0][2] for s in shuffled]
    story_f1 = [s[1][2] for s in shuffled]
    embed_s, feature_s, batch_s = timings
    return f"""## Events and stories on ECB+ (`storyline.stages.events`)

ECB+ development split: {len(docs)} documents, {n_topics} topics, {n_events} events (`subtopic`: each
topic holds two different events of one kind). No publication dates: the only dates are those
written in the texts (URLs, datelines). All documents clustered together with the shipped
`EventConfig()` (event threshold {config.event_threshold}, weights terms/entities/vectors
{config.event_weights}, story threshold {config.story_threshold}); entity keys are the
proper-noun proxy (no entities stage yet). B-cubed over all documents at once: events against
`subtopic`, stories against `topic`. Targets: events F1 >= 0.93, stories F1 >= 0.95.

{table(headers, rows)}

Order sensitivity: a batch (`add_all`) sorts its articles (date, then id) before placing them, so
its result does not depend on the input order (reversed input: same figures). Fed one article at
a time, in {SHUFFLES} shuffled orders: events F1 {statistics.mean(event_f1):.3f} ± {statistics.stdev(event_f1):.3f}
(min {min(event_f1):.3f}), stories F1 {statistics.mean(story_f1):.3f} ± {statistics.stdev(story_f1):.3f}
(min {min(story_f1):.3f}).

Both targets are missed: events by {0.93 - batch[0][2]:.3f} F1, stories by {0.95 - batch[1][2]:.3f}. Precision is high
and recall is what is lost: the single-pass placement (an article joins the best event or opens
one, and never moves) splits off reports far from their event's centroid (forum pages, blog
posts mixing other news). The same features clustered offline by average link, at the
threshold that suits the gold labels best, reach events F1 {rf:.3f} (last row): most of the gap
is the features, not the placement. The event threshold cannot go lower because the example
corpus needs it: its 2022 Vulin statement and 2024 Vulin-Putin meeting share as many names and
quotes as two ECB+ reports of one event, and only the score threshold (plus the margin asked of
an undated article joining a dated event) keeps them apart. The ECB+ events merged are the
hardest of the set: two contract offers to one baseball player in the same week, two
earthquakes on the same island. The undated-article margin helps ECB+ partly because its older
documents (the `ecb` half of each topic) carry no dateline while the newer ones do.

Cost: sentence vectors {embed_s:.0f} s (the sentence stage; cached runs read them), event features
{feature_s:.1f} s, placing all {len(docs)} documents in events and stories {batch_s:.1f} s."""


def example_orders(config: EventConfig, corpus: list[tuple[Article, EventFeatures]]) -> int:
    """In how many of the 120 arrival orders the example corpus comes out as its four events and one story."""
    names = {a.id: Path(a.path).name[:3] for a, _f in corpus}
    right = 0
    for order in itertools.permutations(corpus):
        index = EventIndex(config)
        for article, features in order:
            index.add(article, features)
        found = {frozenset(names[a] for a in e.articles) for e in index.events()}
        right += found == EXAMPLE_EVENTS and len(index.stories()) == 1
    return right


def example_corpus() -> list[tuple[Article, EventFeatures]]:
    """The bundled example corpus through the real ingest and sentence stage."""
    articles = [normalise(next(iter(read_file(str(p), 20_000_000)))) for p in sorted(EXAMPLE.glob("*.txt"))]
    return [(a, event_features(a, s)) for a, s in zip(articles, embed_articles(articles), strict=True)]


def _sweep(docs: Sequence[GoldDoc], features: dict[str, EventFeatures], config: EventConfig) -> str:
    example = example_corpus()
    rows: list[list[object]] = []
    for name, values in SWEEP.items():
        shipped = getattr(config, name)
        for value in values:
            varied = replace(config, **{name: value})
            scores = cluster(docs, features, varied, batch=True)
            mark = " (shipped)" if value == shipped else ""
            rows.append([f"{name} = {value}{mark}", scores[0][2], scores[0][0], scores[0][1], scores[1][2],
                         f"{example_orders(varied, example)}/120"])
    return ("### Sensitivity (one batch, each setting varied alone)\n\n"
            "The last column is the constraint every setting was chosen under: in how many of the 120\n"
            "orders of arrival (one article at a time) the example corpus comes out as its four events\n"
            "({000}, {001, 004}, {002}, {003}) in one story.\n\n"
            + table(["setting", "events F1", "events P", "events R", "stories F1", "example right"], rows))


if __name__ == "__main__":
    main()
