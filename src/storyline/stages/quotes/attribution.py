"""The attribution record shared by the quote-finding steps, and how its kind is decided."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storyline.stages.quotes.cue_classes import CueClass
from storyline.stages.quotes.marks import QuoteRegion
from storyline.stages.quotes.records import QuoteKind

# Letters outside quotation marks a quote may have and still be direct (a glued-in "he said"):
# the same 0.05 the PolNeAR gold classification uses (benchmarks/quotes_gold.py): on PolNeAR
# train, 3869 gold contents have under 5% of their letters outside marks, then each further 5%
# holds only 100-140, so 0.05 is where the direct mode ends.
DIRECT_OUTSIDE_SHARE = 0.05
# A quotation of fewer words standing alone is a partial quote (a title, a slogan, a scare-quoted
# phrase), so mixed, not direct: on PolNeAR train only 35% of such predictions were gold direct
# quotes, against 90% from four words up; direct F1 (loose) 3 -> 0.902, 4 -> 0.903, 5 -> 0.899,
# 6 -> 0.893.
MIN_DIRECT_WORDS = 4
# ... unless it ends in "!" or "?" as an utterance does ("You lie!", "Mr. D'Souza?"): PolNeAR train
# direct F1 (loose) 0.885 -> 0.888 on texts 1-400, 0.921 -> 0.923 on 401-840. Calling every short
# quotation beside a speaker clause direct as well ('"Denver," he answered') was tried and lost
# precision (0.885 -> 0.869 on texts 1-400).

# How an attribution was found: a syntactic cue frame; a speaker clause beside a quotation (with a
# cue verb, a colon, a dash or a verb before it); the subject of the sentence before a quotation;
# or a quotation continuing the speaking turn before it.
Path = Literal["frame", "clause", "colon", "dash", "named", "turn"]


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution in an article: content span, kind, cue, and the speaker's span if stated.

    ``parts`` are the stretches of reported content (a turn interrupted by its cue clause has
    two: ``"A," he said. "B."``); ``start``/``end`` span them all. ``follows`` is the index of
    the attribution whose speaker this one inherits (a quotation that continues a speaking turn
    with no cue of its own); ``source_root`` is the token index of the speaker's head word.
    ``cue_class`` says whether it reports speech or a belief; ``path`` how it was found.
    """

    start: int
    end: int
    kind: QuoteKind
    cue_start: int | None
    cue_end: int | None
    source: tuple[int, int] | None
    source_root: int | None
    follows: int | None
    score: float
    parts: tuple[tuple[int, int], ...] = ()
    cue_class: CueClass = "speech"
    path: Path = "frame"
    frame_kind: str | None = None


class QuotedLetters:
    """Prefix sums of the letters of a text and of those inside quotation marks."""

    def __init__(self, text: str, regions: list[QuoteRegion]) -> None:
        self._text = text
        inside = bytearray(len(text))
        for r in regions:
            inside[r.inner_start : r.inner_end] = b"\x01" * (r.inner_end - r.inner_start)
        letters = [0] * (len(text) + 1)
        quoted = [0] * (len(text) + 1)
        n_letters = n_quoted = 0
        for i, ch in enumerate(text):
            if ch.isalnum():
                n_letters += 1
                n_quoted += inside[i]
            letters[i + 1] = n_letters
            quoted[i + 1] = n_quoted
        self._letters = letters
        self._quoted = quoted

    def kind(self, parts: tuple[tuple[int, int], ...]) -> QuoteKind:
        """``direct`` when (nearly) all letters of ``parts`` are quoted, ``mixed`` if some are; a
        short quotation is direct only when it ends as an utterance does ("You lie!")."""
        letters = sum(self._letters[e] - self._letters[s] for s, e in parts)
        quoted = sum(self._quoted[e] - self._quoted[s] for s, e in parts)
        if not letters or not quoted:
            return "indirect"
        if (letters - quoted) / letters > DIRECT_OUTSIDE_SHARE:
            return "mixed"
        words = sum(len(self._text[s:e].split()) for s, e in parts)
        if words >= MIN_DIRECT_WORDS:
            return "direct"
        tail = self._text[parts[-1][0] : parts[-1][1]].rstrip("\"”’'» ")
        return "direct" if tail[-1:] in ("!", "?") else "mixed"
