"""An entity's type from its evidence: type votes (spaCy labels, titles, syntax) and the gazetteer.

The same decision serves one article (a local entity's votes) and the corpus (every article's votes
summed by the registry), so a type is decided again as evidence accumulates. A known place name adds
votes for a place in proportion to the evidence already there: a country or region a share large
enough to outvote stray PERSON/ORG/PRODUCT tags, a town (many are named like people: Troy, Jackson,
Clinton) a smaller share of PERSON votes, so a person's own name and titles still outvote it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from storyline.stages.entities.gazetteer import PlaceKind, place_kind

# Tie-break between types with equal votes, most likely first.
TYPE_ORDER = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT")
PLACE_TYPES = ("GPE", "LOC", "FAC")
# Place votes a gazetteer hit adds, by kind of place: (a base, a share of the name's ORG, PRODUCT and FAC
# votes, a share of its PERSON votes). spaCy's small model tags a place ORG where it names its police or
# council ("Thessaloniki", "Woodburn police"): for a city those votes count for the place as well (a
# little more, so that a tie goes to the place). PERSON votes are converted for countries, capitals
# and regions, not for cities, which are often named like people (Holt, Rubio, Obama are towns of
# 15,000+). A town (under 100,000 people) counts only where the text also uses the name as a place
# (a GPE/LOC/FAC vote): town names are often an organisation's or an ordinary word's ("Summit",
# "Temple", "Federal" in PolNeAR and ECB+ dev, typed ORG there before and after), while "Woodburn
# police" (26 mentions, one GPE) is the town. A group (NORP winner: "Western", "Somali") is never
# turned into a place. Measured on the entities audit (benchmarks/entities_audit.py, sweep table in
# BENCHMARKS.md), and on the types that changed over all PolNeAR and ECB+ dev documents.
GAZETTEER_WEIGHTS: dict[PlaceKind, tuple[float, float, float]] = {
    "country": (1.0, 1.0, 1.0),
    "capital": (1.0, 1.0, 1.0),
    "region": (1.0, 1.0, 0.5),
    "city": (0.0, 1.25, 0.0),
    "town": (0.0, 1.25, 0.0),
}
_OTHER_TYPES = ("ORG", "PRODUCT", "FAC")


@dataclass(frozen=True, slots=True)
class TypeDecision:
    """A type and the raw evidence score behind it: the winning margin over all votes, in [0, 1)."""

    type: str
    score: float


def gazetteer_votes(votes: Mapping[str, float], name: str) -> dict[str, float]:
    """``votes`` plus the place votes the gazetteer gives ``name`` (added to its most voted place type)."""
    out = {k: float(v) for k, v in votes.items()}
    kind = place_kind(name) if name else None
    if kind is None or (out and voted_type(out) == "NORP"):
        return out
    if kind in ("city", "town") and (name.isupper() or out.get("PERSON", 0) > 0):
        return out  # "THR", "IST"; a person's name that is also a town's (Harvey, Holt)
    if kind == "town" and not any(out.get(t, 0) for t in PLACE_TYPES):
        return out  # a town's name the text never uses as a place: "the White House", "Summit"
    base, other, person = GAZETTEER_WEIGHTS[kind]
    extra = base + other * sum(out.get(t, 0.0) for t in _OTHER_TYPES) + person * out.get("PERSON", 0.0)
    if extra <= 0:
        return out
    place = max(PLACE_TYPES, key=lambda t: (out.get(t, 0.0), t == "GPE"))
    out[place] = out.get(place, 0.0) + extra
    return out


def voted_type(votes: Mapping[str, float], prefer: str | None = None) -> str:
    """The type with most votes (ties go to ``prefer``, then TYPE_ORDER); PERSON when there is no vote."""
    if not votes or max(votes.values()) <= 0:
        return "PERSON"
    best = max(votes.values())
    if prefer is not None and votes.get(prefer, 0) == best:
        return prefer
    return next((t for t in TYPE_ORDER if votes.get(t, 0) == best), max(votes, key=lambda t: votes[t]))


def decide_type(votes: Mapping[str, float] | Counter[str], name: str) -> TypeDecision:
    """The type of an entity named ``name`` with these votes, and the margin score behind it.

    The score is (winner's votes - runner-up's) / (all votes + 1): one unanimous vote scores 0.5, ten
    score 0.91, a 2-1 split 0.25; an entity with no vote (typed PERSON by default) scores 0.
    """
    combined = gazetteer_votes(votes, name)
    kind = place_kind(name) if name else None
    strong = kind is not None and GAZETTEER_WEIGHTS[kind][0] > 0
    place = max(PLACE_TYPES, key=lambda t: combined.get(t, 0.0)) if strong else None
    winner = voted_type(combined, prefer=place)  # a known country, capital or region wins a tie
    if not combined:
        return TypeDecision(winner, 0.0)
    ranked = sorted(combined.values(), reverse=True)
    second = ranked[1] if len(ranked) > 1 else 0.0
    return TypeDecision(winner, round(max(0.0, combined.get(winner, 0.0) - second) / (sum(ranked) + 1.0), 4))
