"""The cue lexicon: which (cue lemma, frame) pairs report what someone said, thought or wanted."""

from __future__ import annotations

from collections.abc import Mapping

from storyline.stages.quotes.cue_classes import CUE_CLASSES, KIND_CLASSES, CueClass
from storyline.stages.quotes.cue_lexicon import CUE_LEXICON

# A frame counts as an attribution when its calibrated precision reaches this. Tuned on PolNeAR
# train, F1 over all attributions (loose): 0.20 -> 0.758, 0.25 -> 0.759, 0.30 -> 0.757,
# 0.35 -> 0.751, 0.40 -> 0.741; 0.30 is within noise of the best with higher precision.
ACCEPT_SCORE = 0.3
# A frame whose content is the cue's object ("announced his candidacy", "called them liars") is a
# weaker report of speech: it counts from this score. PolNeAR train, speech-only scope (loose),
# precision / F1 at 0.3 -> 0.5: texts 1-400 0.827 / 0.827 -> 0.852 / 0.828, texts 401-840
# 0.858 / 0.851 -> 0.875 / 0.848 (0.6 and 0.7 lose recall faster than they gain precision).
OBJECT_ACCEPT_SCORE = 0.5


# British spellings of -ize/-yze verbs ("emphasised", "criticised", "analysed"): the lexicon and the
# class table were built from US news (PolNeAR), so a lemma they lack is looked up in US spelling.
_BRITISH_ENDINGS = (("ise", "ize"), ("yse", "yze"), ("isation", "ization"))


def us_spelling(lemma: str) -> str:
    """``lemma`` with each word's British -ise/-yse ending in US spelling when the tables know that form."""
    words = lemma.split()
    for i, word in enumerate(words):
        if word in CUE_CLASSES:
            continue
        for british, american in _BRITISH_ENDINGS:
            if word.endswith(british):
                candidate = word[: -len(british)] + american
                if candidate in CUE_CLASSES or " ".join([*words[:i], candidate, *words[i + 1:]]) in CUE_CLASSES:
                    words[i] = candidate
                break
    return " ".join(words)


def accept_score(kind: str) -> float:
    """The calibrated precision a frame of ``kind`` needs to count as an attribution."""
    return OBJECT_ACCEPT_SCORE if kind == "dobj" else ACCEPT_SCORE


def cue_class(lemma: str, frame_kind: str) -> CueClass | None:
    """``speech`` or ``belief`` for a cue that reports what someone said or thinks, else None.

    ``lemma`` is the cue's lemma as the frames give it ("say", "according to", "call for"),
    ``frame_kind`` its frame ("ccomp", "inverted", "dobj", ...). The classes are the reviewed
    table in :mod:`.cue_classes`; a lemma not in it (an action, a stance) is None.
    """
    lemma = us_spelling(lemma.lower())
    key = f"{lemma}|{frame_kind}"
    if key in KIND_CLASSES:
        return KIND_CLASSES[key]
    entry = CUE_CLASSES.get(lemma)
    return entry[0] if entry else None


def cue_score(lemma: str, kind: str, lexicon: Mapping[str, float] | None = None) -> float:
    """The calibrated precision of ``lemma`` as a cue in a ``kind`` frame (0 when unknown)."""
    table = CUE_LEXICON if lexicon is None else lexicon
    return table.get(f"{lemma}|{kind}", 0.0) or table.get(f"{us_spelling(lemma)}|{kind}", 0.0)


# A verb heads a speaker clause beside a quotation ("...," Smith said.) when its best frame
# score reaches this. PolNeAR train F1 is the same for 0.4, 0.5 and 0.6.
SPEECH_CUE_SCORE = 0.5


def is_speech_cue(lemma: str, lexicon: Mapping[str, float] | None = None) -> bool:
    """Whether ``lemma`` reports speech strongly enough to head a speaker clause."""
    table = CUE_LEXICON if lexicon is None else lexicon
    kinds = ("ccomp", "inverted", "dobj")
    if not any(cue_class(lemma, k) for k in kinds):
        return False
    return max(cue_score(lemma, k, table) for k in kinds) >= SPEECH_CUE_SCORE
