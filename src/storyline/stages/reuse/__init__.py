"""Reuse detection: which articles were copied or derived from which.

Four kinds of directed link (source -> derived): ``duplicate`` (same words), ``near_duplicate``
(light edits; MinHash 5-gram Jaccard), ``partial`` (some sentences copied word for word) and
``rewrite`` (paraphrased sentence by sentence, in the source's order; sentence embeddings and a
monotone alignment). Each link carries a score, how its direction was decided (publication date,
else textual evidence) and its aligned sentence pairs as character spans in both articles.

Public API::

    features = reuse_features(article)            # pure, per article; store features.to_bytes()
    index = ReuseIndex()                          # in memory, rebuilt from stored data each run
    index.add(article, sentences, features)       # for every article already linked
    links = find_reuse(index, [(article, sentences, features), ...])   # new articles

Complexity, for a corpus of N articles with at most s prose sentences each and M <= N*s distinct
sentences:
- ``reuse_features``: O(length of the text) per article.
- ``ReuseIndex.add``: O(s log M) (HNSW insertion of new distinct sentences) + O(b) LSH bands.
- ``find_reuse`` per new article: candidate generation O(s * (K log M + K * P)) for K = NEIGHBOURS
  neighbours per sentence and P <= MAX_POSTINGS articles per sentence, plus O(b) for the LSH
  bands and O(1) for the digest; then at most C = MAX_CANDIDATES + LSH and digest hits alignments
  of O(s^2) each. No step scans the corpus, so linking N articles costs O(N log N) overall
  (O(N^2) without usearch: then the sentence index falls back to exact search).
- Memory: O(N * s) for float16 sentence vectors (768 bytes per distinct sentence in the HNSW
  graph plus 768 per sentence kept for alignment), the article texts and 512-byte signatures.
Adding new articles only compares them with the indexed corpus (and earlier items of the batch):
links between two old articles are never recomputed.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.records import Article, ReuseLink
from storyline.stages.reuse.classify import link_pair
from storyline.stages.reuse.index import ReuseIndex
from storyline.stages.reuse.minhash import ReuseFeatures, reuse_features
from storyline.stages.reuse.settings import ReuseSettings
from storyline.stages.sentences import ArticleSentences

__all__ = ["ReuseFeatures", "ReuseIndex", "ReuseSettings", "find_reuse", "reuse_features"]


def find_reuse(
    index: ReuseIndex, batch: Sequence[tuple[Article, ArticleSentences, ReuseFeatures]]
) -> list[ReuseLink]:
    """Link each new article to the indexed ones and to earlier batch items, indexing it as it goes.

    Articles whose id is already indexed are skipped (their links were found when they were added).
    Returns the new links, each directed source -> derived.
    """
    links: list[ReuseLink] = []
    for article, sentences, features in batch:
        if article.id in index:
            continue
        entry = index._prepare(article, sentences, features)
        view = entry.view()
        for slot in index._candidates(entry):
            link = link_pair(view, index._entry(slot).view(), index.settings)
            if link is not None:
                links.append(link)
        index._insert(entry)
    return links
