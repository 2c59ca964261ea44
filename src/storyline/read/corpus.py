"""The queries over a store that the read views (:mod:`storyline.read`) and the export are built from.

A :class:`Corpus` wraps an open store and loads each corpus-level stage state (entity registry,
event index) once, again only when the stage has written a newer revision, so a long-running
server sees fresh analysis without reopening anything. Every method returns library records;
:mod:`storyline.read` turns them into the views the CLI, the API and the pages show.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from storyline.confidence import shown
from storyline.errors import NotFoundError, QueryError, StoreError, StorylineError
from storyline.records import Article
from storyline.stages.claims import Claim, ClaimIndex, claim_to_export
from storyline.stages.claims.match import (
    ClaimMatcher,
    embedded_texts,
    known_claim,
    lookup_encoder,
    stored_vectors,
)
from storyline.stages.claims.stage import STAGE as CLAIMS_STAGE
from storyline.stages.contract import Stage
from storyline.stages.entities import Entity, EntityRegistry, EntityRole
from storyline.stages.entities.names import fold, name_key
from storyline.stages.entities.stage import STAGE as PEOPLE_STAGE
from storyline.stages.entities.stage import ResolvedPeople
from storyline.stages.events import EventIndex, FramingTerm, Story, StoryView, framing, source_label, story_view
from storyline.stages.events.records import Event
from storyline.stages.events.stage import STAGE as EVENTS_STAGE
from storyline.stages.quotes import Quote
from storyline.stages.stored import (
    load_claim_index,
    load_event_index,
    load_people,
    load_registry,
    load_sentences,
)
from storyline.store.base import Store

T = TypeVar("T")
# Articles per source that framing compares (the latest ones): log-odds settle well before this many
# (a source's distinctive terms repeat across its articles), and it bounds a large story's cost
# (~5 ms an article) to a second or so however long the story runs.
FRAMING_PER_SOURCE = 40
# A claim named by words is the matcher's best when it scores at least this (the matcher's scores
# are calibrated probabilities); below it the claim index's own word search decides.
FIND_MIN_SCORE = 0.2
FIND_TIE = 0.05
# A claim reference that can only be an id (or an id prefix): answered from the ids alone, never matched
# as words (an unknown id is a 404 at once, not a search of every claim).
_CLAIM_ID = re.compile(r"c-[0-9a-f]{1,16}")


# Candidates named in the message of an ambiguous entity name.
AMBIGUOUS_SHOWN = 5

class _People:
    """The entity registry with its entities and quotes listed once (they only change with the state)."""

    def __init__(self, registry: EntityRegistry) -> None:
        self.registry = registry
        self.entities = registry.entities()
        self.by_id = {e.id: e for e in self.entities}
        self.quotes = registry.quotes()
        self.quote_by_id = {q.id: q for q in self.quotes}
        # For finding an entity by name: most mentioned first, each with its folded name keys.
        self.ranked = sorted(self.entities, key=lambda e: -len(e.mentions))
        self.name_keys = {e.id: [name_key(n) for n in (e.name, *e.aliases)] for e in self.entities}


class _Events:
    """The event index with its events and stories listed once (titles cost ~1 ms per event)."""

    def __init__(self, index: EventIndex) -> None:
        self.index = index
        self.events = index.events()
        self.event_by_id = {e.id: e for e in self.events}
        self.stories = sorted(index.stories(), key=lambda s: (-len(s.articles), s.start_date or "9999", s.id))
        self.story_by_id = {s.id: s for s in self.stories}
        self.framing: dict[str, dict[str, list[FramingTerm]]] = {}


class _Claims:
    """The claim index with its claims built once (a claim is a union-find group, built on demand).

    Each statement's speaker is named by ``name_of`` (the entity registry's current name of its
    entity id) rather than the name its entity had when the statement was added: an entity first
    named "Zadan" and later "Craig Zadan" is shown as "Craig Zadan" everywhere, whether the corpus
    was analysed at once or in parts."""

    def __init__(self, index: ClaimIndex, name_of: Callable[[str], str | None] | None = None) -> None:
        self.index = index
        self.claims = [named(c, name_of) for c in index.claims()] if name_of else index.claims()
        self.by_id = {c.id: c for c in self.claims}
        self.by_id.update({alias: c for c in self.claims for alias in c.aliases})
        self._matcher: ClaimMatcher | None = None
        self._building = threading.Lock()

    def matcher(self, store: Store, unlocked: Callable[[], AbstractContextManager[object]] = nullcontext
                ) -> ClaimMatcher:
        """A matcher over every claim: its canonical text, and its other wordings as the title.

        Built once, from the vectors the claims stage stored at analysis (a claim without one, e.g.
        analysed by an older storyline, is embedded now). The vectors are read first; the rest of
        the build (seconds at tens of thousands of claims: every claim's BM25 terms) reads no store
        and runs inside ``unlocked()``: a server releases its store lock there, so other requests
        go on meanwhile, and a second caller waits for this build rather than starting its own."""
        if self._matcher is None:
            known = [known_claim(c) for c in self.claims]
            found = stored_vectors(store, embedded_texts(known))
            with unlocked(), self._building:
                if self._matcher is None:
                    self._matcher = ClaimMatcher.build(known, encoder=lookup_encoder(found))
        return self._matcher

    @property
    def matcher_built(self) -> bool:
        """Whether :meth:`matcher` has been built."""
        return self._matcher is not None


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """An entity with the counts a list shows: mentions, articles and quotes."""

    entity: Entity
    articles: int
    quotes: int


class Corpus:
    """Queries over one store; cheap to create, caches stage states by revision.

    ``unlocked``: a context in which work that reads no store may run without the caller's lock on
    it (the web desk releases its lock there; the default holds nothing)."""

    def __init__(self, store: Store, unlocked: Callable[[], AbstractContextManager[object]] | None = None) -> None:
        self.store = store
        self.unlocked = unlocked or nullcontext
        self._cache: dict[str, tuple[int | None, Any]] = {}
        # the claims as shown: (claim index, people view, claims named by that people view)
        self._claims_view: tuple[ClaimIndex, _People | None, _Claims] | None = None

    def _state(self, declared: Stage, load: Callable[[Store], T]) -> T:
        stage, key = declared.name, declared.state_key or declared.name
        revision = self.store.state_revision(key)
        cached = self._cache.get(key)
        if cached is None or cached[0] != revision:
            if revision is None and self.store.processed(stage):
                raise StoreError(f"{self.store.location}: the {stage} analysis was made by another version of "
                                 "storyline; run `storyline analyse` to redo it")
            cached = (revision, load(self.store))
            self._cache[key] = cached
        value: T = cached[1]
        return value

    def warm(self) -> None:
        """Load the stage states (entities, events, claims) now; a missing or outdated one is skipped."""
        for step in self.warm_steps():
            step()

    def warm_steps(self) -> list[Callable[[], None]]:
        """:meth:`warm` as separate steps, one per stage state, for a caller that may stop between them."""

        def step(load: Callable[[], object]) -> Callable[[], None]:
            def run() -> None:
                with suppress(StorylineError):  # missing or outdated: its readers say what to run
                    load()

            return run

        return [step(lambda: self._people), step(lambda: self._events), step(lambda: self._claims)]

    @property
    def _people(self) -> _People:
        return self._state(PEOPLE_STAGE, lambda store: _People(load_registry(store)))

    @property
    def _events(self) -> _Events:
        return self._state(EVENTS_STAGE, lambda store: _Events(load_event_index(store)))

    @property
    def _claims(self) -> _Claims:
        index = self._state(CLAIMS_STAGE, load_claim_index)
        try:
            people: _People | None = self._people
        except StorylineError:  # an outdated people analysis: the names stored with the claims
            people = None
        cached = self._claims_view
        if cached is None or cached[0] is not index or cached[1] is not people:
            cached = (index, people, _Claims(index, people.registry.name_of if people else None))
            self._claims_view = cached
        return cached[2]

    @property
    def registry(self) -> EntityRegistry:
        """The entity registry (empty before the people stage ran)."""
        return self._people.registry


    # --- articles -------------------------------------------------------------------------------

    def article(self, ref: str) -> Article:
        """The article an id, id prefix or file-name prefix names (NotFoundError otherwise)."""
        return self.store.get_article(self.store.resolve_article(ref))

    def article_people(self, article_id: str) -> ResolvedPeople | None:
        """The people-and-quotes result of one article (None before the stage ran on it)."""
        return load_people(self.store, [article_id]).get(article_id)

    # --- entities and quotes --------------------------------------------------------------------

    def entities(self, kind: str | None = None, min_confidence: float = 0.0) -> list[EntitySummary]:
        """Entities (of one type: PERSON, ORG, GPE, ...), most mentioned first. Under ``min_confidence``
        a type below it does not count as that type (the entity stays in an unfiltered list)."""
        quotes = Counter(q.speaker for q in self._people.quotes if q.speaker)
        out = [
            EntitySummary(e, len({m.article for m in e.mentions}), quotes[e.id])
            for e in self._people.entities
            if kind is None or (e.type == kind.upper() and shown(e.type_confidence, min_confidence))
        ]
        return sorted(out, key=lambda s: (-len(s.entity.mentions), s.entity.name))

    def find_entity(self, ref: str) -> Entity:
        """The entity ``ref`` names (see :meth:`find_entities`): NotFoundError when none does, QueryError
        naming the candidates when several do equally well ("Smith" for two Smiths)."""
        found = self.find_entities(ref)
        if len(found) > 1:
            names = ", ".join(f"{e.name} ({e.id})" for e in found[:AMBIGUOUS_SHOWN])
            more = f" and {len(found) - AMBIGUOUS_SHOWN} more" if len(found) > AMBIGUOUS_SHOWN else ""
            raise QueryError(f"{ref!r} names {len(found)} entities: {names}{more}; give a fuller name or an id")
        return found[0]

    def find_entities(self, ref: str) -> list[Entity]:
        """Every entity ``ref`` names, most mentioned first, at the first level that names any: its id; a
        name or alias (case and accents folded: Vucic = Vučić); a surname; a title it held ("Serbian
        President": the titles with the most words in common); whole words of a name or alias ("police":
        Surrey Police and Metropolitan Police). Only whole words match: "a" names no one. NotFoundError
        when nothing matches."""
        people = self._people
        exact = people.by_id.get(ref.strip())
        if exact:
            return [exact]
        key = name_key(ref)
        if not key:
            raise NotFoundError("empty entity name")
        keys = people.name_keys
        words = key.split()
        tests: list[Callable[[Entity], bool]] = [
            lambda e: key in keys[e.id],
            lambda e: any(k.split()[-1:] == [key] for k in keys[e.id]),
        ]
        for test in tests:
            found = [e for e in people.ranked if test(e)]
            if found:
                return found
        titled = [(max((_title_matches(key, r.title) for r in e.roles), default=0), e) for e in people.ranked]
        best = max((n for n, _e in titled), default=0)
        if best:
            return [e for n, e in titled if n == best]
        found = [e for e in people.ranked if any(_has_words(k.split(), words) for k in keys[e.id])]
        if found:
            return found
        raise NotFoundError(f"no entity matches {ref!r}", "try `storyline entities`")

    def quotes(
        self, speaker: str | None = None, about: str | None = None, article: str | None = None,
        min_confidence: float = 0.0,
    ) -> list[Quote]:
        """Quotes in corpus order, optionally of one speaker (any name form), containing all the
        words of ``about`` (folded), or in one article. Under ``min_confidence`` a quote below it
        is left out and a speaker link below it is dropped (the quote stays, its speaker unnamed)."""
        quotes = self._people.quotes
        if min_confidence > 0:
            quotes = visible_quotes(quotes, min_confidence)
        if speaker:
            who = {e.id for e in self.find_entities(speaker)}
            quotes = [q for q in quotes if q.speaker in who]
        if about:
            words = fold(about).split()
            quotes = [q for q in quotes if all(w in fold(q.text) for w in words)]
        if article:
            quotes = [q for q in quotes if q.article == article]
        return quotes

    def quote(self, quote_id: str) -> Quote:
        """One quote by id (NotFoundError otherwise)."""
        found = self._people.quote_by_id.get(quote_id)
        if found is None:
            raise NotFoundError(f"no quote {quote_id!r}")
        return found

    # --- events, stories, framing ---------------------------------------------------------------

    def events(self, story: str | None = None) -> list[Event]:
        """Events in date order (undated last), optionally of one story."""
        events = self._events.events
        if story:
            sid = self.find_story(story).id
            events = [e for e in events if e.story == sid]
        return events

    def stories(self) -> list[Story]:
        """Stories, the largest first (then by date)."""
        return self._events.stories

    def find_story(self, ref: str) -> Story:
        """The story an id, a unique id prefix, or a merged-away id names; "1" is the largest story."""
        ref = ref.strip()
        if not ref:
            raise NotFoundError("empty story reference (give a story id, an id prefix or a rank)")
        view = self._events
        stories = view.stories
        if ref.isdigit() and 0 < int(ref) <= len(stories):
            return stories[int(ref) - 1]
        exact = view.story_by_id.get(view.index.story_id(ref))
        matches = [exact] if exact else [s for s in stories if s.id.startswith(ref)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise NotFoundError(f"story reference {ref!r} is ambiguous: give more characters")
        raise NotFoundError(f"no story {ref!r}", "try `storyline stories`")

    def story_view(self, ref: str) -> StoryView:
        """A story's events in date order with their articles, sources and dates, and coverage per source."""
        story = self.find_story(ref)
        view = self._events
        articles = {a.id: a for a in self.store.articles(list(story.articles))}
        return story_view(view.index, story.id, articles, listed=(view.stories, view.events))

    def framing(self, ref: str) -> dict[str, list[FramingTerm]]:
        """For each source covering the story, the terms that set it apart, with their sentences."""
        story = self.find_story(ref)
        view = self._events
        if story.id not in view.framing:
            articles = _framing_sample(list(self.store.articles(list(story.articles))))
            view.framing[story.id] = framing(articles, sentences=load_sentences(self.store, [a.id for a in articles]))
        return view.framing[story.id]

    # --- claims ---------------------------------------------------------------------------------

    def claims(self, min_statements: int = 1) -> list[Claim]:
        """Claims with at least ``min_statements`` statements, the most repeated first."""
        return [c for c in self._claims.claims if len(c.statements) >= min_statements]

    def find_claim(self, ref: str) -> Claim:
        """The claim ``ref`` names: an id (or a merged-away id), a unique id prefix, its rank in
        :meth:`claims`, or words of it ("will not impose sanctions"): the best match then."""
        view = self._claims
        ref = ref.strip()
        if not ref:
            raise NotFoundError("empty claim reference")
        if ref.isdigit() and 0 < int(ref) <= len(view.claims):
            return view.claims[int(ref) - 1]
        if ref in view.by_id:
            return view.by_id[ref]
        prefixed = [c for c in view.claims if c.id.startswith(ref)] if ref.startswith("c-") else []
        if len(prefixed) == 1:
            return prefixed[0]
        if _CLAIM_ID.fullmatch(ref):
            if prefixed:
                raise NotFoundError(f"claim reference {ref!r} is ambiguous: give more characters")
            raise NotFoundError(f"no claim {ref!r}", "try `storyline claims`")
        matched = self.match(ref, 5)
        if matched and matched[0][1] >= FIND_MIN_SCORE:
            # Scores are calibrated probabilities: among claims about as likely as the best, the
            # most repeated one is the claim a user naming it by a few words means.
            near = [c for c, score in matched if score >= matched[0][1] - FIND_TIE]
            return max(near, key=lambda c: len(c.statements))
        found = view.index.find(ref, limit=1)
        if found:
            return view.by_id.get(found[0].id, found[0])
        raise NotFoundError(f"no claim matches {ref!r}", "try `storyline claims`")

    def match(self, text: str, k: int = 10) -> list[tuple[Claim, float]]:
        """The known claims ``text`` repeats, best first, with a calibrated score (the estimated
        probability that the text makes that claim; see :mod:`storyline.stages.claims.match`).
        An empty text is a QueryError (there is nothing to match)."""
        if not text.strip():
            raise QueryError("nothing to match: give the text of a claim (a sentence, a paragraph or a post)")
        view = self._claims
        if not view.claims:
            return []
        return [(view.by_id[i], score) for i, score in view.matcher(self.store, self.unlocked).rank(text, k)]

    def claim_matcher(self) -> ClaimMatcher:
        """The matcher over every claim, built now if it was not (see :meth:`match`); StoreError when
        the claims analysis is missing or outdated."""
        return self._claims.matcher(self.store, self.unlocked)

    def claim_record(self, claim: Claim) -> dict[str, Any]:
        """The export record of a claim, each statement with its speaker's role at its date."""
        people = self._people

        def roles(entity_id: str) -> tuple[EntityRole, ...]:
            entity = people.by_id.get(entity_id)
            return entity.roles if entity else ()

        return claim_to_export(claim, roles)

    def story_of(self, article_id: str) -> tuple[Event, Story] | None:
        """The event and story of an article (None before the events stage ran on it)."""
        view = self._events
        event_id = view.index.event_of(article_id)
        if event_id is None:
            return None
        event = view.event_by_id[event_id]
        return event, view.story_by_id[view.index.story_id(event.story)]


def named(claim: Claim, name_of: Callable[[str], str | None]) -> Claim:
    """``claim`` with each statement's speaker named by its entity's current name (``name_of``);
    a statement whose source names nobody, or whose entity is unknown, keeps its stored name."""
    statements = []
    for s in claim.statements:
        name = name_of(s.speaker) if s.speaker is not None else None
        statements.append(replace(s, speaker_name=name) if name and name != s.speaker_name else s)
    if all(a is b for a, b in zip(statements, claim.statements, strict=True)):
        return claim
    return replace(claim, statements=tuple(statements))


def visible_quotes(quotes: list[Quote], min_confidence: float) -> list[Quote]:
    """The quotes a reader asking for ``min_confidence`` sees: quotes under it are left out, and a
    speaker link under it is dropped (the quote stays with its source phrase, its speaker unnamed)."""
    out = []
    for q in quotes:
        if not shown(q.confidence, min_confidence):
            continue
        if q.speaker_name is not None and not shown(q.speaker_confidence, min_confidence):
            q = replace(q, speaker=None, speaker_name=None, speaker_confidence=None)
        out.append(q)
    return out


def _framing_sample(articles: list[Article]) -> list[Article]:
    """At most FRAMING_PER_SOURCE articles of each source, the latest first (undated last, then by id)."""
    by_source: dict[str, list[Article]] = {}
    for article in sorted(articles, key=lambda a: (a.published or "", a.id), reverse=True):
        by_source.setdefault(source_label(article), []).append(article)
    return [a for group in by_source.values() for a in group[:FRAMING_PER_SOURCE]]


def _title_matches(key: str, title: str) -> int:
    """How many words a folded reference ("serbian president") shares with a title it names
    ("President": 1, "Serbian President": 2); 0 when it does not name it."""
    words = set(name_key(title).split())
    ref = key.split()
    return len(words) if words and words <= set(ref) and len(ref) - len(words) <= 2 else 0


def _has_words(name: list[str], words: list[str]) -> bool:
    """Whether ``words`` occur in ``name`` as a run of whole words ("police" in "surrey police")."""
    n = len(words)
    return any(name[i : i + n] == words for i in range(len(name) - n + 1))

