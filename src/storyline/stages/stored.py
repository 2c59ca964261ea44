"""The analysis results as stored, decoded for the readers: per-article features and corpus indexes.

Readers (pages, API, CLI, export, search) go through these; they never run a stage. Each loader
uses the stage's declared codec (``stages/<name>/stage.py``), so there is one decoding of a blob.
"""

from __future__ import annotations

from typing import Any, TypeVar

from storyline.stages.claims import ArticleStatements, ClaimIndex
from storyline.stages.claims.stage import STAGE as CLAIMS_STAGE
from storyline.stages.claims.stage import ClaimGrouper
from storyline.stages.contract import Index, Stage
from storyline.stages.entities import EntityRegistry
from storyline.stages.entities.stage import STAGE as PEOPLE_STAGE
from storyline.stages.entities.stage import PeopleIndex, ResolvedPeople
from storyline.stages.events import EventFeatures, EventIndex
from storyline.stages.events.stage import STAGE as EVENTS_STAGE
from storyline.stages.events.stage import EventPlacer
from storyline.stages.sentences import ArticleSentences
from storyline.stages.sentences.stage import STAGE as SENTENCES_STAGE
from storyline.stages.state import read_state
from storyline.store.base import Store

T = TypeVar("T")


def features(store: Store, stage: Stage, ids: list[str] | None = None) -> dict[str, Any]:
    """The stored values of ``stage`` by article id (all processed articles, or ``ids``)."""
    return {i: stage.decode(i, blob) for i, blob in store.features(stage.name, ids)}


def index(store: Store, stage: Stage) -> Index:
    """The corpus index of ``stage`` as stored (empty if the stage never ran); an index rebuilt from
    stored features (reuse) comes back empty: only the runner replays it."""
    assert stage.index is not None and stage.state_key is not None
    return stage.index.load(read_state(store, stage.state_key), list)


def _index_of(store: Store, stage: Stage, kind: type[T]) -> T:
    loaded = index(store, stage)
    assert isinstance(loaded, kind), f"{stage.name}: {type(loaded).__name__} is not {kind.__name__}"
    return loaded


def load_sentences(store: Store, ids: list[str] | None = None) -> dict[str, ArticleSentences]:
    """Stored sentence spans and vectors by article id."""
    return features(store, SENTENCES_STAGE, ids)


def load_people(store: Store, ids: list[str] | None = None) -> dict[str, ResolvedPeople]:
    """Stored people-and-quotes results by article id."""
    return features(store, PEOPLE_STAGE, ids)


def load_registry(store: Store) -> EntityRegistry:
    """The corpus entity registry as stored (empty if the stage never ran)."""
    return _index_of(store, PEOPLE_STAGE, PeopleIndex).registry


def load_statements(store: Store, ids: list[str] | None = None) -> dict[str, ArticleStatements]:
    """Stored statements by article id."""
    return features(store, CLAIMS_STAGE, ids)


def load_claim_index(store: Store) -> ClaimIndex:
    """The corpus claim index as stored (empty if the stage never ran)."""
    return _index_of(store, CLAIMS_STAGE, ClaimGrouper).index


def load_event_features(store: Store, ids: list[str] | None = None) -> dict[str, EventFeatures]:
    """Stored event features by article id."""
    return features(store, EVENTS_STAGE, ids)


def load_event_index(store: Store) -> EventIndex:
    """The corpus event index as stored (empty if the stage never ran)."""
    return _index_of(store, EVENTS_STAGE, EventPlacer).index
