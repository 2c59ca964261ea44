"""The stage contract: what a stage declares so that any engine (local workers, Spark) can run it.

A stage is data, not a loop over the store. It declares:

- ``compute``: the pure per-article function, batched: a sequence of :class:`Work` (an article
  and the per-article features of the stages it requires) -> one features value per article.
  It touches no store, its inputs and outputs are picklable, and each article's result depends
  on that article alone (batching only fills the models' batches).
- ``encode`` / ``decode``: the feature codec, from (features, placement) to the stored blob and
  back to the stored value (:attr:`Stage.features_of` gives the pure features of a stored value).
- ``index`` (corpus-level stages only): an :class:`IndexSpec` that builds the corpus index fed in
  article order with ``add(items)``, its state codec and its version.

The runner (``storyline.engines``) does all reading and writing: it loads articles and stored
features, maps ``compute`` over batches (in worker processes or on Spark executors), feeds each
index in article order in one process, and writes features, links, state and bookkeeping in one
transaction per chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from storyline.records import Article, ReuseLink


@dataclass(frozen=True, slots=True)
class Work:
    """One article's input to a per-article function: the article and its required features."""

    article: Article
    inputs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Item:
    """One article's input to a corpus index: its own features and the stored values (features and
    placement) of the stages the index requires, by stage name."""

    article: Article
    features: Any
    stored: Mapping[str, Any] = field(default_factory=dict)


class Index(Protocol):
    """A corpus-level index, fed in article order in a single process."""

    def add(self, items: Sequence[Item], indexes: Mapping[str, Index]) -> list[Any]:
        """Place a batch of new articles; one placement per item (None where nothing is kept).
        ``indexes`` holds the indexes of the stages named in ``IndexSpec.indexes``."""
        ...

    def to_state(self) -> dict[str, Any]:
        """The state to store (JSON-able; empty for an index rebuilt from stored features)."""
        ...


@dataclass(frozen=True, slots=True)
class IndexSpec:
    """How a stage's corpus index is made, restored and versioned.

    ``load(state, replay)`` restores the index from its stored state (None if it never ran), or,
    for an index that keeps no state, from ``replay()``: the items of every article already
    processed, in article order. ``requires`` names the stages whose stored values each item
    carries; ``indexes`` the stages whose indexes ``add`` reads. Changing ``version`` makes the
    runner start the stage (and every stage that reads it) again.
    """

    version: int
    load: Callable[[dict[str, Any] | None, Callable[[], Iterable[Item]]], Index]
    requires: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ()


def _identity(value: Any) -> Any:
    return value


def _no_links(placement: Any) -> list[ReuseLink]:
    return []


def _one(features: Any, placement: Any) -> int:
    return 1


@dataclass(frozen=True, slots=True)
class Stage:
    """One analysis stage, declared (see the module docstring).

    ``requires``: the stages whose per-article features ``compute`` reads (``Work.inputs``).
    ``chunk``: articles per index batch and store transaction (an interruption loses at most this
    many; an index that orders its batch, as events does by date, sees this many at once).
    ``links``: the reuse links a placement carries, written to the store's link table.
    ``counts(features, placement)``: the records an article yields, for the run's report.
    """

    name: str
    help: str
    compute: Callable[[Sequence[Work]], list[Any]]
    encode: Callable[[Any, Any], bytes]
    decode: Callable[[str, bytes], Any]
    requires: tuple[str, ...] = ()
    index: IndexSpec | None = None
    chunk: int = 100
    features_of: Callable[[Any], Any] = _identity
    links: Callable[[Any], list[ReuseLink]] = _no_links
    counts: Callable[[Any, Any], int] = _one

    @property
    def state_key(self) -> str | None:
        """The key of the index state in the store, versioned (``events@6``); None without index."""
        return None if self.index is None else f"{self.name}@{self.index.version}"

    @property
    def reads(self) -> tuple[str, ...]:
        """Every stage this one reads: its per-article inputs, its index's items and indexes."""
        extra = () if self.index is None else (*self.index.requires, *self.index.indexes)
        return tuple(dict.fromkeys((*self.requires, *extra)))
