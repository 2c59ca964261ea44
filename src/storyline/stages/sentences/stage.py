"""The ``sentences`` stage declared: sentence spans and MiniLM vectors of each article (no index)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.stages.contract import Stage, Work
from storyline.stages.sentences import ArticleSentences, embed_articles

SENTENCES = "sentences"


def _compute(batch: Sequence[Work]) -> list[Any]:
    return list(embed_articles([work.article for work in batch]))


def _encode(features: ArticleSentences, placement: Any) -> bytes:
    return features.to_bytes()


def _spans(features: ArticleSentences, placement: Any) -> int:
    return len(features.spans)


STAGE = Stage(
    name=SENTENCES,
    help="sentence spans and MiniLM embeddings of each article",
    compute=_compute,
    encode=_encode,
    decode=ArticleSentences.from_bytes,
    # Articles per store transaction: large enough to keep MiniLM's batches full, small enough
    # that an interruption loses little work.
    chunk=64,
    counts=_spans,
)
