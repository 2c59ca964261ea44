"""The ``reuse`` stage declared: per-article MinHash features, linked against the corpus index.

The index keeps no state of its own: it is rebuilt from the stored features of the articles
already linked (``replay``), and each placement is the list of links its article made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from storyline.records import ReuseLink
from storyline.stages.contract import Index, IndexSpec, Item, Stage, Work
from storyline.stages.reuse import ReuseFeatures, ReuseIndex, find_reuse, reuse_features
from storyline.stages.sentences.stage import SENTENCES

REUSE = "reuse"


class ReuseLinker:
    """The reuse index behind the contract: ``add`` links each new article and indexes it."""

    def __init__(self, index: ReuseIndex | None = None) -> None:
        self.index = index or ReuseIndex()

    def add(self, items: Sequence[Item], indexes: Mapping[str, Index]) -> list[Any]:
        """The links each new article makes with the indexed ones (and earlier items)."""
        out: list[Any] = []
        try:
            for item in items:
                out.append(find_reuse(self.index, [(item.article, item.stored[SENTENCES], item.features)]))
        finally:
            # Candidates given by an engine for this batch (see ``give_near_duplicates``) serve it alone.
            self.index.give_near_duplicates(None)
        return out

    def to_state(self) -> dict[str, Any]:
        """Nothing but the version mark: the index is rebuilt from stored features."""
        return {}


def _load(state: dict[str, Any] | None, replay: Callable[[], Iterable[Item]]) -> ReuseLinker:
    index = ReuseIndex()
    for item in replay():
        index.add(item.article, item.stored[SENTENCES], item.features)
    return ReuseLinker(index)


def _compute(batch: Sequence[Work]) -> list[Any]:
    return [reuse_features(work.article) for work in batch]


def _encode(features: ReuseFeatures, placement: Any) -> bytes:
    return features.to_bytes()


def _links(placement: list[ReuseLink] | None) -> list[ReuseLink]:
    return list(placement or ())


def _count(features: Any, placement: list[ReuseLink] | None) -> int:
    return len(placement or ())


STAGE = Stage(
    name=REUSE,
    help="copies and rewrites: duplicate, near_duplicate, partial, rewrite",
    compute=_compute,
    encode=_encode,
    decode=ReuseFeatures.from_bytes,
    index=IndexSpec(version=1, load=_load, requires=(SENTENCES,)),
    # New articles linked per store transaction: an interruption loses at most this many.
    chunk=200,
    links=_links,
    counts=_count,
)
