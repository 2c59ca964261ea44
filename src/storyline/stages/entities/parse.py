"""Parse an article once with spaCy, with a sentence break at every paragraph break."""

from __future__ import annotations

from spacy.tokens import Doc

from storyline import nlp


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
