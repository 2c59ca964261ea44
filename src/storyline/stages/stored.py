"""The analysis results as stored, decoded for the readers: per-article features and corpus indexes.

Readers (pages, API, CLI, export, search) go through these; they never run a stage. Each loader
uses the stage's declared codec (``stages/<name>/stage.py``), so there is one decoding of a blob.
"""

from __future__ import annotations

from typing import Any

from storyline.stages.claims import ArticleStatements, ClaimIndex
from storyline.stages.claims.stage import STAGE as CLAIMS_STAGE
from storyline.stages.claims.stage import ClaimGrouper
from storyline.stages.contract import Stage
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


def features(store: Store, stage: Stage, ids: list[str] | None = None) -> dict[str, Any]:
    """The stored values of ``stage`` by article id (all processed articles, or ``ids``)."""
    return {i: stage.decode(i, blob) for i, blob in store.features(stage.name, ids)}


def _state(store: Store, stage: Stage) -> dict[str, Any] | None:
    assert stage.state_key is not None
    return read_state(store, stage.state_key)


def load_sentences(store: Store, ids: list[str] | None = None) -> dict[str, ArticleSentences]:
    """Stored sentence spans and vectors by article id."""
    return features(store, SENTENCES_STAGE, ids)


def load_people(store: Store, ids: list[str] | None = None) -> dict[str, ResolvedPeople]:
    """Stored people-and-quotes results by article id."""
    return features(store, PEOPLE_STAGE, ids)


def load_registry(store: Store) -> EntityRegistry:
    """The corpus entity registry as stored (empty if the stage never ran)."""
    index = PEOPLE_STAGE.index
    assert index is not None
    loaded = index.load(_state(store, PEOPLE_STAGE), list)
    assert isinstance(loaded, PeopleIndex)
    return loaded.registry


def load_statements(store: Store, ids: list[str] | None = None) -> dict[str, ArticleStatements]:
    """Stored statements by article id."""
    return features(store, CLAIMS_STAGE, ids)


def load_claim_index(store: Store) -> ClaimIndex:
    """The corpus claim index as stored (empty if the stage never ran)."""
    index = CLAIMS_STAGE.index
    assert index is not None
    loaded = index.load(_state(store, CLAIMS_STAGE), list)
    assert isinstance(loaded, ClaimGrouper)
    return loaded.index


def load_event_features(store: Store, ids: list[str] | None = None) -> dict[str, EventFeatures]:
    """Stored event features by article id."""
    return features(store, EVENTS_STAGE, ids)


def load_event_index(store: Store) -> EventIndex:
    """The corpus event index as stored (empty if the stage never ran)."""
    index = EVENTS_STAGE.index
    assert index is not None
    loaded = index.load(_state(store, EVENTS_STAGE), list)
    assert isinstance(loaded, EventPlacer)
    return loaded.index
