"""Adapters that bind each stage's pure entry function to the store, in run order."""

from __future__ import annotations

from storyline.pipeline import Progress, stage
from storyline.stages.sentences import ArticleSentences, embed_articles
from storyline.store.base import Store

# Articles embedded per encoder call and per store transaction: large enough to keep MiniLM's
# batches full, small enough that an interruption loses little work.
SENTENCE_CHUNK = 64
SENTENCES = "sentences"


@stage(SENTENCES, help="sentence spans and MiniLM embeddings of each article")
def run_sentences(store: Store, pending: list[str], progress: Progress | None) -> int:
    """Embed the sentences of every pending article and store them as features."""
    total = 0
    for start in range(0, len(pending), SENTENCE_CHUNK):
        chunk = list(store.articles(pending[start : start + SENTENCE_CHUNK]))
        embedded = embed_articles(chunk)
        with store.transaction():
            store.put_features(SENTENCES, ((s.article, s.to_bytes()) for s in embedded))
            store.mark_done(SENTENCES, (a.id for a in chunk))
        total += sum(len(s.spans) for s in embedded)
        if progress:
            progress(len(chunk))
    return total


def load_sentences(store: Store, ids: list[str] | None = None) -> dict[str, ArticleSentences]:
    """Stored sentence features by article id."""
    return {i: ArticleSentences.from_bytes(i, blob) for i, blob in store.features(SENTENCES, ids)}
