"""What stories the event features could reach offline: average link over event centroids at the best threshold.

Not a configuration anyone can ship (each threshold is picked by looking at the gold topics): it
separates what the term vectors can tell apart from what the incremental story stage loses, on
the gold events and on the events the stage found. Two similarities are compared: the plain
cosine of the centroids, and the cosine divided by the geometric mean of each event's mean
cosine to its nearest events, at least a floor (local scaling, Zelnik-Manor and Perona 2004, with
the story stage's ``story_neighbours`` and ``story_scale_floor``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from benchmarks.events_data import GoldDoc, bcubed
from storyline.stages.events import EventConfig, EventFeatures
from storyline.stages.events.cluster import Idf, tf_vector, weigh

THRESHOLDS = 120


def story_references(
    docs: Sequence[GoldDoc], features: dict[str, EventFeatures], config: EventConfig, found: Sequence[Sequence[str]]
) -> list[list[object]]:
    """Rows (events given, similarity, best story F1, its threshold, stories) for gold and ``found`` events."""
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(t for t, _c in features[doc.article.id].terms)
    idf = Idf(df, len(docs), config.min_pair_df)
    columns: dict[str, int] = {}
    data, rows, cols = [], [], []
    for i, doc in enumerate(docs):
        vector = weigh(tf_vector(dict(features[doc.article.id].terms), idf, config.article_terms), idf)
        for key, value in vector.items():
            rows.append(i)
            cols.append(columns.setdefault(key, len(columns)))
            data.append(value)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(docs), len(columns)))
    position = {d.article.id: i for i, d in enumerate(docs)}
    gold_topics = {d.article.id: d.topic for d in docs}
    by_event: dict[str, list[str]] = {}
    for doc in docs:
        by_event.setdefault(doc.subtopic, []).append(doc.article.id)
    out: list[list[object]] = []
    given = (("gold events", list(by_event.values())), ("events found (shipped)", [list(g) for g in found]))
    for name, groups in given:
        centroids = np.vstack([np.asarray(matrix[[position[a] for a in g]].sum(axis=0)) for g in groups])
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        cosine = centroids @ centroids.T
        k, floor = config.story_neighbours, config.story_scale_floor
        scaled = local_scaling(cosine, k, floor)
        for label, similarity in (("cosine", cosine), (f"local scaling (k={k}, floor {floor})", scaled)):
            f1, threshold, n = best_cut(similarity, groups, gold_topics)
            out.append([name, label, f1, threshold, n])
    return out


def local_scaling(similarity: np.ndarray, k: int, floor: float) -> np.ndarray:
    """Each similarity divided by the geometric mean of both sides' mean similarity to their k nearest others.

    A scale is at least ``floor``; with ``k`` 0 every scale is the floor.
    """
    others = similarity.copy()
    np.fill_diagonal(others, -np.inf)
    nearest = -np.sort(-others, axis=1)[:, : min(k, len(similarity) - 1)]
    scale = np.maximum(nearest.sum(axis=1) / max(k, 1), floor) if k else np.full(len(similarity), floor)
    return similarity / np.sqrt(np.outer(scale, scale))


def best_cut(similarity: np.ndarray, groups: Sequence[Sequence[str]], gold: dict[str, int]) -> tuple[float, float, int]:
    """Average link over ``groups``; the best B-cubed F1 against ``gold`` over thresholds, that threshold, stories."""
    top = float(similarity.max())
    distance = np.maximum(top - similarity, 0.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), "average")
    off = similarity[~np.eye(len(similarity), dtype=bool)]
    best = (0.0, 0.0, 0)
    for threshold in np.quantile(off, np.linspace(0.5, 1.0, THRESHOLDS)):
        labels = fcluster(tree, top - threshold, "distance")
        found = bcubed({a: int(label) for g, label in zip(groups, labels, strict=True) for a in g}, gold)[2]
        if found > best[0]:
            best = (found, float(threshold), len(set(labels)))
    return best
