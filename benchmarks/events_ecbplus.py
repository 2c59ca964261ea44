"""Event and story clustering quality on the ECB+ development split, written to BENCHMARKS.md.

    python -m benchmarks.events_ecbplus ../shared/eval/clustering-ecbplus-dev.jsonl [--cache DIR]

All 413 documents are clustered together with the shipped configuration (``EventConfig()``) and
the entities stage's keys (``event_features(article, sentences, analyse_people(article))``, as the
pipeline calls it); events are scored against ``subtopic`` and stories against ``topic`` with
B-cubed precision, recall and F1 over all documents at once. ``--cache`` keeps the sentence
vectors and the entities stage's output between runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
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

from benchmarks.calibration import calibration_report
from benchmarks.events_data import GoldDoc, bcubed, load_ecbplus, people_for, sentences_for
from benchmarks.events_stories import story_references
from benchmarks.report import table, write_section
from storyline.confidence import Knots, calibrate, fit_isotonic
from storyline.ingest.files import read_file
from storyline.ingest.normalise import normalise
from storyline.records import Article
from storyline.stages.entities import ArticlePeople, analyse_people
from storyline.stages.events import EventConfig, EventFeatures, EventIndex, event_features
from storyline.stages.events.cluster import Idf, tf_vector, weigh
from storyline.stages.events.dates import bare_years, full_dates
from storyline.stages.events.features import DATELINE_CHARS
from storyline.stages.events.index import ALONE_MARGIN, entity_counts
from storyline.stages.sentences import embed_articles

SHUFFLES = 5
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "serbia-sanctions"
EXAMPLE_EVENTS = {frozenset({"000"}), frozenset({"001", "004"}), frozenset({"002"}), frozenset({"003"})}
# Each main setting varied alone around the shipped value.
SWEEP: dict[str, list[object]] = {
    "event_threshold": [0.26, 0.28, 0.29, 0.30, 0.31, 0.32, 0.34, 0.36],
    "undated_margin": [0.0, 0.05, 0.1, 0.15, 0.2],
    "max_gap_days": [7, 30, 90, 365, 100_000],
    "year_gap": [None, 2, 3, 5],
    "event_merge_threshold": [None, 0.36, 0.38, 0.40, 0.42, 0.45, 0.50],
    "merge_year_gap": [None, 1, 2, 3],
    "story_threshold": [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0],
    "story_neighbours": [0, 2, 3, 4, 5, 6],
    "story_scale_floor": [0.0, 0.05, 0.06, 0.08, 0.1, 0.12],
    "entity_frequency": ["mentions", "articles"],
    "second_chance": [True, False],
    "fixed_window": [True, False],
    "evidence_margin": [None, 0.05, 0.1, 0.2],
    "evidence_required": [True, False],
}
# Plain average link (no local scaling: story_neighbours 0, every scale the floor), at story
# thresholds that ask these cosines of two events.
PLAIN_COSINES = [0.04, 0.05, 0.06, 0.07, 0.08, 0.09]
# Articles arriving in small batches (a daily import): shuffled orders, each batch placed with
# ``add_all``; the story stay factor varied (it only acts on events that grow after a batch).
SMALL_BATCHES = (10, 50)
SMALL_SHUFFLES = 4
STAYS = [1.0, 1.5, 2.0]

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
    parser.add_argument("--cache", help="folder for the sentence vectors and entities (kept between runs)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--quick", action="store_true", help="skip the small-batch table and the sweep")
    args = parser.parse_args(argv)

    docs = load_ecbplus(args.path)
    started = time.perf_counter()
    sentences = sentences_for([d.article for d in docs], args.cache)
    embed_s = time.perf_counter() - started
    started = time.perf_counter()
    people = people_for([d.article for d in docs], args.cache)
    people_s = time.perf_counter() - started
    started = time.perf_counter()
    features = {d.article.id: event_features(d.article, sentences[d.article.id], people[d.article.id]) for d in docs}
    feature_s = time.perf_counter() - started
    proxy = {d.article.id: event_features(d.article, sentences[d.article.id]) for d in docs}
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
    ablations = [
        ("proxy entity keys (no entities stage)", cluster(docs, proxy, config, batch=True)),
        ("no event merge", cluster(docs, features, replace(config, event_merge_threshold=None), batch=True)),
        ("event merge without the year rule", cluster(docs, features, replace(config, merge_year_gap=None), True)),
        ("proxy keys, no event merge (before)",
         cluster(docs, proxy, replace(config, event_merge_threshold=None), batch=True)),
        ("no second chance", cluster(docs, features, replace(config, second_chance=False), batch=True)),
        ("stories by plain average link (no local scaling)",
         cluster(docs, features, replace(config, story_neighbours=0), batch=True)),
    ]
    shipped = EventIndex(config)
    shipped.add_all((d.article, features[d.article.id]) for d in docs)
    stories = story_references(docs, features, config, [e.articles for e in shipped.events()])

    body = _report(docs, config, batch, fixed, shuffled, reversed_batch, reference, ablations,
                   (embed_s, people_s, feature_s, batch_s), args.cache is not None)
    body += "\n\n" + _stories_report(stories, config, batch)
    command = "python -m benchmarks.events_ecbplus " + args.path
    shipped_knots, held_out, in_sample = membership_calibration(docs, features, config, args.seed)
    write_calibration(shipped_knots, command)
    body += "\n\n" + _membership_report(shipped_knots, held_out, in_sample)
    body += "\n\n" + _dates_report(docs, features)
    body += "\n\n" + example_inside(docs, features, config, example_corpus(args.cache), args.seed)
    if not args.quick:
        body += "\n\n" + _small_batches(docs, features, config, args.seed)
        body += "\n\n" + _sweep(docs, features, config, args.cache)
    write_section("events-ecbplus", body, command=command + (" --quick" if args.quick else ""))
    print(body)


def offline_reference(docs: Sequence[GoldDoc], features: dict[str, EventFeatures], config: EventConfig) -> Scores:
    """What the same features and weights reach with offline average-link clustering at its best threshold.

    Not a configuration anyone can ship (the threshold is picked by looking at the gold labels):
    it separates what the features can tell apart from what single-pass placement loses.
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    df_terms: Counter[str] = Counter()
    freq_entities: Counter[str] = Counter()  # as the index counts entity keys
    for doc in docs:
        df_terms.update(t for t, _c in features[doc.article.id].terms)
        counts = entity_counts(features[doc.article.id])
        freq_entities.update(counts if config.entity_frequency == "mentions" else counts.keys())
    idf_terms = Idf(df_terms, len(docs), config.min_pair_df)
    idf_entities = Idf(freq_entities, len(docs))
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
    reversed_batch: Scores, reference: Scores, ablations: list[tuple[str, Scores]],
    timings: tuple[float, float, float, float], cached: bool,
) -> str:
    n_events = len({d.subtopic for d in docs})
    n_topics = len({d.topic for d in docs})
    headers = ["run", "events P", "events R", "events F1", "events", "stories P", "stories R", "stories F1", "stories"]
    rows = [_row("**one batch (`add_all`, shipped)**", batch), _row("one batch, input reversed", reversed_batch),
            _row("one by one (`add`), file order", fixed)]
    rows += [_row(f"one by one, shuffled (seed +{k})", s) for k, s in enumerate(shuffled)]
    (rp, rr, rf), _stories, ref_events, _n = reference
    rows += [_row(f"ablation: {name}", scores) for name, scores in ablations]
    rows.append(["reference: offline average-link, best threshold (not shippable)", rp, rr, rf, ref_events,
                 "", "", "", ""])
    proxy = dict(ablations)["proxy entity keys (no entities stage)"]
    event_f1 = [s[0][2] for s in shuffled]
    story_f1 = [s[1][2] for s in shuffled]
    embed_s, people_s, feature_s, batch_s = timings
    missed = [f"{name} by {target - value:.3f} F1" for name, value, target in
              (("events", batch[0][2], 0.93), ("stories", batch[1][2], 0.95)) if value < target]
    verdict = f"Targets missed: {' and '.join(missed)}." if missed else "Both targets are met."
    return f"""## Events and stories on ECB+ (`storyline.stages.events`)

ECB+ development split: {len(docs)} documents, {n_topics} topics, {n_events} events (`subtopic`: each
topic holds two different events of one kind). No publication dates: the only dates are those
written in the texts (URLs, datelines). All documents clustered together with the shipped
`EventConfig()` (event threshold {config.event_threshold}, weights terms/entities/vectors
{config.event_weights}, event merge threshold {config.event_merge_threshold}, merge year gap
{config.merge_year_gap}; stories: threshold {config.story_threshold}, {config.story_neighbours} neighbours, scale floor
{config.story_scale_floor}); entity keys come from the
entities stage (`event_features(article, sentences, analyse_people(article))`, as the pipeline
calls it). B-cubed over all documents at once: events against `subtopic`, stories against
`topic`. Targets: events F1 >= 0.93, stories F1 >= 0.95.

{table(headers, rows)}

Order sensitivity: a batch (`add_all`) sorts its articles (date, then id) before placing them, so
its result does not depend on the input order (reversed input: same figures). Fed one article at
a time, in {SHUFFLES} shuffled orders: events F1 {statistics.mean(event_f1):.3f} ± {statistics.stdev(event_f1):.3f}
(min {min(event_f1):.3f}), stories F1 {statistics.mean(story_f1):.3f} ± {statistics.stdev(story_f1):.3f}
(min {min(story_f1):.3f}).

{verdict}

What moved events F1, latest first. The **time fit**: an event's dates span at most
{config.max_gap_days} days over the whole event (not from its nearest end, so members cannot carry it
into the next year); an undated article joins a dated event without naming one of its years only
with {config.evidence_margin} more score, and a dated article never joins an undated event (nor an
undated event merges with a dated one) unless the undated side names the year (every member of
it). Inside ECB+ the example's undated 2024 Vulin-Putin meeting had joined the 2022 statement in
every arrival order (see the example table below). Undated ECB+ documents are undated only because
the split has no publication dates, so this costs recall here (see the sweep: `evidence_margin`,
`evidence_required`), chiefly stories. The **second chance**: once a batch is placed, each event of
that batch still holding one article is scored as its article would be now (same threshold and
time rules) against the final events, and joins the best one it reaches, its article moving to
that event's story (without: see the ablation row). Its article had been placed before the rest
of its event's reports arrived (undated reports are placed last, in id order) or while that
event's centroid was still one report. Only the batch's own events are looked at, so earlier
events are never reshuffled. Before it, the **event merge** (when an event grows to 2, 4, 8, ... articles its
centroid is scored against the other events; one it reaches at the merge threshold, under the
same time rules as an article, is merged). Single-pass placement had split reports far from
their event's first articles (forum pages, blog posts mixing other news) into events of their
own; a grown centroid gathers them. The merge alone also joins the two same-kind events of a
topic when one is undated (two Qeshm earthquakes, 2005 and 2008), so an undated event whose
members mention only years at least `merge_year_gap` before the other's first date is kept
apart. Entity keys from the entities stage score events F1 {batch[0][2]:.3f} against {proxy[0][2]:.3f} with the
proper-noun proxy (stories {batch[1][2]:.3f} against {proxy[1][2]:.3f}); places weighted double (-0.009)
and mention counts without descriptions and pronouns (-0.002) did not help. Widening the time
gate to 730 days lets follow-ups join (trial and sentence two years on, as ECB+ counts them) but
costs more precision than it gains (-0.009 with the merge, proxy keys).

Stories are the hard target: ECB+ topics are *kinds* of event (two actresses' deaths, two prison
escapes, two film directors hired) whose two events share almost no names and few terms, so a
cosine that is high for one pair of sibling events is lower than that of two unrelated events
sharing a city (Greek riots 19_ecb and the Athens bank bombing 8_ecbplus share Athens, Greece and
the police). What reached the target is **local scaling with average link over events, once per
batch**: when a batch is placed, its new events are grouped by average link with each other and
with the existing stories over the cosine of their term centroids, each cosine divided by the
geometric mean of both events' scale (the mean cosine to their {config.story_neighbours} nearest events, at least
{config.story_scale_floor}). Two obituaries that share only the words of a death are close *for them*; two events
in a crowded neighbourhood need more. Without the scaling (every scale the floor: a plain
average link) see the ablation row and the last rows of the sweep: on ECB+ a plain average link
peaks as high, but on a narrower band of thresholds, and one cosine cannot serve a corpus where
some subjects are covered densely and others by one report each. An event that grows in a later
batch is linked again (its first reports alone chose its story), scoring its own story
`story_stay` times higher, so it moves only to a story it clearly reaches; events a batch does
not change never move (see the small-batch table below).
Entity keys and sentence vectors are left out of the story cosine: offline, on the events found,
adding either lowered the best story F1 (sentence vectors of unrelated news reports are close).
Also tried and dropped, before: placing each new event in the story its first article scored
best against (terms, entities and sentence vectors), with a story merge when an event grew;
terms of the lead sentences with names removed; MiniLM and WordLlama vectors of the leads.

Cost: sentence vectors {embed_s:.0f} s (the sentence stage{"; cached runs read them" if cached else ""}),
entities stage {people_s:.0f} s{" (read from the cache)" if cached and people_s < 5 else ""}, event features
{feature_s:.1f} s, placing all {len(docs)} documents in events and stories {batch_s:.1f} s."""


