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


REUSE = "reuse"
# New articles linked per store transaction: an interruption loses at most this many.
REUSE_CHUNK = 200


@stage(REUSE, requires=(SENTENCES,), help="copies and rewrites: duplicate, near_duplicate, partial, rewrite")
def run_reuse(store: Store, pending: list[str], progress: Progress | None) -> int:
    """Link each pending article to the corpus already linked (and to each other)."""
    from storyline.stages.reuse import ReuseFeatures, ReuseIndex, find_reuse, reuse_features

    index = ReuseIndex()
    done = store.processed(REUSE)
    stored = {i: ReuseFeatures.from_bytes(i, blob) for i, blob in store.features(REUSE, done)}
    sentences = load_sentences(store, done)
    for article in store.articles(done):
        index.add(article, sentences[article.id], stored[article.id])
    found = 0
    for start in range(0, len(pending), REUSE_CHUNK):
        chunk = list(store.articles(pending[start : start + REUSE_CHUNK]))
        new_sentences = load_sentences(store, [a.id for a in chunk])
        features = [reuse_features(a) for a in chunk]
        links = find_reuse(index, [(a, new_sentences[a.id], f) for a, f in zip(chunk, features, strict=True)])
        with store.transaction():
            store.put_features(REUSE, ((f.article, f.to_bytes()) for f in features))
            store.add_reuse_links(links)
            store.mark_done(REUSE, (a.id for a in chunk))
        found += len(links)
        if progress:
            progress(len(chunk))
    return found
