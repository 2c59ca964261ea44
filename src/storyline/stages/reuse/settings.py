"""Thresholds of the reuse stage, each with how it was calibrated.

Calibration data: the example corpus (001 is an uncredited rewrite of 004; no other pair of the
five is related) and ECB+ dev (413 reports, many by different outlets about the same event; see
BENCHMARKS.md section ``reuse-ecbplus``). "Same-event pairs" below are the ECB+ dev pairs of one
subtopic, in both orientations (which one is taken as derived).
"""

from __future__ import annotations

from dataclasses import dataclass

from storyline.stages.reuse.align import ALIGN_FLOOR

# --- candidate generation -------------------------------------------------------------------
# MinHash LSH threshold for near-duplicate candidates. Lower than NEAR_DUPLICATE_JACCARD so that
# pairs just under the decision threshold are still compared (and may be partial copies).
LSH_THRESHOLD = 0.4
# Nearest stored sentences fetched per sentence of a new article. Rewrite sentences score
# 0.55-0.85 against their source (001/004); in a dense topic many same-event sentences score as
# high, so the source sentence must survive among them: 24 neighbours kept every 001/004 pair.
NEIGHBOURS = 24
# A neighbour counts as a hit from this similarity on: the alignment floor, so no sentence the
# alignment could use is dropped.
CANDIDATE_SIMILARITY = ALIGN_FLOOR
# Sentences of the new article that must hit an older article for it to be compared: 2, the
# smallest partial copy (PARTIAL_MIN_SENTENCES).
CANDIDATE_MIN_HITS = 2
# Compare with at most this many sentence-index candidates (most hits first), so a new article in
# a topic of thousands of reports costs a bounded number of alignments.
MAX_CANDIDATES = 64
# A sentence stored in more articles than this is boilerplate ("Sign up for our newsletter") and
# casts no votes; it would otherwise make every article a candidate of every other.
MAX_POSTINGS = 200

# --- classification -------------------------------------------------------------------------
# near_duplicate from this estimated 5-gram Jaccard on. ECB+ dev: the six pairs that are one text
# lightly edited (a wire story or press release in two outlets) estimate 0.61-0.95; below them come
# 7_1/7_3ecbplus (0.49, an AP story with a third of its sentences reworded) and reports sharing a
# few paragraphs (0.45 and less), which are partial copies. 0.5 sits in that gap.
NEAR_DUPLICATE_JACCARD = 0.5
# Two aligned sentences are copied (not paraphrased) when their folded texts have a RapidFuzz
# ratio of at least this: a copied sentence with a changed word or comma scores 90-100, a
# paraphrase under 85 (001/004: at most 83; the synthetic rewrites of the speed benchmark are
# kept under 90 by construction).
COPY_RATIO = 90.0
# Cosine from which two sentences may be copies, checked before the RapidFuzz ratio so pairs that
# cannot be partial copies skip the alignment: ECB+ dev's copied pairs have cosine 0.79-1.0.
COPY_SIMILARITY = 0.75
# A derived sentence at least this much inside quotation marks is a quote: two outlets quoting the
# same statement word for word have not copied each other.
QUOTE_SHARE = 0.5
# partial needs this many copied (non-quote) sentences ... One shared sentence is too often a
# shared lead or a statement both outlets quote; ECB+ dev: all 54 pairs with two or more join
# reports of one event, and the 20 read are shared wire or press-release paragraphs.
PARTIAL_MIN_SENTENCES = 2
# ... totalling at least this many characters (two datelines or one-line quotes are not reuse).
PARTIAL_MIN_CHARS = 150
# rewrite needs this many derived sentences aligned in order to source sentences: ECB+ dev has
# many stubs of 1-5 sentences (a lead paragraph) that align entirely with any report of their event.
# 001/004 aligns 12.
REWRITE_MIN_ALIGNED = 6
# rewrite needs this order-preserving coverage (harmonic mean of the shares of derived and of
# source sentences aligned). 001/004: 0.65 (12 of 13 derived, 10 of 20 source sentences). ECB+ dev,
# same-event pairs with >= 6 aligned sentences and novelty <= REWRITE_MAX_NOVELTY: the highest
# below 0.6 are copies or release rewrites (0.60-0.54); two reports rewriting one Canadian Press
# story reach 0.53 (18_3/18_13ecb) and two independent Oscars reports quoting the same tweets 0.44.
REWRITE_MIN_COVERAGE = 0.6
# rewrite allows at most this share of the derived text's names and numbers to be missing from
# the source: a rewrite adds no facts, an independent report always has its own. 001/004: 0.04
# (one name of 25). ECB+ dev, same-event pairs with >= 6 aligned sentences and coverage >= 0.6:
# novelty 0.105-0.125 for outlets rewriting the same press release and 0.11 for a blog that adds
# ITV's details to the BBC's report (14_1/14_8ecbplus); independent reports of one boxing match
# 0.17 (7_5/7_8ecb). 0.1 keeps all of these out. (Example corpus, other pairs: 0.41 and more.)
REWRITE_MAX_NOVELTY = 0.1

# --- direction ------------------------------------------------------------------------------
# A direct quote counts this many specifics in the textual direction evidence: a rewrite turns
# every direct quote of its source into paraphrase (004 has 7, 001 none).
QUOTE_WEIGHT = 2
# Textual evidence (specifics and weighted quotes the other text lacks, difference of the two
# sides) needed to decide a direction; below it the first-seen article is taken as the source.
# 001/004: 6 - 1 + 2 * 7 = 19. Light edits differ by a name or two, which is noise: four of ECB+
# dev's six near-duplicates score within +-2.
TEXTUAL_MIN_EVIDENCE = 3


@dataclass(frozen=True, slots=True)
class ReuseSettings:
    """The thresholds of one run; the defaults are the calibrated constants of this module."""

    lsh_threshold: float = LSH_THRESHOLD
    neighbours: int = NEIGHBOURS
    candidate_similarity: float = CANDIDATE_SIMILARITY
    candidate_min_hits: int = CANDIDATE_MIN_HITS
    max_candidates: int = MAX_CANDIDATES
    max_postings: int = MAX_POSTINGS
    align_floor: float = ALIGN_FLOOR
    near_duplicate_jaccard: float = NEAR_DUPLICATE_JACCARD
    copy_ratio: float = COPY_RATIO
    quote_share: float = QUOTE_SHARE
    partial_min_sentences: int = PARTIAL_MIN_SENTENCES
    partial_min_chars: int = PARTIAL_MIN_CHARS
    rewrite_min_aligned: int = REWRITE_MIN_ALIGNED
    rewrite_min_coverage: float = REWRITE_MIN_COVERAGE
    rewrite_max_novelty: float = REWRITE_MAX_NOVELTY
    quote_weight: int = QUOTE_WEIGHT
    textual_min_evidence: int = TEXTUAL_MIN_EVIDENCE
