"""Reliability tables for calibrated confidences, shared by every benchmark that scores facts.

A benchmark collects ``(confidence, right)`` for each fact it can check against gold labels and
renders :func:`calibration_report`: precision at or above :data:`storyline.confidence.CONFIDENT`
(the issue's target: at least 0.90), a reliability table by confidence band, and the expected
calibration error.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.report import table
from storyline.confidence import CONFIDENT, precision_at

BANDS = ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01))


def expected_calibration_error(pairs: Sequence[tuple[float, bool]]) -> float:
    """Mean |confidence - accuracy| over the bands, weighted by how many facts each holds."""
    total = len(pairs)
    if not total:
        return 0.0
    err = 0.0
    for lo, hi in BANDS:
        band = [(c, ok) for c, ok in pairs if lo <= c < hi]
        if band:
            err += len(band) / total * abs(sum(c for c, _ in band) / len(band) - sum(ok for _, ok in band) / len(band))
    return err


def calibration_rows(name: str, pairs: Sequence[tuple[float, bool]]) -> list[object]:
    """One summary row: facts, precision at >= CONFIDENT, share of facts kept there, ECE."""
    prec, kept = precision_at(pairs, CONFIDENT)
    overall = sum(ok for _, ok in pairs) / len(pairs) if pairs else 0.0
    return [name, len(pairs), overall, kept, prec, expected_calibration_error(pairs)]


SUMMARY_HEADERS = ["facts", "checked", "right (all)", f"at confidence >= {CONFIDENT}", "precision there", "ECE"]


def calibration_report(facts: dict[str, Sequence[tuple[float, bool]]]) -> str:
    """Markdown: a summary row per fact type, then a reliability table per fact type."""
    out = [table(SUMMARY_HEADERS, [calibration_rows(name, pairs) for name, pairs in facts.items()])]
    for name, pairs in facts.items():
        rows = []
        for lo, hi in BANDS:
            band = [(c, ok) for c, ok in pairs if lo <= c < hi]
            if band:
                rows.append([f"{lo:.1f}-{min(hi, 1.0):.1f}", len(band), sum(c for c, _ in band) / len(band),
                             sum(ok for _, ok in band) / len(band)])
        out.append(f"\n{name}: reliability by confidence band\n\n"
                   + table(["confidence", "facts", "mean confidence", "right"], rows))
    return "\n".join(out)