def _stories_report(references: list[list[object]], config: EventConfig, shipped: Scores) -> str:
    found_local = next(r for r in references if r[0] != "gold events" and r[1] != "cosine")
    return f"""### What stories the features could reach (offline, best threshold picked on the gold topics)

Average link over event centroids (term vectors summed over each event's articles, TF-IDF over
the whole corpus), with each threshold chosen by looking at the gold topics: not shippable, it
bounds what these features can do, on the gold events and on the events the stage found. Local
scaling divides each cosine by the geometric mean of both events' mean cosine to their
{config.story_neighbours} nearest events (at least {config.story_scale_floor}), as the story stage does.

{table(["events given", "similarity", "best stories F1", "at threshold", "stories"], references)}

The shipped stage, one batch, at its fixed threshold {config.story_threshold}: stories F1 {shipped[1][2]:.3f}, against
{found_local[2]:.3f} for the best offline threshold on the same events (its centroids are the index's:
each article's heaviest terms, cut to the centroid's heaviest)."""


def _small_batches(docs: Sequence[GoldDoc], features: dict[str, EventFeatures], config: EventConfig,
                   seed: int) -> str:
    rows: list[list[object]] = []
    for stay in STAYS:
        varied = replace(config, story_stay=stay)
        row: list[object] = [f"story_stay = {stay}{' (shipped)' if stay == config.story_stay else ''}"]
        for size in (*SMALL_BATCHES, 1):
            scores = []
            for k in range(SMALL_SHUFFLES):
                order = list(docs)
                random.Random(seed + k).shuffle(order)
                scores.append(cluster_batches(order, features, varied, size))
            row += [statistics.mean(s[0][2] for s in scores), statistics.mean(s[1][2] for s in scores)]
        rows.append(row)
    names = [*(f"batches of {n}" for n in SMALL_BATCHES), "one by one"]
    headers = ["setting"] + [f"{name}: {part} F1" for name in names for part in ("events", "stories")]
    return f"""### Small batches (a daily import)

The same documents in {SMALL_SHUFFLES} shuffled orders, placed in batches of
{", ".join(map(str, SMALL_BATCHES))} and one at a time (means over the orders).
Stories are linked once per batch from what the batch holds: an event's first reports may
choose its story, so an event that grows in a later batch is linked again, scoring its own story
`story_stay` times higher (hysteresis: it moves only to a story it clearly reaches).

{table(headers, rows)}"""


