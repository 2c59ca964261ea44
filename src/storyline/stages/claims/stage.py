"""The ``claims`` stage declared: statements per article, grouped into claims across the corpus.

Per article (pure): :func:`articles_statements` splits every quote and reported statement of the
people stage into propositions (the article's spaCy parse, MiniLM vectors of the short
predicates), one encoder call per batch of articles.
Per corpus: the :class:`ClaimIndex` links each new statement to the stored ones, kept as stage
state; speakers are resolved through the people stage's entity ids and registry. Before each chunk's
state is written, the claims the chunk changed are embedded as the claim matcher reads them
(:meth:`ClaimGrouper.persist`: only texts with no stored vector), so readers match a text against
the corpus's claims with a look-up instead of embedding every claim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from storyline.stages.claims import ArticleStatements, ClaimIndex, articles_statements
from storyline.stages.claims.index import STATE_VERSION
from storyline.stages.claims.match import Encoder, VectorStore, embedded_texts, known_claim, store_vectors
from storyline.stages.contract import Index, IndexSpec, Item, Stage, Work
from storyline.stages.entities.stage import PEOPLE, PeopleIndex, ResolvedPeople
from storyline.stages.state import dump_json, load_json

CLAIMS = "claims"


class ClaimGrouper:
    """The claim index behind the contract: ``add`` groups each article's statements into claims."""

    def __init__(self, index: ClaimIndex, encoder: Encoder | None = None) -> None:
        self.index = index
        self.encoder = encoder  # for the match vectors (default: MiniLM)
        self._persisted = len(index)  # statements whose claims' match vectors are stored

    def add(self, items: Sequence[Item], indexes: Mapping[str, Index]) -> list[Any]:
        """Nothing kept per article: the claims live in the index."""
        people = indexes[PEOPLE]
        assert isinstance(people, PeopleIndex)
        registry = people.registry
        for item in items:
            resolved: ResolvedPeople = item.stored[PEOPLE]
            speakers = {local: (eid, registry.name_of(eid) or eid) for local, eid in resolved.ids.items()}
            self.index.add(item.article, item.features, speakers)
        return [None] * len(items)

    def to_state(self) -> dict[str, Any]:
        """The index's state."""
        return self.index.to_state()

    def persist(self, store: VectorStore) -> int:
        """Store the match vectors of the claims changed since the last call (their texts and titles as
        :class:`~storyline.stages.claims.match.ClaimMatcher` embeds them, those not stored yet; a claim
        that grew has a new title). The runner calls this before it writes the chunk's state, so no
        stored claim lacks its vectors. Returns how many texts were embedded."""
        changed = self.index.claims_holding(self._persisted)
        self._persisted = len(self.index)
        return store_vectors(store, embedded_texts(known_claim(c) for c in changed), self.encoder)


def _load(state: dict[str, Any] | None, replay: Callable[[], Iterable[Item]]) -> ClaimGrouper:
    return ClaimGrouper(ClaimIndex() if state is None else ClaimIndex.from_state(state))


def _compute(batch: Sequence[Work]) -> list[Any]:
    return articles_statements([(work.article, work.inputs[PEOPLE]) for work in batch])


def _encode(features: ArticleStatements, placement: Any) -> bytes:
    return dump_json(features.to_dict())


def _decode(article: str, blob: bytes) -> ArticleStatements:
    return ArticleStatements.from_dict(load_json(blob))


def _statements(features: ArticleStatements, placement: Any) -> int:
    return len(features.statements)


STAGE = Stage(
    name=CLAIMS,
    help="statements grouped into recurring claims, with stance and date",
    compute=_compute,
    encode=_encode,
    decode=_decode,
    requires=(PEOPLE,),
    index=IndexSpec(version=STATE_VERSION, load=_load, requires=(PEOPLE,), indexes=(PEOPLE,)),
    # Articles per store transaction (the claim index state is rewritten with each chunk).
    chunk=100,
    counts=_statements,
)
