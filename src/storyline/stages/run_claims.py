"""The ``claims`` stage in the store: statements per article, grouped into claims across the corpus.

Per article (pure): :func:`article_statements` splits every quote and reported statement of the
people stage into propositions (one spaCy parse, MiniLM vectors of the short predicates); the
stage calls it batched (:func:`articles_statements`), one MiniLM call for 20 articles.
Per corpus (incremental): the :class:`ClaimIndex` links each new statement to the stored ones,
kept as stage state; speakers are resolved through the people stage's entity ids.
"""

from __future__ import annotations

from storyline.pipeline import Progress, stage
from storyline.stages.claims import ArticleStatements, ClaimIndex, articles_statements
from storyline.stages.claims.index import STATE_VERSION
from storyline.stages.run_people import PEOPLE, load_people, load_registry
from storyline.stages.state import dump_json, load_json, read_state, write_state
from storyline.store.base import Store

CLAIMS = "claims"
CLAIMS_STATE = f"{CLAIMS}@{STATE_VERSION}"
# Articles per store transaction (the claim index state is rewritten with each chunk).
CLAIMS_CHUNK = 100
# Articles whose statements are encoded in one MiniLM call (~50 short texts each): one call for
# 40 articles took a third of the time of 40 calls, and the progress bar still moves every few seconds.
ENCODE_ARTICLES = 20


def load_claim_index(store: Store) -> ClaimIndex:
    """The corpus claim index as stored (empty if the stage never ran)."""
    state = read_state(store, CLAIMS_STATE)
    return ClaimIndex() if state is None else ClaimIndex.from_state(state)


def load_statements(store: Store, ids: list[str] | None = None) -> dict[str, ArticleStatements]:
    """Stored statements by article id."""
    return {i: ArticleStatements.from_dict(load_json(blob)) for i, blob in store.features(CLAIMS, ids)}


@stage(CLAIMS, requires=(PEOPLE,), help="statements grouped into recurring claims, with stance and date",
       state=CLAIMS_STATE)
def run_claims(store: Store, pending: list[str], progress: Progress | None) -> int:
    """Find the statements of every pending article and group them into claims; returns statements found."""
    index = load_claim_index(store)
    registry = load_registry(store)
    found = 0
    for start in range(0, len(pending), CLAIMS_CHUNK):
        chunk = list(store.articles(pending[start : start + CLAIMS_CHUNK]))
        people = load_people(store, [a.id for a in chunk])
        results: list[ArticleStatements] = []
        for part in range(0, len(chunk), ENCODE_ARTICLES):
            batch = chunk[part : part + ENCODE_ARTICLES]
            for article, statements in zip(batch, articles_statements([(a, people[a.id].people) for a in batch]),
                                           strict=True):
                resolved = people[article.id]
                speakers = {local: (eid, registry.name_of(eid) or eid) for local, eid in resolved.ids.items()}
                index.add(article, statements, speakers)
                results.append(statements)
                found += len(statements.statements)
            if progress:
                progress(len(batch))
        with store.transaction():
            store.put_features(CLAIMS, ((s.article, dump_json(s.to_dict())) for s in results))
            write_state(store, CLAIMS_STATE, index.to_state())
            store.mark_done(CLAIMS, (a.id for a in chunk))
    return found
