"""The shared confidence scale: calibration knots, their fit, and the shown/hidden threshold."""

import random

import pytest

from storyline.confidence import CONFIDENT, calibrate, fit_isotonic, is_confident, precision_at


def test_calibrate_interpolates_between_knots_and_clamps_outside():
    knots = ((0.0, 0.1), (1.0, 0.9))
    assert calibrate(0.5, knots) == pytest.approx(0.5)
    assert calibrate(-3.0, knots) == 0.1
    assert calibrate(7.0, knots) == 0.9


def test_calibrate_refuses_missing_knots():
    with pytest.raises(ValueError, match="calibration"):
        calibrate(0.5, ())


def test_fit_isotonic_is_monotone_and_tracks_the_rate_of_right_facts():
    rng = random.Random(3)
    pairs = []
    for _ in range(4000):
        score = rng.random()
        pairs.append((score, rng.random() < score))  # right with probability = score
    knots = fit_isotonic(pairs, min_block=50)
    ys = [y for _, y in knots]
    assert ys == sorted(ys)
    assert calibrate(0.9, knots) == pytest.approx(0.9, abs=0.08)
    assert calibrate(0.2, knots) == pytest.approx(0.2, abs=0.08)


def test_fit_isotonic_pools_small_blocks():
    pairs = [(i / 10, i % 2 == 0) for i in range(10)]
    assert len(fit_isotonic(pairs, min_block=5)) <= 2


def test_precision_at_counts_only_confident_facts():
    pairs = [(0.95, True), (0.85, False), (0.5, False), (0.81, True)]
    prec, kept = precision_at(pairs)
    assert kept == 3
    assert prec == pytest.approx(2 / 3)
    assert is_confident(None) and is_confident(CONFIDENT) and not is_confident(0.79)


def test_a_nan_score_gets_the_lowest_confidence():
    assert calibrate(float("nan"), ((0.0, 0.1), (1.0, 0.9))) == 0.1
