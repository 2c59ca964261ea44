"""A set of article groups (events) with centroids and an inverted index over them.

Finding the groups an article could join must not cost a pass over every group's terms: each
group's centroid keys are posted in an inverted index, so only groups sharing a key with the
article are scored, and the sentence-vector cosine to every group is one matrix product.
"""

from __future__ import annotations

import base64
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyline.stages.events.cluster import Centroid, Idf, SparseVector, weigh

# Groups nominated by the sentence-vector cosine alone, on top of those sharing a key.
DENSE_CANDIDATES = 8
# An article's heaviest keys looked up in the inverted index (terms, entities): enough to find
# every group it could reach the threshold with, few enough to skip the long lists of common words.
CANDIDATE_TERMS = 25
CANDIDATE_ENTITIES = 10
# Groups scored per article at most: those sharing the most weight of its heaviest keys. Common
# names (a president in political news) are posted under thousands of groups; only the groups
# sharing several heavy keys can reach a threshold.
MAX_CANDIDATES = 20
# A key posted under more groups than this is skipped when looking for candidates.
MAX_POSTING = 300
_GROW = 256


@dataclass(slots=True)
class Group:
    """One event: its members, centroids, date range and story."""

    id: str
    row: int
    terms: Centroid
    entities: Centroid
    vector: np.ndarray  # float32 sum of the members' unit sentence vectors
    members: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    parent: str | None = None  # an event's story
    latest_year: int | None = None  # the latest year any member mentions
    # The years every member gives as its time (its date's year and the years it mentions): an
    # undated event's only evidence of when it happened (None before the first member).
    years: frozenset[int] | None = None

    def widen(self, date: str | None) -> None:
        """Stretch the date range to include ``date``."""
        if date is None:
            return
        self.start = date if self.start is None or date < self.start else self.start
        self.end = date if self.end is None or date > self.end else self.end

    def score(self, vectors: ArticleVectors, dense: float, weights: tuple[float, float, float]) -> float:
        """Weighted sum of the term, entity and sentence-vector cosines of an article to the group."""
        w_terms, w_entities, w_vector = weights
        return (w_terms * self.terms.cosine(vectors.terms, vectors.idf_terms)
                + w_entities * self.entities.cosine(vectors.entities, vectors.idf_entities) + w_vector * dense)

    def to_state(self) -> dict[str, Any]:
        """A JSON-ready dictionary of the group."""
        return {
            "id": self.id, "members": self.members, "terms": pack_weights(self.terms.weights),
            "entities": pack_weights(self.entities.weights),
            "vector": base64.b64encode(self.vector.astype(np.float32).tobytes()).decode("ascii"),
            "start": self.start, "end": self.end, "parent": self.parent,
            "latest_year": self.latest_year, "years": None if self.years is None else sorted(self.years),
        }


@dataclass(frozen=True, slots=True)
class ArticleVectors:
    """An article weighed against the corpus.

    ``terms_tf``/``entities_tf`` are unit tf vectors (what a centroid sums), ``terms``/``entities``
    unit TF-IDF vectors under the current IDF (what is scored), ``vector`` the unit sentence mean.
    """

    terms_tf: SparseVector
    entities_tf: SparseVector
    terms: SparseVector
    entities: SparseVector
    vector: np.ndarray
    idf_terms: Idf
    idf_entities: Idf


