"""Parse an article once with spaCy, with a sentence break at every paragraph break.

The people and claims stages both read the parse of an article; the engines compute them one
after the other over the same batch of articles in one process, so the last parses are kept
(``PARSES_KEPT``, more than a map batch holds) and each article is parsed once. The stages only
read a Doc, never change it.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from storyline import nlp

# Parses kept per process: at least the engines' map batch (16 articles), so that the claims
# stage finds every article the people stage parsed in the same batch. A parse of a 740-word
# article holds about 1 MB.
PARSES_KEPT = 32


@lru_cache(maxsize=PARSES_KEPT)
def parse(text: str) -> Doc:
    """The full spaCy analysis of ``text``; no sentence runs across a line break.

    The small model's parser often joins a quotation to the next paragraph ("... about it."
    + "Clinton said: ..."), which hands a quote to the wrong cue; a preset sentence start
    on the first token of each paragraph prevents that (the parser keeps preset boundaries).
    """
    pipeline = nlp.full_pipeline()
    doc = pipeline.make_doc(text)
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if not tok.is_space and ("\n" in prev.text or "\n" in prev.whitespace_):
            tok.is_sent_start = True
    for _name, proc in pipeline.pipeline:
        doc = proc(doc)
    return doc
