"""Confidence of a quote and of its speaker link, from the features of how each was found.

A quote's raw score is a logistic model over its features (cue score, frame kind, how it was
found, kind, whether and how a source was resolved, length); a speaker link's over how the
source was resolved and what it resolved to. Both weights and the calibration knots that turn
the scores into confidences are fitted on PolNeAR train by ``python -m benchmarks.quotes_confidence``
and written to :mod:`.calibration`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from storyline.confidence import calibrate
from storyline.stages.quotes.attribution import Attribution
from storyline.stages.quotes.calibration import QUOTE_KNOTS, QUOTE_WEIGHTS, SPEAKER_KNOTS, SPEAKER_WEIGHTS

Features = dict[str, float]


class QuoteFeatures(NamedTuple):
    """The features of a quote and of its speaker link (None when no speaker is named)."""

    quote: Features
    speaker: Features | None


def quote_features(att: Attribution, speaker_path: str, has_source: bool, words: int) -> Features:
    """The features of one attribution; ``speaker_path`` is how its source was resolved."""
    return {
        "bias": 1.0,
        "cue_score": att.score,
        f"path={att.path}": 1.0,
        f"frame={att.frame_kind}": 1.0 if att.frame_kind else 0.0,
        f"kind={att.kind}": 1.0,
        "belief": 1.0 if att.cue_class == "belief" else 0.0,
        "source": 1.0 if has_source else 0.0,
        f"speaker={speaker_path}": 1.0,
        "log_words": math.log1p(words),
        "parts": float(len(att.parts) > 1),
    }


def speaker_features(att: Attribution, speaker_path: str, entity_type: str, inherited: bool) -> Features:
    """The features of one speaker link: how its source was resolved and to what."""
    return {
        "bias": 1.0,
        f"speaker={speaker_path}": 1.0,
        f"type={entity_type if entity_type in ('PERSON', 'ORG', 'GPE') else 'other'}": 1.0,
        f"path={att.path}": 1.0,
        f"kind={att.kind}": 1.0,
        "inherited": 1.0 if inherited else 0.0,
        "cue_score": att.score,
    }


def raw_score(features: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The logistic model's log-odds for ``features`` (features without a weight count 0)."""
    return sum(value * weights.get(name, 0.0) for name, value in features.items())


def quote_confidence(features: Mapping[str, float]) -> float:
    """Calibrated confidence that a quote is a real attribution with about these bounds."""
    return calibrate(raw_score(features, QUOTE_WEIGHTS), QUOTE_KNOTS)


def speaker_confidence(features: Mapping[str, float]) -> float:
    """Calibrated confidence that a quote's named speaker is right."""
    return calibrate(raw_score(features, SPEAKER_WEIGHTS), SPEAKER_KNOTS)
