"""Absolute dates written in an article's text ("May 3, 2013", "26 September 2013", "2013/05/03").

Only dates that name their year are read: a bare weekday ("on Friday") or "last July" says
nothing without a publication date, and those undated articles are placed by content alone.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_SEP = r"\s*[,/.-]?\s*"
_PATTERNS = (
    re.compile(rf"(?i)\b{_MONTH}\s+{_DAY}\b{_SEP}{_YEAR}"),            # May 03 , 2013
    re.compile(rf"(?i)\b{_DAY}\s+(?:of\s+)?{_MONTH}{_SEP}{_YEAR}"),    # 26 September 2013
    re.compile(rf"(?<!\d){_YEAR}\s*[/-]\s*{_MONTH}\s*[/-]\s*{_DAY}(?!\d)", re.I),  # 2013 / may / 03
    re.compile(rf"(?<!\d){_YEAR}\s*([/-])\s*(?P<mnum>0?[1-9]|1[0-2])\s*\2\s*{_DAY}(?!\d)"),  # 2013/05/03
)
_MONTH_YEAR = re.compile(rf"(?i)\b{_MONTH}\s*,?\s+(?:of\s+)?{_YEAR}")
_BARE_YEAR = re.compile(r"(?<![\d/.-])(?:19|20)\d{2}(?![\d/]|s\b|'s)")


def full_dates(text: str) -> list[tuple[int, str]]:
    """Day-precise dates written with their year, as (character offset, YYYY-MM-DD), in text order."""
    found: dict[int, str] = {}
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            parsed = _parse(match)
            if parsed and not any(abs(match.start() - at) < 12 for at in found):
                found[match.start()] = parsed
    return sorted(found.items())


def month_years(text: str) -> list[str]:
    """Month-precise mentions ("September 2010") as YYYY-MM, in text order."""
    out = []
    for match in _MONTH_YEAR.finditer(text):
        month = _month_key(match)
        out.append(f"{match.group('year')}-{month:02d}")
    return out


def bare_years(text: str) -> list[int]:
    """Four-digit years 1900-2099 mentioned in the text (decades like "1990s" excluded)."""
    return [int(m.group()) for m in _BARE_YEAR.finditer(text)]


def _month_key(match: re.Match[str]) -> int:
    name = match.group("month").lower().rstrip(".")
    return _MONTHS.get(name[:4], _MONTHS[name[:3]])


def _parse(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else _month_key(match)
    try:
        return dt.date(int(groups["year"]), month, int(groups["day"])).isoformat()
    except ValueError:
        return None
