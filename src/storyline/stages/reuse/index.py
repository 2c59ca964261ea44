"""The in-memory reuse index and candidate generation for a new article.

Candidates of a new article come from three sub-quadratic sources, never from a scan of the
corpus: equal text digests (a dict), MinHash LSH buckets (near-duplicates), and the sentence
vector index (each sentence's NEIGHBOURS nearest distinct sentences vote for the articles that
contain them; articles with CANDIDATE_MIN_HITS voting sentences are compared).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from storyline.records import Article
from storyline.stages.reuse.entry import IndexedArticle
from storyline.stages.reuse.minhash import NearDuplicateIndex, ReuseFeatures
from storyline.stages.reuse.settings import ReuseSettings
from storyline.stages.reuse.vectors import SentenceIndex
from storyline.stages.sentences import ArticleSentences

# MiniLM's sentence vectors (all-MiniLM-L6-v2).
VECTOR_DIM = 384


class ReuseIndex:
    """Every article seen so far, indexed for reuse candidates; rebuilt from stored features."""

    def __init__(self, settings: ReuseSettings | None = None, exact: bool | None = None) -> None:
        """Empty index; ``exact`` forces (True) or forbids (False) exact vector search."""
        self.settings = settings or ReuseSettings()
        self._entries: list[IndexedArticle] = []
        self._slots: dict[str, int] = {}
        self._digests: dict[bytes, list[int]] = defaultdict(list)
        self._lsh = NearDuplicateIndex(self.settings.lsh_threshold)
        self._sentences = SentenceIndex(VECTOR_DIM, exact=exact)
        # Near-duplicate candidates computed elsewhere (a Spark join on LSH band keys), by article
        # id: when set, they replace the LSH query (the LSH is still kept up to date).
        self._given: Mapping[str, Sequence[str]] | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._slots

    @property
    def distinct_sentences(self) -> int:
        """Number of distinct sentences in the vector index."""
        return len(self._sentences)

    @property
    def exact_vectors(self) -> bool:
        """Whether the vector index searches exactly (usearch missing): O(M) per query."""
        return self._sentences.exact

    def add(self, article: Article, sentences: ArticleSentences, features: ReuseFeatures) -> None:
        """Index one article (a no-op when its id is already indexed)."""
        if article.id not in self._slots:
            self._insert(self._prepare(article, sentences, features))

    def _prepare(self, article: Article, sentences: ArticleSentences, features: ReuseFeatures) -> IndexedArticle:
        """The entry an article would get, without indexing it yet."""
        return IndexedArticle.build(len(self._entries), article, sentences, features)

    def _insert(self, entry: IndexedArticle) -> None:
        """Index an entry made by :meth:`_prepare` (its slot must be the next free one)."""
        if entry.slot != len(self._entries):
            raise ValueError(f"entry slot {entry.slot} is stale; the next slot is {len(self._entries)}")
        self._entries.append(entry)
        self._slots[entry.article.id] = entry.slot
        self._digests[entry.features.digest].append(entry.slot)
        self._lsh.insert(entry.features)
        if entry.spans:
            self._sentences.add(entry.slot, entry.sentences(), entry.vectors)

    def entries(self, start: int = 0) -> list[IndexedArticle]:
        """The indexed articles from slot ``start`` on, in slot order."""
        return self._entries[start:]

    def band_keys(self, features: ReuseFeatures) -> list[tuple[int, bytes]]:
        """The LSH (band, key) pairs of one article's signature (see :class:`NearDuplicateIndex`)."""
        return self._lsh.band_keys(features)

    def give_near_duplicates(self, candidates: Mapping[str, Sequence[str]] | None) -> None:
        """Use ``candidates`` (article id -> ids of indexed articles sharing an LSH band key) instead
        of the LSH query for the next articles linked; None goes back to the LSH."""
        self._given = candidates

    def _near_duplicates(self, entry: IndexedArticle) -> list[str]:
        if self._given is None:
            return self._lsh.query(entry.features)
        return list(self._given.get(entry.article.id, ()))

    def _entry(self, slot: int) -> IndexedArticle:
        """The indexed article in ``slot``."""
        return self._entries[slot]

    def _candidates(self, entry: IndexedArticle) -> list[int]:
        """Slots of the indexed articles worth comparing with ``entry``, most promising first."""
        found: dict[int, None] = dict.fromkeys(self._digests.get(entry.features.digest, ()))
        for article_id in self._near_duplicates(entry):
            found.setdefault(self._slots[article_id])
        for slot in self._sentence_votes(entry):
            found.setdefault(slot)
        found.pop(entry.slot, None)
        return list(found)

    def _sentence_votes(self, entry: IndexedArticle) -> list[int]:
        """Slots of articles holding near neighbours of at least CANDIDATE_MIN_HITS of the entry's sentences."""
        settings = self.settings
        if not entry.spans or not len(self._sentences):
            return []
        keys, sims = self._sentences.search(entry.vectors.astype(np.float32), settings.neighbours)
        voters: dict[int, set[int]] = defaultdict(set)
        for row, col in zip(*np.nonzero(sims >= settings.candidate_similarity), strict=True):
            postings = self._sentences.postings(int(keys[row, col]))
            if len(postings) > settings.max_postings:
                continue  # boilerplate
            for slot in postings:
                voters[slot].add(int(row))
        need = min(settings.candidate_min_hits, len(entry.spans))
        ranked = sorted((slot for slot, rows in voters.items() if len(rows) >= need), key=lambda s: -len(voters[s]))
        return ranked[: settings.max_candidates]
