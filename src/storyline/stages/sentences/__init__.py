"""Per-article stage: sentence spans and their MiniLM embeddings.

A pure function of one article (so it can run on a cluster engine); computed once and kept in
the store, because reuse detection, claims and semantic search all read the same vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline import nlp
from storyline.records import Article

# Sentences shorter than this many characters ("Read more.", "0") carry no content to align.
MIN_SENTENCE_CHARS = 12


@dataclass(frozen=True, slots=True, eq=False)
class ArticleSentences:
    """The sentences of one article: character spans and one unit-length vector per span."""

    article: str
    spans: tuple[tuple[int, int], ...]
    vectors: np.ndarray  # shape (len(spans), 384), float32, L2-normalised

    def to_bytes(self) -> bytes:
        """Serialise for the store: span count, spans as int32 pairs, vectors as float16."""
        header = np.array([len(self.spans), self.vectors.shape[1] if self.spans else 0], dtype=np.int32)
        spans = np.array(self.spans, dtype=np.int32).reshape(-1, 2)
        return header.tobytes() + spans.tobytes() + self.vectors.astype(np.float16).tobytes()

    @classmethod
    def from_bytes(cls, article: str, blob: bytes) -> ArticleSentences:
        """Inverse of :meth:`to_bytes`."""
        n, dim = (int(x) for x in np.frombuffer(blob[:8], dtype=np.int32))
        spans = np.frombuffer(blob[8 : 8 + 8 * n], dtype=np.int32).reshape(-1, 2)
        vectors = np.frombuffer(blob[8 + 8 * n :], dtype=np.float16).astype(np.float32).reshape(n, dim)
        return cls(article, tuple((int(a), int(b)) for a, b in spans), vectors)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text`` worth aligning (at least MIN_SENTENCE_CHARS long)."""
    return [(a, b) for a, b in nlp.split_sentences(text) if b - a >= MIN_SENTENCE_CHARS]


def embed_articles(articles: Sequence[Article]) -> list[ArticleSentences]:
    """Sentence spans and embeddings for each article; one encoder call for the whole batch."""
    all_spans = [sentence_spans(a.text) for a in articles]
    texts = [a.text[s:e] for a, spans in zip(articles, all_spans, strict=True) for s, e in spans]
    vectors = nlp.encode(texts)
    out: list[ArticleSentences] = []
    offset = 0
    for article, spans in zip(articles, all_spans, strict=True):
        out.append(ArticleSentences(article.id, tuple(spans), vectors[offset : offset + len(spans)]))
        offset += len(spans)
    return out
