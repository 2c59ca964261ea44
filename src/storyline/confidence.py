"""Confidence of extracted facts: one scale, one threshold, one way to map a raw score to it.

Every fact storyline shows (a quote, its speaker link, an entity's type, a role, an event or
claim membership) carries ``confidence`` in [0, 1]: the precision that facts with that
confidence had on development data, so that "0.9" means "about nine in ten such facts were
right". A stage turns its own raw score into a confidence with a monotone calibration fitted
offline (isotonic regression, pool-adjacent-violators) by a benchmark on dev data and written
into the stage's code as knots; :func:`calibrate` interpolates between them.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence

# At or above this a fact is shown plainly; below it a reader sees it marked as uncertain and can
# hide it (``--min-confidence``). The benchmarks check that facts at or above it are right at
# least 90% of the time on dev data.
CONFIDENT = 0.8

Knots = tuple[tuple[float, float], ...]


def calibrate(score: float, knots: Knots) -> float:
    """The confidence of a raw ``score``: piecewise-linear between the calibration ``knots``.

    ``knots`` are ``(score, confidence)`` pairs in increasing score order (as written by
    :func:`fit_isotonic`); scores outside their range take the nearest end's confidence.
    """
    if not knots:
        raise ValueError("calibration needs at least one knot: run the stage's calibration benchmark")
    if math.isnan(score):
        return round(knots[0][1], 3)  # a score that says nothing earns the least confidence, not the most
    xs = [k[0] for k in knots]
    i = bisect.bisect_right(xs, score)
    if i == 0:
        value = knots[0][1]
    elif i == len(knots):
        value = knots[-1][1]
    else:
        (x0, y0), (x1, y1) = knots[i - 1], knots[i]
        value = y0 if x1 == x0 else y0 + (y1 - y0) * (score - x0) / (x1 - x0)
    return round(min(1.0, max(0.0, value)), 3)


def fit_isotonic(pairs: Iterable[tuple[float, bool]], min_block: int = 20) -> Knots:
    """Monotone calibration knots from ``(raw score, was right)`` pairs (pool adjacent violators).

    Blocks are pooled until each holds at least ``min_block`` facts, so a knot never rests on a
    handful of examples; each knot is a block's mean score and its share of right facts.
    """
    data = sorted((float(s), 1.0 if ok else 0.0) for s, ok in pairs)
    if not data:
        raise ValueError("no scored facts to calibrate on")
    # blocks: [sum of scores, sum of right, count]
    blocks: list[list[float]] = []
    for score, right in data:
        blocks.append([score, right, 1.0])
        while len(blocks) > 1 and (
            blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2] or blocks[-2][2] < min_block
        ):
            s, r, n = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += r
            blocks[-1][2] += n
    if len(blocks) > 1 and blocks[-1][2] < min_block:
        s, r, n = blocks.pop()
        blocks[-1][0] += s
        blocks[-1][1] += r
        blocks[-1][2] += n
    return tuple((round(s / n, 4), round(r / n, 4)) for s, r, n in blocks)


def is_confident(confidence: float | None, threshold: float = CONFIDENT) -> bool:
    """Whether a fact with this confidence is shown plainly (None: a fact with no score yet)."""
    return confidence is None or confidence >= threshold


def precision_at(pairs: Sequence[tuple[float, bool]], threshold: float = CONFIDENT) -> tuple[float, int]:
    """Share of right facts among those with confidence >= ``threshold``, and how many there are."""
    kept = [ok for c, ok in pairs if c >= threshold]
    return (sum(kept) / len(kept) if kept else 0.0), len(kept)


def uncertain_note(confidence: float | None, threshold: float = CONFIDENT) -> str:
    """What a reader sees beside a fact below the threshold ("uncertain, 0.62"), else ""."""
    return "" if is_confident(confidence, threshold) else f"uncertain, {confidence:.2f}"


def shown(confidence: float | None, min_confidence: float) -> bool:
    """Whether a fact is shown at all under a reader's ``min_confidence`` (None: always)."""
    return confidence is None or confidence >= min_confidence