class GroupSet:
    """Groups of one kind with the indexes that find an article's candidate groups."""

    def __init__(self, term_limit: int, entity_limit: int, dim: int) -> None:
        self.term_limit = term_limit
        self.entity_limit = entity_limit
        self.groups: dict[str, Group] = {}
        self.order: list[str] = []
        self._posting: dict[str, set[int]] = {}
        self._dead: set[int] = set()
        self._unit = np.zeros((_GROW, dim), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.order)

    def open(self, group_id: str) -> Group:
        """A new empty group, indexed under the next row."""
        row = len(self.order)
        if row >= self._unit.shape[0]:
            self._unit = np.vstack([self._unit, np.zeros_like(self._unit)])
        group = Group(group_id, row, Centroid(self.term_limit), Centroid(self.entity_limit),
                      np.zeros(self._unit.shape[1], dtype=np.float32))
        self.groups[group_id] = group
        self.order.append(group_id)
        return group

    def add(
        self, group: Group, article: str, vectors: ArticleVectors, date: str | None, latest: int | None,
        years: frozenset[int] = frozenset(),
    ) -> None:
        """Add an article's vectors to ``group`` and keep the indexes current.

        ``years`` are the years the article gives as its time (its date's, and those it mentions).
        """
        group.members.append(article)
        group.widen(date)
        group.years = years if group.years is None else group.years & years
        if latest is not None and (group.latest_year is None or latest > group.latest_year):
            group.latest_year = latest
        for prefix, centroid, vector, weight in (
            ("t:", group.terms, vectors.terms_tf, vectors.idf_terms),
            ("e:", group.entities, vectors.entities_tf, vectors.idf_entities),
        ):
            self._repost(prefix, group.row, *centroid.add(vector, weight))
        group.vector += vectors.vector
        self._refresh_row(group)

    def _repost(self, prefix: str, row: int, entered: Iterable[str], left: Iterable[str]) -> None:
        """Keep the posting lists in step with the keys that entered and left a group's centroid."""
        for key in entered:
            self._posting.setdefault(prefix + key, set()).add(row)
        for key in left:
            self._posting[prefix + key].discard(row)

    def absorb(self, target: Group, source: Group, idf_terms: Idf, idf_entities: Idf) -> None:
        """Merge ``source`` into ``target`` and drop ``source`` from the set and its indexes."""
        target.members.extend(source.members)
        if source.years is not None:
            target.years = source.years if target.years is None else target.years & source.years
        target.widen(source.start)
        target.widen(source.end)
        if source.latest_year is not None and (target.latest_year is None or source.latest_year > target.latest_year):
            target.latest_year = source.latest_year
        for prefix, mine, theirs, weight in (
            ("t:", target.terms, source.terms, idf_terms), ("e:", target.entities, source.entities, idf_entities)
        ):
            for key in theirs.weights:
                self._posting[prefix + key].discard(source.row)
            self._repost(prefix, target.row, *mine.add(theirs.weights, weight))
        target.vector += source.vector
        self._refresh_row(target)
        self._unit[source.row] = 0.0
        self._dead.add(source.row)
        del self.groups[source.id]

    def candidates(self, vectors: ArticleVectors) -> tuple[list[Group], np.ndarray]:
        """Groups sharing a key with the article or closest in sentence vectors, and all dense cosines."""
        n = len(self.order)
        if n == 0:
            return [], np.zeros(0, dtype=np.float32)
        dense = self._unit[:n] @ vectors.vector
        if self._dead:
            dense[list(self._dead)] = -2.0
        hits: dict[int, float] = {}
        lookups = (("t:", vectors.terms, CANDIDATE_TERMS), ("e:", vectors.entities, CANDIDATE_ENTITIES))
        for prefix, keys, limit in lookups:
            for key in heaviest(keys, limit):
                weight = keys[key]
                posting = self._posting.get(prefix + key, ())
                if len(posting) > MAX_POSTING:
                    continue  # a word in hundreds of groups nominates none of them
                for row in posting:
                    hits[row] = hits.get(row, 0.0) + weight
        rows = set(heapq.nlargest(MAX_CANDIDATES, hits, key=lambda r: (hits[r], -r)))
        if n <= DENSE_CANDIDATES:
            rows.update(range(n))
        else:
            rows.update(int(r) for r in np.argpartition(-dense, DENSE_CANDIDATES)[:DENSE_CANDIDATES])
        return [self.groups[self.order[r]] for r in sorted(rows - self._dead)], dense

    def restore(self, states: Iterable[dict[str, Any]]) -> None:
        """Rebuild the groups and their indexes from :meth:`Group.to_state` dictionaries."""
        for state in states:
            group = self.open(str(state["id"]))
            group.members = [str(m) for m in state["members"]]
            group.terms = Centroid(self.term_limit, unpack_weights(state["terms"]))
            group.entities = Centroid(self.entity_limit, unpack_weights(state["entities"]))
            group.vector = np.frombuffer(base64.b64decode(state["vector"]), dtype=np.float32).copy()
            group.start, group.end, group.parent = state["start"], state["end"], state["parent"]
            group.latest_year = state["latest_year"]
            group.years = None if state.get("years") is None else frozenset(int(y) for y in state["years"])
            for prefix, centroid in (("t:", group.terms), ("e:", group.entities)):
                for key in centroid.weights:
                    self._posting.setdefault(prefix + key, set()).add(group.row)
            self._refresh_row(group)

    def _refresh_row(self, group: Group) -> None:
        norm = float(np.linalg.norm(group.vector))
        self._unit[group.row] = group.vector / norm if norm > 0 else 0.0


def pack_weights(weights: SparseVector) -> list[str] | SparseVector:
    """A centroid's weights for JSON, losslessly: its keys joined by newlines, and the float64 weights in base64.

    About half the size of a JSON object of the same weights (a float64 in base64 takes 10.7
    characters, its shortest decimal form ~19 with the separators). Keys holding a newline
    (possible only for caller-given entity keys) keep the plain object.
    """
    if any("\n" in key for key in weights):
        return dict(weights)
    values = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
    return ["\n".join(weights), base64.b64encode(values.tobytes()).decode("ascii")]


def unpack_weights(packed: list[str] | SparseVector) -> SparseVector:
    """Inverse of :func:`pack_weights`."""
    if isinstance(packed, dict):
        return dict(packed)
    keys, values = packed
    if not keys:
        return {}
    weights = np.frombuffer(base64.b64decode(values), dtype=np.float64)
    return dict(zip(keys.split("\n"), weights.tolist(), strict=True))


def heaviest(vector: SparseVector, limit: int) -> list[str]:
    """The ``limit`` keys of highest weight (ties by key)."""
    if len(vector) <= limit:
        return list(vector)
    return [k for k, _w in sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def group_vectors(group: Group, idf_terms: Idf, idf_entities: Idf) -> ArticleVectors:
    """A group's centroid posed as an article (unit TF-IDF and sentence vectors), to score it against others."""
    norm = float(np.linalg.norm(group.vector))
    vector = group.vector / norm if norm > 0 else group.vector
    return ArticleVectors(
        {}, {}, weigh(group.terms.weights, idf_terms), weigh(group.entities.weights, idf_entities), vector,
        idf_terms, idf_entities,
    )
