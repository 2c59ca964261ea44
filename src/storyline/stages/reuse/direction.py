"""Which article of a reuse pair is the source: by publication date, else by textual evidence.

A derived text drops specifics its source has (numbers, names), turns the source's direct quotes
into paraphrase and adds generic filler, which has none of either; so when dates cannot decide,
the article holding the specifics and quotes the other lacks is taken as the source. When neither
dates nor text decide, the article seen first (already indexed) is taken as the source, and the
basis says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storyline.records import Article
from storyline.stages.reuse.settings import ReuseSettings
from storyline.stages.reuse.text import direct_quotes, specifics, token_keys


@dataclass(frozen=True, slots=True)
class TextProfile:
    """What the direction and novelty tests read from one article."""

    specifics: frozenset[str]  # keys of its names and numbers
    keys: frozenset[str]  # keys of all its tokens
    quotes: int  # number of direct quotes


@dataclass(frozen=True, slots=True)
class Direction:
    """The decided direction of a pair: whether the new article is the source, and why."""

    new_is_source: bool
    basis: str


def text_profile(text: str, spans: Sequence[tuple[int, int]]) -> TextProfile:
    """Profile of an article from its text and the spans of its prose sentences."""
    found: set[str] = set()
    for start, end in spans:
        found |= specifics(text[start:end])
    return TextProfile(frozenset(found), frozenset(token_keys(text)), direct_quotes(text))


def novelty(derived: TextProfile, source: TextProfile) -> float:
    """Share of the derived text's specifics that appear nowhere in the source (0 when it has none)."""
    if not derived.specifics:
        return 0.0
    return len(derived.specifics - source.keys) / len(derived.specifics)


def decide_direction(
    new: Article, old: Article, new_profile: TextProfile, old_profile: TextProfile, settings: ReuseSettings
) -> Direction:
    """Direction of the pair (new, old): earlier publication date, else textual evidence, else first seen."""
    if new.published and old.published and new.published != old.published:
        new_first = new.published < old.published
        first, second = (new, old) if new_first else (old, new)
        return Direction(new_first, f"published: {first.published} before {second.published}")
    old_lacks = len(new_profile.specifics - old_profile.keys)
    new_lacks = len(old_profile.specifics - new_profile.keys)
    evidence = new_lacks - old_lacks + settings.quote_weight * (old_profile.quotes - new_profile.quotes)
    if abs(evidence) < settings.textual_min_evidence:
        why = "same publication date" if new.published and new.published == old.published else "no dates"
        return Direction(False, f"first seen: {why} and no textual evidence ({evidence:+d})")
    new_is_source = evidence < 0
    source, derived = (new_profile, old_profile) if new_is_source else (old_profile, new_profile)
    source_only, derived_only = (old_lacks, new_lacks) if new_is_source else (new_lacks, old_lacks)
    return Direction(
        new_is_source,
        f"textual: the source has {source_only} names or numbers the derived text lacks "
        f"(the derived text has {derived_only} the source lacks) and {source.quotes} direct quotes "
        f"(derived: {derived.quotes})",
    )
