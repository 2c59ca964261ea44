"""Other names of one entity: an acronym and its expansion (EU / European Union, NATO / North
Atlantic Treaty Organisation), a plural demonym and its singular (Serbs / Serb, Balkans / Balkan).

Both rules only ever join non-persons, and a plural only a singular that is a group (NORP): a false
merge shows a reader one thing where the text has two, which is worse than two names for one.
"""

from __future__ import annotations

import re

from storyline.stages.entities.names import fold

# Words an acronym skips in its expansion ("North Atlantic Treaty Organization" -> NATO).
SKIPPED_WORDS = frozenset("of the and for on in de du des la le to at".split())
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,6}$|^[A-Z]{2,6}$")
# Types an acronym or its expansion may have: organisations, places, groups, facilities.
NON_PERSON = frozenset(["ORG", "GPE", "LOC", "NORP", "FAC"])


def acronym(name: str) -> str | None:
    """The folded letters of ``name`` if it is an acronym ("EU", "U.S.", "NATO"), else None."""
    bare = name.strip()
    if bare.endswith("'s") or bare.endswith("’s"):
        bare = bare[:-2]
    return bare.replace(".", "").lower() if _ACRONYM.match(bare) else None


def initials(name: str) -> str | None:
    """The folded initials of a multi-word capitalised name ("European Union" -> "eu"), else None.

    Every word but the skipped ones ("of", "the") must be capitalised; two to six initials.
    """
    words = [w for w in re.split(r"[\s\-]+", name.strip()) if w]
    kept = [w for w in words if w.lower() not in SKIPPED_WORDS]
    if not 2 <= len(kept) <= 6 or not all(w[:1].isupper() for w in kept):
        return None
    return fold("".join(w[0] for w in kept))


def singular(key: str) -> str | None:
    """The singular of a folded one-word plural name ("serbs" -> "serb"), else None."""
    if " " in key or len(key) < 4 or not key.endswith("s") or key.endswith("ss"):
        return None
    return key[:-1]
