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
# Entity keys lead a title; terms fill it up to TITLE_KEYS.
TITLE_ENTITIES = 3


def characteristic_keys(group: Group, idf_terms: Idf, idf_entities: Idf, limit: int = TITLE_KEYS * 3) -> list[str]:
    """The group's title keys ("e:serbia", "t:sanction"), most characteristic first.

    A key's weight is its centroid weight (how much of the members' text it takes up) times its
    IDF (how rare it is in the corpus); dates and numbers are left out.
    """
    scored = [
        (weight * weigher(key), prefix + key)
        for prefix, centroid, weigher in (("e:", group.entities, idf_entities), ("t:", group.terms, idf_terms))
        for key, weight in centroid.weights.items()
        if not key.startswith("date:") and not key[:1].isdigit()
    ]
    scored.sort(key=lambda sk: (-sk[0], sk[1]))
    return [key for _s, key in scored[:limit]]


def keys_title(keys: Sequence[str], display: Mapping[str, str]) -> str:
    """A title of up to TITLE_ENTITIES entities then terms; a name replaces a shorter form it contains."""
    chosen: list[str] = []
    entities = [k for k in keys if k.startswith("e:")][: TITLE_ENTITIES * 2]
    terms = [k for k in keys if k.startswith("t:") and " " not in k]  # word pairs read badly in a title
    for key in [*entities, *terms]:
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
        if best is None or score > best[0]:
            best = (score, headline)
    return best[1] if best else None
