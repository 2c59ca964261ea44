"""Decide whether a candidate pair is reuse, of which kind, in which direction, with what score.

Kinds, tested in this order:
- ``duplicate``: the same words (case, spacing and punctuation aside); score 1.
- ``near_duplicate``: estimated 5-gram Jaccard >= NEAR_DUPLICATE_JACCARD; score = the Jaccard.
- ``partial``: copied sentences (aligned, RapidFuzz ratio >= COPY_RATIO, not quotes of a third
  party) are at least PARTIAL_MIN_SENTENCES and PARTIAL_MIN_CHARS; score = share of the derived
  text's prose characters copied. (An edited copy whose other sentences are reworded is partial
  too: a rewrite is a paraphrase that keeps fewer than PARTIAL_MIN_SENTENCES sentences verbatim.)
- ``rewrite``: at least REWRITE_MIN_ALIGNED derived sentences aligned in order to the source,
  order-preserving coverage >= REWRITE_MIN_COVERAGE, and at most REWRITE_MAX_NOVELTY of the
  derived text's names and numbers missing from the source; score = the coverage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from storyline.records import Alignment, ReuseKind, ReuseLink
from storyline.stages.reuse.align import lexical_bonus, monotone_alignment
from storyline.stages.reuse.direction import decide_direction, novelty
from storyline.stages.reuse.entry import ArticleView, IndexedArticle
from storyline.stages.reuse.minhash import estimated_jaccard
from storyline.stages.reuse.settings import COPY_SIMILARITY, ReuseSettings
from storyline.stages.reuse.text import fold, quoted_share


@dataclass(frozen=True, slots=True)
class AlignmentEvidence:
    """The order-preserving alignment of a derived article to a source, and what it shows."""

    pairs: tuple[tuple[int, int, float], ...]  # (source sentence, derived sentence, similarity)
    copied: tuple[int, ...]  # indices into ``pairs`` of sentences copied rather than paraphrased
    copied_chars: int  # characters of the derived sentences copied
    derived_chars: int  # characters of all prose sentences of the derived text
    derived_coverage: float  # share of derived sentences aligned
    source_coverage: float  # share of source sentences aligned

    @property
    def coverage(self) -> float:
        """Harmonic mean of the derived and source coverage (0 when either is 0)."""
        total = self.derived_coverage + self.source_coverage
        return 2 * self.derived_coverage * self.source_coverage / total if total else 0.0


def align_pair(
    source: ArticleView, derived: ArticleView, settings: ReuseSettings, sim: np.ndarray | None = None
) -> AlignmentEvidence:
    """Align ``derived`` to ``source`` sentence by sentence and mark the copied pairs.

    ``sim`` is the source x derived cosine matrix when the caller has it already.
    """
    src, der = source.entry, derived.entry
    if not src.spans or not der.spans:
        return AlignmentEvidence((), (), 0, 0, 0.0, 0.0)
    if sim is None:
        sim = source.vectors @ derived.vectors.T
    bonus = lexical_bonus(sim, settings.align_floor, source.content, derived.content)
    pairs = tuple((i, j, float(sim[i, j])) for i, j in monotone_alignment(sim, settings.align_floor, bonus))
    copied: list[int] = []
    copied_chars = 0
    for k, (i, j, _) in enumerate(pairs):
        if quoted_share(der.spans[j], derived.quotes) >= settings.quote_share:
            continue
        if fuzz.ratio(fold(src.sentence(i)), fold(der.sentence(j))) >= settings.copy_ratio:
            copied.append(k)
            copied_chars += der.spans[j][1] - der.spans[j][0]
    derived_chars = sum(end - start for start, end in der.spans)
    return AlignmentEvidence(
        pairs, tuple(copied), copied_chars, derived_chars,
        len(pairs) / len(der.spans), len({i for i, _, _ in pairs}) / len(src.spans),
    )


def _may_link(sim: np.ndarray, settings: ReuseSettings) -> bool:
    """A cheap necessary condition for partial or rewrite, from the similarity matrix alone.

    Copied sentences have cosine >= COPY_SIMILARITY; a rewrite needs REWRITE_MIN_ALIGNED sentences
    with a match above the floor on both sides, and its coverage cannot exceed the share of
    sentences that have one (the bound is the same in both orientations).
    """
    if sim.size == 0:
        return False
    if int((sim >= COPY_SIMILARITY).any(axis=0).sum()) >= settings.partial_min_sentences:
        return True
    usable = sim > settings.align_floor
    rows, cols = int(usable.any(axis=1).sum()), int(usable.any(axis=0).sum())
    if min(rows, cols) < settings.rewrite_min_aligned:
        return False
    row_share, col_share = rows / sim.shape[0], cols / sim.shape[1]
    return 2 * row_share * col_share / (row_share + col_share) >= settings.rewrite_min_coverage


def _is_partial(evidence: AlignmentEvidence, settings: ReuseSettings) -> bool:
    """Whether enough sentences were copied word for word to call the pair a partial copy."""
    return len(evidence.copied) >= settings.partial_min_sentences and (
        evidence.copied_chars >= settings.partial_min_chars
    )


def _could_be_rewrite(evidence: AlignmentEvidence, settings: ReuseSettings) -> bool:
    """The alignment part of the rewrite test (the novelty part needs the direction)."""
    return len(evidence.pairs) >= settings.rewrite_min_aligned and evidence.coverage >= settings.rewrite_min_coverage


def classify(
    jaccard: float, evidence: AlignmentEvidence, derived_novelty: float, settings: ReuseSettings
) -> tuple[ReuseKind, float] | None:
    """Kind and score of a directed pair that is not an exact duplicate, or None if it is no reuse."""
    if jaccard >= settings.near_duplicate_jaccard:
        return "near_duplicate", jaccard
    if _is_partial(evidence, settings):
        return "partial", evidence.copied_chars / evidence.derived_chars
    if _could_be_rewrite(evidence, settings) and derived_novelty <= settings.rewrite_max_novelty:
        return "rewrite", evidence.coverage
    return None


def _alignments(
    source: IndexedArticle, derived: IndexedArticle, evidence: AlignmentEvidence, copied_only: bool
) -> tuple[Alignment, ...]:
    """The link's aligned sentence pairs as character spans in both articles."""
    chosen = [evidence.pairs[k] for k in evidence.copied] if copied_only else list(evidence.pairs)
    return tuple(
        Alignment(source.spans[i][0], source.spans[i][1], derived.spans[j][0], derived.spans[j][1], round(s, 4))
        for i, j, s in chosen
    )


