"""Order-preserving sentence alignment over a similarity matrix.

``sim[i, j]`` is the cosine similarity of source sentence ``i`` and derived sentence ``j``. The
alignment gives each derived sentence at most one source sentence, with source indices never
decreasing along the derived text, and maximises the summed gain ``sim - floor`` of the pairs it
keeps: a Smith-Waterman-style dynamic programme with free gaps. A source sentence may serve the
derived sentence right after the one it already serves (``MAX_SHARE`` = 2), because rewrites split
long sentences and the sentence splitter sometimes leaves two source sentences in one span; more
sharing would let one generic source sentence soak up a whole same-topic article. Pairs below
``floor`` are never kept, so filler a rewrite adds and details it drops stay unaligned.
Cost: O(n * m) for n source and m derived sentences, vectorised by derived sentence.
"""

from __future__ import annotations

import numpy as np

# Similarity below which a sentence pair gains nothing in the alignment. MiniLM gives unrelated
# news sentences 0.1-0.4 and same-topic sentences 0.4-0.6; paraphrases of one sentence land at
# 0.55-0.95 (001/004: 0.56-0.85), so 0.5 lets paraphrases in and keeps most topic matches out.
ALIGN_FLOOR = 0.5
# Weight of shared content words in the alignment gain (see lexical_overlap): an overlap
# difference of 0.2 outweighs a cosine difference of 0.1, the noise of MiniLM on long or merged
# spans. It only reorders usable pairs: a pair still needs its cosine above the floor.
LEXICAL_WEIGHT = 0.5
_EPS = 1e-9


def lexical_bonus(sim: np.ndarray, floor: float, source: list[set[str]], derived: list[set[str]]) -> np.ndarray:
    """LEXICAL_WEIGHT times the share of derived sentence j's content words that source sentence i
    also has, for the usable pairs (``sim > floor``; 0 elsewhere)."""
    bonus = np.zeros(sim.shape)
    for i, j in zip(*np.nonzero(sim > floor), strict=True):
        words = derived[j]
        if words:
            bonus[i, j] = LEXICAL_WEIGHT * len(words & source[i]) / len(words)
    return bonus


def monotone_alignment(
    sim: np.ndarray, floor: float = ALIGN_FLOOR, bonus: np.ndarray | None = None
) -> list[tuple[int, int]]:
    """Best order-preserving alignment of derived sentences (columns) to source sentences (rows).

    A pair is usable when ``sim > floor`` and gains ``sim - floor + bonus``. Returns
    ``(source, derived)`` index pairs in derived order; source indices never decrease and one
    source index serves at most two consecutive aligned derived sentences.
    """
    n, m = sim.shape
    if n == 0 or m == 0:
        return []
    gain = sim.astype(np.float64) - floor
    if bonus is not None:
        gain = np.where(gain > 0, gain + bonus, gain)
    once_hist, twice_hist = _forward(gain)
    return _traceback(gain, once_hist, twice_hist)


def _forward(gain: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best scores per derived prefix, ending on source ``i`` used once / twice (rows: derived)."""
    n, m = gain.shape
    once = np.full(n, -np.inf)
    twice = np.full(n, -np.inf)
    once_hist = np.empty((m, n))
    twice_hist = np.empty((m, n))
    for j in range(m):
        g = gain[:, j]
        usable = g > 0
        best_upto = np.maximum.accumulate(np.maximum(once, twice))
        before = np.concatenate(([0.0], np.maximum(best_upto[:-1], 0.0)))
        once_next = np.maximum(once, np.where(usable, before + g, -np.inf))
        twice = np.maximum(twice, np.where(usable, once + g, -np.inf))
        once = once_next
        once_hist[j] = once
        twice_hist[j] = twice
    return once_hist, twice_hist


def _traceback(gain: np.ndarray, once_hist: np.ndarray, twice_hist: np.ndarray) -> list[tuple[int, int]]:
    """Recover the pairs of the best alignment from the forward tables."""
    m, _n = once_hist.shape
    hist = (once_hist, twice_hist)
    final = np.maximum(once_hist[-1], twice_hist[-1])
    if final.max() <= 0:
        return []
    row = int(final.argmax())
    uses = 0 if once_hist[-1, row] >= twice_hist[-1, row] else 1
    pairs: list[tuple[int, int]] = []
    for j in range(m - 1, -1, -1):
        value = hist[uses][j, row]
        if j > 0 and abs(hist[uses][j - 1, row] - value) <= _EPS:
            continue  # derived sentence j is unaligned; the state was reached earlier
        pairs.append((row, j))
        target = value - gain[row, j]
        if uses == 1:
            uses = 0
            continue
        if j == 0 or abs(target) <= _EPS:
            break
        earlier = np.maximum(once_hist[j - 1, :row], twice_hist[j - 1, :row])
        row = int(np.flatnonzero(np.abs(earlier - target) <= _EPS)[-1])
        uses = 0 if abs(once_hist[j - 1, row] - target) <= _EPS else 1
    pairs.reverse()
    return pairs
