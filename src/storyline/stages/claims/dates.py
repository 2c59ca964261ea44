"""Dates a text gives for a statement ("on Monday", "last July", "on March 3, 2022"), resolved
against the article's publication date.

A relative date needs the publication date: without one it stays unresolved (the statement is
undated, never guessed). A date is never later than the publication date. The result keeps the
precision the text gives: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
# "earlier", "previously": said before the article, on an unknown day
EARLIER = frozenset({"earlier", "previously", "before", "formerly"})

_WEEKDAY = re.compile(r"\b(last\s+|this\s+|on\s+)?(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_MONTH_ONLY = re.compile(r"^\s*(?:in\s+|last\s+|this\s+|early\s+|late\s+|mid-?)*(" + "|".join(MONTHS) + r")\s*$",
                         re.IGNORECASE)
_LAST_MONTH = re.compile(r"\blast\s+(" + "|".join(MONTHS) + r")\b", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"^\s*(?:in\s+)?((?:19|20)\d\d)\s*$")


def _parse_iso(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _date_parser() -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True})


def resolve_date(text: str, published: str | None) -> str | None:
    """The date ``text`` names, resolved against ``published`` (``YYYY-MM-DD``); None if it names
    none, or is relative and there is no publication date, or falls after the publication date."""
    base = _parse_iso(published)
    phrase = " ".join(text.split())
    low = phrase.lower()
    weekday = _WEEKDAY.search(low)
    if weekday and not re.search(r"\d", low):
        if base is None:
            return None
        target = WEEKDAYS.index(weekday.group(2))
        back = (base.weekday() - target) % 7
        if back == 0 and (weekday.group(1) or "").strip() == "last":
            back = 7
        return (base - dt.timedelta(days=back)).isoformat()
    month = _MONTH_ONLY.match(low)
    if month:
        if base is None:
            return None
        number = MONTHS.index(month.group(1)) + 1
        year = base.year if number < base.month or (number == base.month and not _LAST_MONTH.search(low)) else (
            base.year - 1)
        return f"{year:04d}-{number:02d}"
    year_only = _YEAR_ONLY.match(low)
    if year_only:
        year = int(year_only.group(1))
        return str(year) if base is None or year <= base.year else None
    if low in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return base.isoformat() if base else None
    if low in ("yesterday", "last night"):
        return (base - dt.timedelta(days=1)).isoformat() if base else None
    return _dateparser(phrase, base)


def _dateparser(phrase: str, base: dt.date | None) -> str | None:
    if re.search(r"\d0s\b|\bcentury\b|\bdecade", phrase, re.IGNORECASE):
        return None  # "the 1990s": not a date to show
    absolute = bool(re.search(r"\b(19|20)\d\d\b", phrase))
    if base is None and not absolute:
        return None
    parser = _date_parser()
    settings_base = dt.datetime.combine(base, dt.time(12)) if base else None
    cleaned = re.sub(r"^(on|in|at|since|by)\s+", "", phrase, flags=re.IGNORECASE)
    try:
        if settings_base is not None:
            from dateparser.date import DateDataParser

            parser = DateDataParser(languages=["en"], settings={
                "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True, "RELATIVE_BASE": settings_base})
        data = parser.get_date_data(cleaned)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    if base is not None and (day > base or (day == base and not re.search(r"\d|today|now", phrase, re.IGNORECASE))):
        return None  # later than the article, or dateparser's fallback to its base
    period = data.period or "day"
    if period == "year":
        return f"{day.year:04d}"
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period in ("day", "time"):
        return day.isoformat()
    return None  # "week": too vague to show as a date
