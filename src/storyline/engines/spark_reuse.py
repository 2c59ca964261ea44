"""Near-duplicate reuse candidates on Spark: a DataFrame join on MinHash LSH band keys.

passim finds reuse candidates by joining n-gram postings; storyline's near-duplicate candidates
are LSH collisions, so the same idea is a join on (band, band key): a new article and an indexed
one (or an earlier new one) are candidates when they share a key. The join gives exactly the
pairs the in-memory LSH query would, so the reuse links are the same as with the local engine;
the digest and sentence-vector candidates and the alignments stay in the reuse index.

The band keys of the indexed articles live in a Spark DataFrame that grows by each chunk's new
rows (checkpointed locally, so its lineage stays short).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from storyline.stages.contract import Index, Item
from storyline.stages.reuse.stage import ReuseLinker

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from storyline.stages.reuse.index import ReuseIndex


class SparkReuseCandidates:
    """Keeps the band keys of the indexed articles on Spark; gives the reuse index each chunk's candidates."""

    def __init__(self, session: SparkSession) -> None:
        self.session = session
        self._known: DataFrame | None = None
        self._shipped = 0  # slots of the reuse index whose band keys are in ``_known``

    def prepare(self, index: Index, items: Sequence[Item]) -> None:
        """Join the items' band keys with the indexed articles' and earlier items'; hand the result to the index."""
        if not isinstance(index, ReuseLinker):
            return
        reuse = index.index
        self._ship(reuse)
        new = [(band, key, item.article.id, order) for order, item in enumerate(items)
               for band, key in reuse.band_keys(item.features)]
        found: dict[str, set[str]] = {item.article.id: set() for item in items}
        if new:
            for article, other in self.pairs(new):
                found[article].add(other)
        index.index.give_near_duplicates({a: sorted(ids) for a, ids in found.items()})

    def pairs(self, new: list[tuple[int, bytes, str, int]]) -> list[tuple[str, str]]:
        """(new article, candidate) for every shared band key: with indexed articles, and with the new
        articles earlier in the chunk (as the LSH would hold them by then)."""
        from pyspark.sql import functions as F

        rows = self.session.createDataFrame(new, _schema(*_NEW_FIELDS))
        a, b = rows.alias("a"), rows.alias("b")
        inside = (a.join(b, (F.col("a.band") == F.col("b.band")) & (F.col("a.key") == F.col("b.key"))
                         & (F.col("b.position") < F.col("a.position")))
                  .select(F.col("a.article").alias("article"), F.col("b.article").alias("other")))
        found = inside
        if self._known is not None:
            known = self._known.alias("k")
            found = found.union(
                a.join(known, (F.col("a.band") == F.col("k.band")) & (F.col("a.key") == F.col("k.key")))
                .select(F.col("a.article").alias("article"), F.col("k.article").alias("other")))
        return [(row["article"], row["other"]) for row in found.distinct().collect()]

    def _ship(self, reuse: ReuseIndex) -> None:
        """Add the band keys of the articles indexed since the last chunk to the known DataFrame."""
        entries = reuse.entries(self._shipped)
        self._shipped += len(entries)
        rows = [(band, key, entry.article.id) for entry in entries for band, key in reuse.band_keys(entry.features)]
        if not rows:
            return
        delta = self.session.createDataFrame(rows, _schema(*_KNOWN_FIELDS))
        merged = delta if self._known is None else self._known.union(delta)
        self._known = merged.localCheckpoint()


def _schema(*fields: tuple[str, str]) -> Any:
    """A Spark schema (pyspark is an optional extra: imported only when a Spark run needs it)."""
    from pyspark.sql import types as T

    kinds = {"int": T.IntegerType(), "binary": T.BinaryType(), "string": T.StringType()}
    return T.StructType([T.StructField(name, kinds[kind], False) for name, kind in fields])


_KNOWN_FIELDS = (("band", "int"), ("key", "binary"), ("article", "string"))
_NEW_FIELDS = (*_KNOWN_FIELDS, ("position", "int"))
