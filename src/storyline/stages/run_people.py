"""The ``people`` stage in the store: per-article people and quotes, resolved into corpus entities.

Per article (pure, the costly part: one spaCy parse, ~11 articles/s): :func:`analyse_people`.
Per corpus (incremental): the :class:`EntityRegistry`, kept as stage state and grown by each
chunk of new articles; each article's result is stored with the entity id of each of its
local entities, so that pages can show an article's mentions and quotes without the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storyline.pipeline import Progress, stage
from storyline.stages.entities import ArticlePeople, EntityRegistry, analyse_people
from storyline.stages.entities.registry import STATE_VERSION
from storyline.stages.state import dump_json, load_json, read_state, write_state
from storyline.store.base import Store

PEOPLE = "people"
PEOPLE_STATE = f"{PEOPLE}@{STATE_VERSION}"
# Articles parsed per store transaction: ~9 s of spaCy work, so an interruption loses little,
# while the registry state (rewritten with each chunk) is written at most once per 100 articles.
PEOPLE_CHUNK = 100


@dataclass(frozen=True, slots=True)
class ResolvedPeople:
    """One article's people-and-quotes result with the corpus entity id of each local entity."""

    people: ArticlePeople
    ids: dict[int, str]

    def entity_of(self, local: int | None) -> str | None:
        """The corpus entity id of a local entity index (None for None or an unknown index)."""
        return None if local is None else self.ids.get(local)

    def to_bytes(self) -> bytes:
        """Serialise for the store (zlib-compressed JSON)."""
        data: dict[str, Any] = self.people.to_dict()
        data["ids"] = {str(k): v for k, v in self.ids.items()}
        return dump_json(data)

    @classmethod
    def from_bytes(cls, blob: bytes) -> ResolvedPeople:
        """Inverse of :meth:`to_bytes`."""
        data = load_json(blob)
        ids = {int(k): str(v) for k, v in data.pop("ids").items()}
        return cls(ArticlePeople.from_dict(data), ids)


def load_registry(store: Store) -> EntityRegistry:
    """The corpus entity registry as stored (empty if the stage never ran)."""
    state = read_state(store, PEOPLE_STATE)
    return EntityRegistry() if state is None else EntityRegistry.from_state(state)


def load_people(store: Store, ids: list[str] | None = None) -> dict[str, ResolvedPeople]:
    """Stored people-and-quotes results by article id."""
    return {i: ResolvedPeople.from_bytes(blob) for i, blob in store.features(PEOPLE, ids)}


@stage(PEOPLE, help="people, organisations and places; roles; quotes with their speakers", state=PEOPLE_STATE)
def run_people(store: Store, pending: list[str], progress: Progress | None) -> int:
    """Analyse every pending article and resolve it into the corpus registry; returns quotes found."""
    registry = load_registry(store)
    quotes = 0
    for start in range(0, len(pending), PEOPLE_CHUNK):
        chunk = list(store.articles(pending[start : start + PEOPLE_CHUNK]))
        resolved: list[ResolvedPeople] = []
        for article in chunk:
            people = analyse_people(article)
            resolved.append(ResolvedPeople(people, registry.add(article, people)))
            quotes += len(people.quotes)
            if progress:
                progress(1)
        with store.transaction():
            store.put_features(PEOPLE, ((r.people.article, r.to_bytes()) for r in resolved))
            write_state(store, PEOPLE_STATE, registry.to_state())
            store.mark_done(PEOPLE, (a.id for a in chunk))
    return quotes
