"""Titles for events and stories, from their most characteristic entities and terms.

A key is characteristic of a group when its articles use it much and the corpus's articles
rarely: its centroid weight times its IDF. An event may instead take the
headline of the member that best matches its centroid, when members have headlines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storyline.stages.events.cluster import Idf, tf_vector, weigh
from storyline.stages.events.groups import Group
from storyline.stages.events.text import content_terms

# Keys in a generated title: enough to tell two stories apart, short enough to read.
TITLE_KEYS = 4
# Entity keys in a title at most; terms fill it up to TITLE_KEYS, in order of weight.
TITLE_ENTITIES = 3


def characteristic_keys(group: Group, idf_terms: Idf, idf_entities: Idf, limit: int = TITLE_KEYS * 3,
                        parts: Sequence[Group] = ()) -> list[str]:
    """The group's title keys ("e:serbia", "t:sanction"), most characteristic first.

    A key's weight is its centroid weight (how much of the members' text it takes up) times its
    IDF (how rare it is in the corpus); dates and numbers are left out. With ``parts`` (a story's
    events) it is also multiplied by the share of the parts whose centroid holds the key: a story
    is named by what its events share ("Serbia", "sanctions"), not by a name one event dwells on.
    """
    def share(prefix: str, key: str) -> float:
        if not parts:
            return 1.0
        held = sum(key in (part.entities if prefix == "e:" else part.terms).weights for part in parts)
        return held / len(parts)

    scored = [
        (weight * weigher(key) * share(prefix, key), prefix + key)
        for prefix, centroid, weigher in (("e:", group.entities, idf_entities), ("t:", group.terms, idf_terms))
        for key, weight in centroid.weights.items()
        if not key.startswith("date:") and not key[:1].isdigit()
    ]
    scored.sort(key=lambda sk: (-sk[0], sk[1]))
    return [key for _s, key in scored[:limit]]


def keys_title(keys: Sequence[str], display: Mapping[str, str]) -> str:
    """The first TITLE_KEYS keys as a title (at most TITLE_ENTITIES entities); a name replaces a form it contains."""
    chosen: list[str] = []
    ranked = [k for k in keys if k.startswith("e:") or " " not in k]  # word pairs read badly in a title
    for key in ranked:
        form = display.get(key) or display.get("e:" + key[2:]) or key[2:]
        folded = form.casefold()
        inside = [i for i, c in enumerate(chosen) if c.casefold() in folded]
        if inside:  # "Qeshm Island" after "Island": keep the full name
            chosen[inside[0]] = form
            continue
        if any(folded in c.casefold() for c in chosen):
            continue
        if key.startswith("e:") and sum(c in display.values() for c in chosen) >= TITLE_ENTITIES:
            continue
        chosen.append(form)
        if len(chosen) >= TITLE_KEYS:
            break
    return ", ".join(chosen)


def headline_title(group: Group, headlines: Mapping[str, str | None], weight: Idf) -> str | None:
    """The member headline whose terms best match the group's term centroid (first on ties)."""
    best: tuple[float, str] | None = None
    for member in group.members:
        headline = headlines.get(member)
        if not headline:
            continue
        counts = content_terms(headline)
        score = group.terms.cosine(weigh(tf_vector(counts, weight, len(counts)), weight), weight) if counts else 0.0
        # Rounded: sums over sets vary in their last bits from one process to the next (string
        # hashing), and two headlines that differ by a number must tie, the first member winning.
        score = round(score, 9)
        if best is None or score > best[0]:
            best = (score, headline)
    return best[1] if best else None
