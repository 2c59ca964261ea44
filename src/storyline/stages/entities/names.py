"""Name folding and comparison: case, accents, honorifics, possessives, surnames."""

from __future__ import annotations

import re
import unicodedata

# Words before a name that are not part of it ("Mr. Trump", "Sen. Warren").
HONORIFICS = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady sen rep gov gen col lt capt sgt rev fr st".split()
)
# Prefixes of ships' names ("INS Mysore", "MV Gibe"), dropped from a name's key like an honorific.
SHIP_PREFIXES = frozenset("ins uss hms hmas hmcs mv ss rms usns fv".split())
# Words after a surname that are not the surname ("James B. Comey Jr.").
SUFFIXES = frozenset("jr sr ii iii iv phd md esq".split())
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_POSSESSIVE = re.compile(r"(?:'s|')$")
_NON_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Case- and accent-folded text with straight apostrophes and single spaces (Vučić -> vucic)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().replace("đ", "d").replace("ł", "l").split())


def slug(text: str) -> str:
    """A readable id fragment: folded words joined by hyphens (Aleksandar Vučić -> aleksandar-vucic)."""
    return _NON_WORD.sub("-", fold(text)).strip("-") or "entity"


def name_tokens(name: str) -> list[str]:
    """The folded words of a name without honorifics, ship prefixes, suffixes or a possessive ending."""
    words = [_POSSESSIVE.sub("", w).strip(".,") for w in fold(name).split()]
    words = [w for w in words if w]
    while words and words[0].rstrip(".") in HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[0] in SHIP_PREFIXES:  # "INS Tabar" is "the Tabar"
        words.pop(0)
    while len(words) > 1 and words[-1].rstrip(".") in SUFFIXES:
        words.pop()
    return words


def name_key(name: str) -> str:
    """The comparison key of a name (its folded words, honorifics and suffixes dropped)."""
    return " ".join(name_tokens(name))


def surname(name: str) -> str:
    """The folded last word of a name ("" if none)."""
    words = name_tokens(name)
    return words[-1] if words else ""


def compatible_first_names(a: str, b: str) -> bool:
    """Whether two multi-word person names can be the same person: same surname, and first names
    equal or one an initial of the other ("Hillary Rodham Clinton" ~ "Hillary Clinton", "H. Clinton")."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb or ta[-1] != tb[-1]:
        return False
    if len(ta) == 1 or len(tb) == 1:
        return True
    fa, fb = ta[0].rstrip("."), tb[0].rstrip(".")
    if fa == fb:
        return True
    return (len(fa) == 1 and fb.startswith(fa)) or (len(fb) == 1 and fa.startswith(fb))