def link_pair(new: ArticleView, old: ArticleView, settings: ReuseSettings) -> ReuseLink | None:
    """The reuse link between a new article and an indexed one, or None if neither reuses the other."""
    jaccard = estimated_jaccard(new.entry.features, old.entry.features)
    duplicate = new.entry.features.digest == old.entry.features.digest
    sim = old.vectors @ new.vectors.T
    if not (duplicate or jaccard >= settings.near_duplicate_jaccard or _may_link(sim, settings)):
        return None
    forward = align_pair(old, new, settings, sim)  # old as the source
    backward = align_pair(new, old, settings, sim.T)
    plausible = duplicate or jaccard >= settings.near_duplicate_jaccard or any(
        _is_partial(e, settings) or _could_be_rewrite(e, settings) for e in (forward, backward)
    )
    if not plausible:
        return None
    direction = decide_direction(new.entry.article, old.entry.article, new.profile, old.profile, settings)
    if direction.new_is_source:
        source, derived, evidence = new.entry, old.entry, backward
        derived_novelty = novelty(old.profile, new.profile)
    else:
        source, derived, evidence = old.entry, new.entry, forward
        derived_novelty = novelty(new.profile, old.profile)
    decided: tuple[ReuseKind, float] | None = ("duplicate", 1.0)
    if not duplicate:
        decided = classify(jaccard, evidence, derived_novelty, settings)
    if decided is None:
        return None
    kind, score = decided
    return ReuseLink(
        source=source.article.id, derived=derived.article.id, kind=kind, score=round(score, 4),
        direction_basis=direction.basis, alignments=_alignments(source, derived, evidence, kind == "partial"),
    )