def cluster_batches(order: Sequence[GoldDoc], features: dict[str, EventFeatures], config: EventConfig,
                    size: int) -> Scores:
    """Events and stories of ``order`` placed in batches of ``size``; B-cubed against subtopic and topic."""
    index = EventIndex(config)
    for start in range(0, len(order), size):
        index.add_all((d.article, features[d.article.id]) for d in order[start : start + size])
    events = {a: e.id for e in index.events() for a in e.articles}
    stories = {a: s.id for s in index.stories() for a in s.articles}
    return (bcubed(events, {d.article.id: d.subtopic for d in order}),
            bcubed(stories, {d.article.id: d.topic for d in order}), len(index.events()), len(index.stories()))


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


def example_corpus(cache: str | None = None, entities: bool = True) -> list[tuple[Article, EventFeatures]]:
    """The bundled example corpus through the real ingest, sentence and (unless not ``entities``) entities stages."""
    articles = [normalise(next(iter(read_file(str(p), 20_000_000)))) for p in sorted(EXAMPLE.glob("*.txt"))]
    people: dict[str, ArticlePeople] = (people_for(articles, cache) if cache else
                                        {a.id: analyse_people(a) for a in articles}) if entities else {}
    return [(a, event_features(a, s, people.get(a.id)))
            for a, s in zip(articles, embed_articles(articles), strict=True)]


