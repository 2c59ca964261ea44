"""The order-preserving sentence alignment of the reuse stage."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np

from storyline.stages.reuse.align import lexical_bonus, monotone_alignment


def _valid(pairs: list[tuple[int, int]], sim: np.ndarray, floor: float) -> bool:
    rows = [i for i, _ in pairs]
    return (
        rows == sorted(rows)
        and len({j for _, j in pairs}) == len(pairs)
        and all(v <= 2 for v in Counter(rows).values())
        and all(sim[i, j] > floor for i, j in pairs)
    )


def _best_total(sim: np.ndarray, floor: float) -> float:
    """Exhaustive search over every assignment of derived sentences (columns) to rows or nothing."""
    n, m = sim.shape
    best = 0.0
    for choice in itertools.product(range(-1, n), repeat=m):
        pairs = [(i, j) for j, i in enumerate(choice) if i >= 0]
        if _valid(pairs, sim, floor):
            best = max(best, sum(sim[i, j] - floor for i, j in pairs))
    return best


def test_alignment_is_optimal_among_order_preserving_ones() -> None:
    rng = np.random.default_rng(3)
    for _ in range(300):
        sim = rng.random((int(rng.integers(1, 5)), int(rng.integers(1, 6))))
        pairs = monotone_alignment(sim, 0.4)
        assert _valid(pairs, sim, 0.4)
        assert abs(sum(sim[i, j] - 0.4 for i, j in pairs) - _best_total(sim, 0.4)) < 1e-9


def test_alignment_favours_the_same_order_over_independent_best_matches() -> None:
    # Derived sentence 2 matches source 0 best (0.9), but taking it would break the order of the
    # two strong diagonal pairs; the alignment keeps the order instead.
    sim = np.array([[0.95, 0.1, 0.9], [0.1, 0.92, 0.2], [0.2, 0.1, 0.7]])
    assert monotone_alignment(sim, 0.5) == [(0, 0), (1, 1), (2, 2)]
    assert [int(k) for k in sim.argmax(axis=0)] == [0, 1, 0]


def test_sentences_below_the_floor_stay_unaligned() -> None:
    sim = np.array([[0.9, 0.3, 0.2], [0.2, 0.45, 0.1], [0.1, 0.2, 0.8]])
    assert monotone_alignment(sim, 0.5) == [(0, 0), (2, 2)]
    assert monotone_alignment(np.zeros((0, 3)), 0.5) == []


def test_one_source_sentence_serves_at_most_two_derived_sentences() -> None:
    sim = np.full((1, 4), 0.9)
    assert len(monotone_alignment(sim, 0.5)) == 2


def test_shared_content_words_break_near_ties() -> None:
    sim = np.array([[0.62], [0.58]])
    source = [{"moscow", "russi"}, {"europ", "union", "belgr", "moscow"}]
    derived = [{"europ", "union", "belgr", "moscow", "stead"}]
    assert monotone_alignment(sim, 0.5) == [(0, 0)]
    assert monotone_alignment(sim, 0.5, lexical_bonus(sim, 0.5, source, derived)) == [(1, 0)]
