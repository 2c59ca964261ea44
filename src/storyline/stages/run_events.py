"""The ``events`` stage in the store: per-article event features, placed in the corpus event index.

Per article (pure, ~8 ms): :func:`event_features` from the text, the stored sentence vectors and
the people stage's entities (names, descriptions and pronouns counted under the entity's name).
Per corpus (incremental): the :class:`EventIndex` (events and the stories they belong to), kept
as stage state; each chunk of new articles is placed with ``add_all`` (date order within the
chunk), and articles placed before never move.
"""

from __future__ import annotations

from storyline.pipeline import Progress, stage
from storyline.stages.entities import ArticlePeople
from storyline.stages.events import EventFeatures, EventIndex, event_features
from storyline.stages.events.index import STATE_VERSION
from storyline.stages.register import SENTENCES, load_sentences
from storyline.stages.run_people import PEOPLE, ResolvedPeople, load_people
from storyline.stages.state import read_state, write_state
from storyline.store.base import Store

EVENTS = "events"
EVENTS_STATE = f"{EVENTS}@{STATE_VERSION}"
# Articles placed per store transaction (the index state is rewritten with each chunk).
EVENTS_CHUNK = 1000


def load_event_index(store: Store) -> EventIndex:
    """The corpus event index as stored (empty if the stage never ran)."""
    state = read_state(store, EVENTS_STATE)
    return EventIndex() if state is None else EventIndex.from_state(state)


def load_event_features(store: Store, ids: list[str] | None = None) -> dict[str, EventFeatures]:
    """Stored event features by article id."""
    return {i: EventFeatures.from_bytes(blob) for i, blob in store.features(EVENTS, ids)}


def _people_of(people: dict[str, ResolvedPeople], article_id: str) -> ArticlePeople | None:
    """The article's people (None, so that proper-noun keys stand in, where the stage found none)."""
    resolved = people.get(article_id)
    return resolved.people if resolved else None


@stage(EVENTS, requires=(SENTENCES, PEOPLE), help="events (one real-world happening) and stories (a subject)",
       state=EVENTS_STATE)
def run_events(store: Store, pending: list[str], progress: Progress | None) -> int:
    """Place every pending article in an event and story; returns the number of events opened."""
    index = load_event_index(store)
    before = len({p.event for p in index.placed.values()})
    for start in range(0, len(pending), EVENTS_CHUNK):
        chunk = list(store.articles(pending[start : start + EVENTS_CHUNK]))
        ids = [a.id for a in chunk]
        sentences, people = load_sentences(store, ids), load_people(store, ids)
        features = [event_features(a, sentences[a.id], _people_of(people, a.id)) for a in chunk]
        index.add_all(zip(chunk, features, strict=True))
        with store.transaction():
            store.put_features(EVENTS, ((f.article, f.to_bytes()) for f in features))
            write_state(store, EVENTS_STATE, index.to_state())
            store.mark_done(EVENTS, (a.id for a in chunk))
        if progress:
            progress(len(chunk))
    return len({p.event for p in index.placed.values()}) - before