def _sweep(docs: Sequence[GoldDoc], features: dict[str, EventFeatures], config: EventConfig,
           cache: str | None) -> str:
    example = example_corpus(cache)
    proxy_example = example_corpus(entities=False)
    rows: list[list[object]] = []
    for name, values in SWEEP.items():
        shipped = getattr(config, name)
        for value in values:
            varied = replace(config, **{name: value})
            scores = cluster(docs, features, varied, batch=True)
            mark = " (shipped)" if value == shipped else ""
            rows.append([f"{name} = {value}{mark}", scores[0][2], scores[0][0], scores[0][1], scores[1][2],
                         f"{example_orders(varied, example)}/120", f"{example_orders(varied, proxy_example)}/120"])
    for cosine in PLAIN_COSINES:
        varied = replace(config, story_neighbours=0, story_threshold=round(cosine / config.story_scale_floor, 4))
        scores = cluster(docs, features, varied, batch=True)
        rows.append([f"plain average link (story_neighbours = 0) at cosine {cosine}", scores[0][2], scores[0][0],
                     scores[0][1], scores[1][2], f"{example_orders(varied, example)}/120",
                     f"{example_orders(varied, proxy_example)}/120"])
    return ("### Sensitivity (one batch, each setting varied alone)\n\n"
            "The last columns are the constraint every setting was chosen under: in how many of the 120\n"
            "orders of arrival (one article at a time) the example corpus comes out as its four events\n"
            "({000}, {001, 004}, {002}, {003}) in one story, with the entities stage's keys and with the\n"
            "proper-noun proxy.\n\n"
            + table(["setting", "events F1", "events P", "events R", "stories F1", "example right",
                     "example right (proxy)"], rows))


