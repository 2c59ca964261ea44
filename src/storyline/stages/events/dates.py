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
    return [(start, date) for start, _end, date in date_spans(text)]


def date_spans(text: str) -> list[tuple[int, int, str]]:
    """Day-precise dates written with their year, as (start, end, YYYY-MM-DD), in text order."""
    found: dict[int, tuple[int, str]] = {}
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            parsed = _parse(match)
            if parsed and not any(abs(match.start() - at) < 12 for at in found):
                found[match.start()] = (match.end(), parsed)
    return [(start, end, date) for start, (end, date) in sorted(found.items())]


def own_date(text: str, start: int, end: int, sentence: tuple[int, int] | None = None) -> bool:
    """Whether the date at ``text[start:end]`` dates the article's own event rather than one it mentions.

    A date standing on a short line of its own (a dateline: "May 3, 2013", "Published: ...",
    "Updated Fri Nov 11, 2011 18:05") or inside a URL is the article's date. A date inside a sentence
    is the event's only when it belongs to the sentence's main verb ("Reid checked herself in on
    Tuesday, December 9, 2008"; "riots were reported ... on Saturday December 13 2008"): not when
    the verb is one of a life ("Page was born on April 22, 1923"), after "since", inside a
    relative clause ("the crimes he committed on March 11, 2005"), or naming a noun ("the March
    11, 2005, incident", "the anniversary of ..."), nor inside parentheses (an obituary's life
    dates). ``sentence`` is the (start, end) of the sentence holding the date (the whole
    paragraph when not given). Measured on ECB+ (see BENCHMARKS.md, events-ecbplus).
    """
    line_start = max(text.rfind("\n", 0, start), -1) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if _URL.search(text[line_start:start]):
        return True
    rest = _DATELINE_WORDS.sub(" ", text[line_start:start] + " " + text[end:line_end])
    if len(_WORD.findall(rest)) <= DATELINE_MAX_WORDS:
        return True
    if text.rfind("(", line_start, start) > text.rfind(")", line_start, start):
        return False
    lo, hi = sentence or (line_start, line_end)
    return _attached_to_main_verb(text[lo:hi], start - lo, end - lo)


# A line holding a date and at most this many other words (times, "Published", "Updated", weekday
# names and time zones aside) is a dateline. ECB+ datelines hold 0-3 ("Last updated on", "TNN");
# lead sentences hold 10 and more.
DATELINE_MAX_WORDS = 4
_DATELINE_WORDS = re.compile(
    r"(?i)\b(?:published|updated|posted|last|first|created|story|on|at|by|am|pm|a\.m\.|p\.m\.|gmt|bst|edt|est"
    r"|et|utc|ist|hrs|mon|tue|wed|thu|fri|sat|sun|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b|\d+|[^\w\s]"
)
_WORD = re.compile(r"[A-Za-z]{2,}")
_URL = re.compile(r"(?i)https?\s*:|www\s*\.")
# Verbs whose date is not an event's: a life's start.
_LIFE_LEMMAS = frozenset({"bear", "born"})
# Prepositions whose date starts a state rather than dating an event.
_STATE_PREPOSITIONS = frozenset({"since", "until", "till", "from"})


def _attached_to_main_verb(sentence: str, start: int, end: int) -> bool:
    from storyline.nlp import full_pipeline

    doc = full_pipeline()(sentence)
    inside = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    heads = [t for t in inside if not (start <= t.head.idx < end)]
    if not heads:
        return False
    head = heads[0].head
    if head.dep_ == "prep":
        if head.lower_ in _STATE_PREPOSITIONS:
            return False
        head = head.head
    return (head.dep_ == "ROOT" and head.pos_ in ("VERB", "AUX")
            and head.lemma_.lower() not in _LIFE_LEMMAS and head.lower_ not in _LIFE_LEMMAS)


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
