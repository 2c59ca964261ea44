"""The ``events`` stage declared: per-article event features, placed in the corpus event index.

Per article (pure, ~8 ms): :func:`event_features` from the text, the sentence vectors and the
people stage's entities (names, descriptions and pronouns counted under the entity's name).
Per corpus: the :class:`EventIndex` (events and the stories they belong to), kept as stage
state; each chunk of new articles is placed with ``add_all`` (date order within the chunk), and
articles placed before never move.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from storyline.stages.contract import Index, IndexSpec, Item, Stage, Work
from storyline.stages.entities.stage import PEOPLE
from storyline.stages.events import EventFeatures, EventIndex, event_features
from storyline.stages.events.index import STATE_VERSION
from storyline.stages.sentences.stage import SENTENCES

EVENTS = "events"


class EventPlacer:
    """The event index behind the contract: ``add`` places a chunk (date order within it)."""

    def __init__(self, index: EventIndex) -> None:
        self.index = index

    def add(self, items: Sequence[Item], indexes: Mapping[str, Index]) -> list[Any]:
        """The event id of each article as placed (later merges may rename it)."""
        placed = self.index.add_all((item.article, item.features) for item in items)
        return [placed.get(item.article.id) for item in items]

    def to_state(self) -> dict[str, Any]:
        """The index's state."""
        return self.index.to_state()


def _load(state: dict[str, Any] | None, replay: Callable[[], Iterable[Item]]) -> EventPlacer:
    return EventPlacer(EventIndex() if state is None else EventIndex.from_state(state))


def _compute(batch: Sequence[Work]) -> list[Any]:
    # The people stage may have found no one: proper-noun keys then stand in.
    return [event_features(w.article, w.inputs[SENTENCES], w.inputs.get(PEOPLE)) for w in batch]


def _encode(features: EventFeatures, placement: Any) -> bytes:
    return features.to_bytes()


def _decode(article: str, blob: bytes) -> EventFeatures:
    return EventFeatures.from_bytes(blob)


STAGE = Stage(
    name=EVENTS,
    help="events (one real-world happening) and stories (a subject)",
    compute=_compute,
    encode=_encode,
    decode=_decode,
    requires=(SENTENCES, PEOPLE),
    index=IndexSpec(version=STATE_VERSION, load=_load),
    # Articles placed per store transaction (the index state is rewritten with each chunk, and
    # the chunk is placed in date order).
    chunk=1000,
)