# --- Event membership confidence -------------------------------------------------------------

CALIBRATION_MODULE = Path(__file__).resolve().parent.parent / "src/storyline/stages/events/calibration.py"
# Knots rest on at least this many memberships each.
MIN_BLOCK = 25


def memberships(docs: Sequence[GoldDoc], features: dict[str, EventFeatures],
                config: EventConfig) -> dict[str, tuple[float, bool]]:
    """Each document's membership margin in the shipped batch clustering, and whether it is right.

    Right: the document's gold event (subtopic) is its found event's majority event (a tie counts
    for every tied event); for a document alone in its found event, right when no other document
    reports its gold event (in ECB+ every event has several reports, so a lone document is wrong).
    """
    index = EventIndex(config)
    index.add_all((d.article, features[d.article.id]) for d in docs)
    gold = {d.article.id: d.subtopic for d in docs}
    sizes = Counter(gold.values())
    out: dict[str, tuple[float, bool]] = {}
    for event in index.events():
        counts = Counter(gold[a] for a in event.articles)
        top = max(counts.values())
        for article in event.articles:
            margin = index.placed[article].margin
            raw = ALONE_MARGIN if margin is None else margin
            right = sizes[gold[article]] == 1 if len(event.articles) == 1 else counts[gold[article]] == top
            out[article] = (raw, right)
    return out


