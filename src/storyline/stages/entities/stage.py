"""The ``people`` stage declared: per-article people and quotes, resolved into corpus entities.

Per article (pure, the costly part: one spaCy parse): :func:`analyse_people`.
Per corpus: the :class:`EntityRegistry`, kept as stage state; each article is stored with the
entity id of each of its local entities (its placement), so that pages can show an article's
mentions and quotes without the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storyline.stages.contract import Index, IndexSpec, Item, Stage, Work
from storyline.stages.entities import ArticlePeople, EntityRegistry, analyse_people
from storyline.stages.entities.registry import STATE_VERSION
from storyline.stages.state import dump_json, load_json

PEOPLE = "people"


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


class PeopleIndex:
    """The entity registry behind the contract: ``add`` resolves each article's local entities."""

    def __init__(self, registry: EntityRegistry) -> None:
        self.registry = registry

    def add(self, items: Sequence[Item], indexes: Mapping[str, Index]) -> list[Any]:
        """The corpus entity id of each local entity, per article."""
        return [self.registry.add(item.article, item.features) for item in items]

    def to_state(self) -> dict[str, Any]:
        """The registry's state."""
        return self.registry.to_state()


def _load(state: dict[str, Any] | None, replay: Callable[[], Iterable[Item]]) -> PeopleIndex:
    return PeopleIndex(EntityRegistry() if state is None else EntityRegistry.from_state(state))


def _compute(batch: Sequence[Work]) -> list[Any]:
    return [analyse_people(work.article) for work in batch]


def _encode(features: ArticlePeople, placement: dict[int, str] | None) -> bytes:
    return ResolvedPeople(features, placement or {}).to_bytes()


def _decode(article: str, blob: bytes) -> ResolvedPeople:
    return ResolvedPeople.from_bytes(blob)


def _people(stored: ResolvedPeople) -> ArticlePeople:
    return stored.people


def _quotes(features: ArticlePeople, placement: Any) -> int:
    return len(features.quotes)


STAGE = Stage(
    name=PEOPLE,
    help="people, organisations and places; roles; quotes with their speakers",
    compute=_compute,
    encode=_encode,
    decode=_decode,
    index=IndexSpec(version=STATE_VERSION, load=_load),
    # Articles per store transaction: ~9 s of spaCy work, so an interruption loses little, while
    # the registry state (rewritten with each chunk) is written at most once per 100 articles.
    chunk=100,
    features_of=_people,
    counts=_quotes,
)
