"""Text normalisation shared by the reuse stage: words, shingles, prose filter, specifics, quotes.

Everything here is a pure function of strings. "Specifics" are the checkable details a rewrite
tends to drop or keep (numbers, names); "direct quotes" are passages inside quotation marks.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# A sentence needs this many words of two or more letters to be aligned: shorter ones (datelines,
# "Read more", URL fragments) match everywhere and carry no evidence of reuse.
MIN_PROSE_WORDS = 4
# Words per shingle for MinHash (the issue measures reuse with 5-gram shingles).
SHINGLE_WORDS = 5
# Two name-like words match when their first letters agree this far ("Serbia"/"Serbian").
NAME_PREFIX = 5
# A quoted passage counts as a direct quote from this many words on (not a scare-quoted term).
MIN_QUOTE_WORDS = 4

# Function words too common to show that two sentences share content.
_STOP_WORDS = frozenset(
    "the and but for nor yet with from into onto upon about above after again against all also although "
    "among any are around because been before being below between both can could did does doing down "
    "during each even ever every few further had has have having her here hers herself him himself his "
    "how however its itself just like made make many may might more most much must near not now off once "
    "only other our ours out over own per same she should since some such than that their theirs them "
    "then there these they this those though through too under until very was were what when where "
    "whether which while who whom whose why will with within without would yet you your said says say "
    "told tells according".split()
)
_WORD = re.compile(r"\w+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
_TOKEN = re.compile(r"\w[\w.'’-]*\w|\w")
_POSSESSIVE = re.compile(r"['’]s$")
_URLISH = re.compile(r"https?\b|www\b|\.(?:com|org|net|html?)\b", re.I)
_QUOTE_MARK = re.compile(r"“|”|``|''|\"|['‘’]")
_SINGLE_QUOTES = frozenset("'‘’")
_AFTER_CLOSE = frozenset(["", " ", "\n", "\t", ",", ".", ";", ":", "!", "?", ")"])
_OPENERS = " \"'“‘`(["
_ENDERS = frozenset(".!?:;")
_ABBREVIATIONS = frozenset("mr mrs ms dr st lt gov sen rep capt col gen sgt jr sr u.s no".split())
# Capitalised function words that are not names even when they do not start a sentence.
_NOT_NAMES = frozenset(
    "i i'm i've i'd it it's he she we they you this that these those there the a an and but or "
    "mr mrs ms dr st lt capt sgt col gen gov sen rep president minister prime deputy chancellor governor "
    "senator secretary chief".split()
)


def fold(text: str) -> str:
    """Case- and accent-folded form of ``text`` ("Vučić" and "Vucic" fold alike)."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


def words(text: str) -> list[str]:
    """The folded word tokens of ``text`` (punctuation and spacing ignored)."""
    return _WORD.findall(fold(text))


def text_digest(text: str) -> bytes:
    """A 16-byte digest of the text's words: equal for texts that differ only in case or spacing."""
    return hashlib.blake2b(" ".join(words(text)).encode("utf-8"), digest_size=16).digest()


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The set of ``size``-word shingles of ``text`` (the whole text when it is shorter)."""
    toks = words(text)
    if len(toks) <= size:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + size]) for i in range(len(toks) - size + 1)}


def content_keys(sentence: str) -> set[str]:
    """Folded prefixes of the content words of a sentence (stop words and short words left out)."""
    return {w[:NAME_PREFIX] for w in _LETTER_WORD.findall(fold(sentence)) if len(w) > 2 and w not in _STOP_WORDS}


def is_prose(sentence: str) -> bool:
    """Whether a sentence is worth aligning: enough real words and not a URL or link line."""
    return len(_LETTER_WORD.findall(sentence)) >= MIN_PROSE_WORDS and not _URLISH.search(sentence) and (
        sentence.count("/") < 2
    )


def _key(token: str) -> str:
    """Comparison key of a token: its digits for numbers, its folded prefix for words."""
    if any(ch.isdigit() for ch in token):
        return "".join(ch for ch in token if ch.isdigit())
    return fold(token)[:NAME_PREFIX]


def token_keys(text: str) -> set[str]:
    """Comparison keys of every token of ``text`` (see :func:`specifics`)."""
    return {_key(_POSSESSIVE.sub("", t)) for t in _TOKEN.findall(text)}


def specifics(sentence: str) -> set[str]:
    """Keys of the checkable details of one sentence: numbers and capitalised non-initial words."""
    out: set[str] = set()
    previous = ""
    for match in _TOKEN.finditer(sentence):
        token = _POSSESSIVE.sub("", match.group())
        number = any(ch.isdigit() for ch in token)
        if number or (_is_name(token) and not _starts_sentence(sentence, match.start(), previous)):
            out.add(_key(token))
        previous = token
    return out


def _is_name(token: str) -> bool:
    """Whether a token looks like part of a name: capitalised and not a title or pronoun."""
    return token[0].isupper() and fold(token) not in _NOT_NAMES


def _starts_sentence(sentence: str, start: int, previous: str) -> bool:
    """Whether the token at ``start`` opens a sentence, a line or a quotation."""
    if not previous:
        return True
    before = sentence[max(0, start - 4) : start]
    if "\n" in before or before.rstrip(" ")[-1:] in _OPENERS:
        return True
    return before.rstrip(_OPENERS)[-1:] in _ENDERS and fold(previous).rstrip(".") not in _ABBREVIATIONS


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` inside quotation marks: “…”, "…", ``…'' and '…' (a single
    quote opens before a capital letter and closes before a space). An unclosed quote ends at the
    next blank line, as multi-paragraph quotes in news do."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    single = False
    for match in _QUOTE_MARK.finditer(text):
        start, mark = match.start(), match.group()
        if opened is not None and (gap := text.find("\n\n", opened, start)) >= 0:
            spans.append((opened, gap))
            opened = None
        if mark in _SINGLE_QUOTES:
            if opened is None and _opens_single(text, start):
                opened, single = start, True
            elif opened is not None and single and text[match.end() : match.end() + 1] in _AFTER_CLOSE:
                spans.append((opened, match.end()))
                opened = None
        elif opened is None and mark in {"“", "``", '"'}:
            opened, single = start, False
        elif opened is not None and not single and mark in {"”", "''", '"'}:
            spans.append((opened, match.end()))
            opened = None
    if opened is not None:
        gap = text.find("\n\n", opened)
        spans.append((opened, gap if gap >= 0 else len(text)))
    return spans


def _opens_single(text: str, start: int) -> bool:
    """Whether the single quote at ``start`` opens a quotation (after a space, before a capital)."""
    before = text[start - 1 : start] if start else ""
    after = text[start + 1 : start + 2]
    return (not before or before.isspace() or before in "([") and after.isupper()


def quoted_share(span: tuple[int, int], quotes: list[tuple[int, int]]) -> float:
    """The share of the characters of ``span`` that lie inside the ranges ``quotes``."""
    start, end = span
    if end <= start:
        return 0.0
    inside = sum(max(0, min(end, q_end) - max(start, q_start)) for q_start, q_end in quotes)
    return inside / (end - start)


def direct_quotes(text: str) -> int:
    """The number of direct quotes in ``text``: quoted passages of MIN_QUOTE_WORDS words or more."""
    return sum(
        1 for start, end in quoted_spans(text) if len(_LETTER_WORD.findall(text[start:end])) >= MIN_QUOTE_WORDS
    )