def membership_calibration(docs: Sequence[GoldDoc], features: dict[str, EventFeatures], config: EventConfig,
                           seed: int) -> tuple[Knots, list[tuple[float, bool]], list[tuple[float, bool]]]:
    """Knots fitted on all topics, and held-out (confidence, right) pairs from a two-fold split of the topics.

    The topics are shuffled and halved; knots fitted on one half's memberships calibrate the other
    half's, and the reverse, so no reported confidence was fitted on its own document.
    Also returns the in-sample pairs of the shipped knots.
    """
    found = memberships(docs, features, config)
    topics = sorted({d.topic for d in docs})
    random.Random(seed).shuffle(topics)
    halves = (set(topics[: len(topics) // 2]), set(topics[len(topics) // 2 :]))
    held_out: list[tuple[float, bool]] = []
    for fit_on, test_on in (halves, halves[::-1]):
        knots = fit_isotonic([found[d.article.id] for d in docs if d.topic in fit_on], MIN_BLOCK)
        held_out += [(calibrate(found[d.article.id][0], knots), found[d.article.id][1])
                     for d in docs if d.topic in test_on]
    shipped = fit_isotonic(found.values(), MIN_BLOCK)
    in_sample = [(calibrate(raw, shipped), right) for raw, right in found.values()]
    return shipped, held_out, in_sample


def write_calibration(knots: Knots, command: str) -> None:
    """Write the generated calibration module of the events stage."""
    rows = "\n".join(f"    ({score!r}, {conf!r})," for score, conf in knots)
    CALIBRATION_MODULE.write_text(f'''"""Calibration of event membership confidence (raw score: the membership margin).

Generated by ``{command}``.
Do not edit by hand: re-run it.
"""

from storyline.confidence import Knots

MEMBERSHIP_KNOTS: Knots = (
{rows}
)
''', encoding="utf-8")


def _membership_report(shipped: Knots, held_out: list[tuple[float, bool]], in_sample: list[tuple[float, bool]]) -> str:
    knots = ", ".join(f"({s:+.3f}, {c:.2f})" for s, c in shipped)
    return f"""### Confidence of event membership

Each article's membership of its event gets a confidence from its margin: the score it reached
against the event (or, when it came with the smaller half of a merged event, the merge score)
minus the score it needed (time rules included); an article alone in its event gets the (negative)
margin by which its best candidate fell short. A membership is right when the article's gold event
is its found event's majority event; an article alone is right only when no other document reports
its event (in ECB+ every event has several reports, so lone articles are calibrated as doubtful).
Knots are fitted by isotonic regression (blocks of at least {MIN_BLOCK}); the reported figures are
**held out**: the topics are split in two halves at random, the knots fitted on one half calibrate
the other, and the reverse. The shipped knots are fitted on all topics: {knots}.

{calibration_report({"event membership (held-out half of the topics)": held_out,
                     "event membership (shipped knots, in sample)": in_sample})}"""


# --- Event dates -----------------------------------------------------------------------------

DATE_AGREE_DAYS = 30


def _first_lead_date(doc: GoldDoc) -> str | None:
    """The rule before: the first full date within DATELINE_CHARS of the top, whatever it dates."""
    return next((d for at, d in full_dates(doc.article.text) if at < DATELINE_CHARS), None)


def _dates_report(docs: Sequence[GoldDoc], features: dict[str, EventFeatures]) -> str:
    rules = {"first date near the top (before)": {d.article.id: _first_lead_date(d) for d in docs},
             "own date of the article (shipped)": {d.article.id: features[d.article.id].dateline for d in docs}}
    rows = []
    for name, dates in rules.items():
        dated = [d for d in docs if dates[d.article.id]]
        agree = pairs = 0
        for a, b in itertools.combinations(dated, 2):
            if a.subtopic == b.subtopic:
                pairs += 1
                agree += abs(_days(dates[a.article.id]) - _days(dates[b.article.id])) <= DATE_AGREE_DAYS
        anachronistic = sum(
            1 for d in dated
            if int(str(dates[d.article.id])[:4]) + 2 <= max(bare_years(d.article.text), default=0))
        rows.append([name, len(dated), pairs, agree / pairs if pairs else 0.0, anachronistic])
    return f"""### Event dates

An event is dated by its articles' publication dates or, for an article without one, the first date
near the top of its text ({DATELINE_CHARS} characters) that dates the article's own event: a
dateline (a date on a short line of its own, or in the URL) or a date belonging to the main verb of
its sentence, not one after "born"/"since", inside a relative clause or naming a noun ("the
March 11, 2005, incident"), nor inside parentheses (an obituary's life dates). ECB+ has no
publication dates, so this is all its documents get. Agreement: pairs of dated documents of one
event (subtopic) whose dates are at most {DATE_AGREE_DAYS} days apart. Anachronistic: a document dated two
or more years before a year its own text mentions (a birth date taken for the news; a text
naming a future year, a contract to 2017, counts too).

{table(["rule", "dated documents", "pairs in one event", "pairs agreeing", "anachronistic dates"], rows)}"""


def _days(date: str | None) -> int:
    return dt.date.fromisoformat(str(date)[:10]).toordinal()


# --- The example corpus inside ECB+ ----------------------------------------------------------

def example_inside(docs: Sequence[GoldDoc], features: dict[str, EventFeatures], config: EventConfig,
                   example: list[tuple[Article, EventFeatures]], seed: int) -> str:
    """How often the example's events come out as they do alone when the example arrives inside ECB+."""
    names = {a.id: Path(a.path).name[:3] for a, _f in example}
    ecb = [(d.article, features[d.article.id]) for d in docs]

    def found(index: EventIndex) -> set[frozenset[str]]:
        return {frozenset(names[a] for a in e.articles if a in names) for e in index.events()} - {frozenset()}

    alone = EventIndex(config)
    alone.add_all(example)
    reference = found(alone)
    runs: list[tuple[str, set[frozenset[str]]]] = []
    for name, batches in (("one batch", [example + ecb]), ("ECB+, then the example", [ecb, example]),
                          ("the example, then ECB+", [example, ecb])):
        index = EventIndex(config)
        for batch in batches:
            index.add_all(batch)
        runs.append((name, found(index)))
    for k in range(EXAMPLE_SHUFFLES):
        order = example + ecb
        random.Random(seed + k).shuffle(order)
        for size in (50, 1):
            index = EventIndex(config)
            for start in range(0, len(order), size):
                if size == 1:
                    index.add(*order[start])
                else:
                    index.add_all(order[start : start + size])
            runs.append((f"shuffled (seed +{k}), {'one by one' if size == 1 else f'batches of {size}'}", found(index)))
    rows = [[name, _show(events), events == reference, any({"000", "004"} <= e for e in events)]
            for name, events in runs]
    same = sum(events == reference for _n, events in runs)
    apart = sum(not any({"000", "004"} <= e for e in events) for _n, events in runs)
    return f"""### The example corpus inside ECB+

The five example articles alone form {_show(reference)}. Here they arrive with the {len(docs)} ECB+
documents in {len(runs)} arrangements: their events are unchanged in {same}/{len(runs)}; the 2022
statement (000) and the undated 2024 Vulin-Putin meeting (004) stay in different events in
{apart}/{len(runs)}.

{table(["arrival", "the example's events", "same as alone", "000 and 004 together"], rows)}"""


EXAMPLE_SHUFFLES = 3


def _show(events: set[frozenset[str]]) -> str:
    return " ".join("{" + ", ".join(sorted(e)) + "}" for e in sorted(events, key=sorted))


if __name__ == "__main__":
    main()
