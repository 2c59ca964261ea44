"""Quote scoring as the project's evaluation conventions define it.

A predicted quote matches a gold one when it covers more than a threshold share of the gold
content's characters (0.3 loose, 0.8 strict). Matching is one-to-one, greedy by coverage, so a
prediction counts for at most one gold quote and a split prediction does not count twice.
Speaker accuracy compares the predicted speaker's resolved full name with the gold source's
name after case and accent folding; equal last names count as a match.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

Spans = Sequence[tuple[int, int]]

LOOSE = 0.3
STRICT = 0.8


def _overlap(a: Spans, b: Spans) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def coverage(pred: Spans, gold: Spans) -> float:
    """Share of the gold fragments' characters that the predicted spans cover."""
    total = sum(e - s for s, e in gold)
    return _overlap(pred, gold) / total if total else 0.0


def match(pred: Sequence[Spans], gold: Sequence[Spans] | Sequence[set[int]], threshold: float) -> list[tuple[int, int]]:
    """One-to-one (prediction index, gold index) pairs, best coverage first, above ``threshold``."""
    gold_spans = [_as_spans(g) for g in gold]
    scored = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold_spans):
            c = coverage(p, g)
            if c > threshold:
                scored.append((c, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _c, i, j in scored:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def _as_spans(gold: Spans | set[int]) -> list[tuple[int, int]]:
    if not isinstance(gold, set):
        return list(gold)
    spans: list[tuple[int, int]] = []
    for i in sorted(gold):
        if spans and spans[-1][1] == i:
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return spans


@dataclass
class Counts:
    """True positives and totals for P/R/F1."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, matched: int, predicted: int, gold: int) -> None:
        """Accumulate one text's counts."""
        self.matched += matched
        self.predicted += predicted
        self.gold += gold

    @property
    def precision(self) -> float:
        """Matched / predicted."""
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Matched / gold."""
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def fold(text: str) -> str:
    """Lower case without accents, possessives or punctuation, single-spaced."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("’s", "").replace("'s", "")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def _name_words(name: str) -> list[str]:
    words = fold(name).split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return words


def same_person(predicted: str | None, gold: str) -> bool:
    """Whether two names agree after folding, counting equal last names (Jr./Sr. dropped) as agreement."""
    if not predicted:
        return False
    a, b = _name_words(predicted), _name_words(gold)
    if not a or not b:
        return False
    return a == b or a[-1] == b[-1]
