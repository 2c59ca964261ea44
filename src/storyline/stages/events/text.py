"""Cheap text keys for events: folded content terms and a proper-noun proxy for entities.

Everything here is regular expressions over the stored text (no model): about 1 ms per
article, so the event stage costs nothing next to the sentence embeddings it reuses.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

# Letters that NFKD does not decompose but readers type without their stroke (Đ, ł, ø).
_UNDECOMPOSED = str.maketrans({"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss",
                               "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "’": "'"})
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+(?:[.,]\d+)*")
# A capitalised word of the original text, with the characters right before it.
_CAP_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
# Gaps allowed inside one proper-noun sequence: spaces only (a comma or full stop ends it).
_SEQ_GAP = re.compile(r"[^\S\n]{1,2}")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n\"“”«»(\[]|'')\s*$")
# A pair of words is not counted across a sentence or clause break.
_CLAUSE_BREAK = re.compile(r"[.!?;:,()\[\]\n\"“”]")
# Shorter alphabetic tokens ("us", "un") are mostly noise; numbers keep two digits and up.
MIN_TERM_CHARS = 3
# Function words allowed inside a proper-noun sequence ("Bank of England", "Abu al Hassan").
_CONNECTORS = frozenset({"of", "de", "del", "della", "da", "di", "la", "le", "van", "von", "der", "al", "bin", "el"})
# Capitalised words that are times or titles, not entities: they split a sequence and are dropped.
_NOT_ENTITY = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday mr mrs ms dr sir president vice prime minister deputy chancellor governor senator
    sen rep gov king queen prince pope general gen chief judge secretary ceo chairman spokesman
    spokeswoman spokesperson mayor officer sheriff sgt lt col capt director head interior defense
    defence foreign justice finance state i http https www com html htm php aspx org net""".split()
)
# Extra content-free words of news prose, on top of spaCy's English stop words.
_NEWS_STOP = frozenset(
    """said says say told tell according also would could like just year years day days week weeks
    month months time times new news people way ago percent per cent report reported reports reporting
    http https www com html htm php aspx org net print article story stories read more""".split()
)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, folded, plus a few content-free news words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(fold(w) for w in STOP_WORDS) | _NEWS_STOP


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (Vučić -> vucic)."""
    if text.isascii():
        return text.lower()
    text = text.translate(_UNDECOMPOSED)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def stem(word: str) -> str:
    """A light plural stripper (sanctions -> sanction) so counts of one word meet."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_terms(text: str, forms: dict[str, Counter[str]] | None = None) -> Counter[str]:
    """Counts of the folded, stemmed content words of ``text`` and of adjacent pairs of them.

    Stop words and short words are dropped first, so "sanctions on Russia" gives the pair
    "sanction russia" (as scikit-learn builds n-grams). When ``forms`` is given, it collects
    the unstemmed spellings seen for each stemmed word.
    """
    counts: Counter[str] = Counter()
    stops = stop_words()
    for clause in _CLAUSE_BREAK.split(fold(text)):
        previous: str | None = None
        for word in _WORD.findall(clause):
            if word.endswith("'s"):
                word = word[:-2]
            if "'" in word:
                word = word.replace("'", "")
            if word[0].isdigit():
                if len(word) < 2:
                    continue
                key = word
            elif len(word) < MIN_TERM_CHARS or word in stops:
                continue
            else:
                key = stem(word)
                if forms is not None and key != word:
                    forms.setdefault(key, Counter())[word] += 1
            counts[key] += 1
            if previous is not None:
                counts[f"{previous} {key}"] += 1
            previous = key
    return counts


def proper_noun_keys(text: str) -> tuple[Counter[str], dict[str, str]]:
    """Entity keys from capitalised word sequences: counts and a display form for each key.

    A sequence of capitalised words (joined by spaces or connectors such as "of") is one key,
    folded ("Aleksandar Vučić" -> "aleksandar vucic"); a multi-word sequence also counts under its
    last word, so a later "Vucic" meets it. Titles, months and weekdays split sequences and are
    dropped; a sentence's first word counts only if it is capitalised mid-sentence elsewhere.
    """
    words = [(m.start(), m.end(), m.group()) for m in _CAP_WORD.finditer(text)]
    mid_sentence = {_fold_word(w) for s, _, w in words if w[0].isupper() and not _starts_sentence(text, s)}
    counts: Counter[str] = Counter()
    surface: dict[str, Counter[str]] = {}
    sequence: list[str] = []
    previous_end = -10
    for start, end, word in words:
        joined = bool(sequence) and _SEQ_GAP.fullmatch(text[previous_end:start]) is not None
        if not joined:
            _emit(sequence, counts, surface)
            sequence = []
        previous_end = end
        folded = _fold_word(word.rstrip("'’"))
        if folded.endswith("'s"):
            folded = folded[:-2]
        if not word[0].isupper():
            if sequence and folded in _CONNECTORS:
                sequence.append(word)
                continue
            _emit(sequence, counts, surface)
            sequence = []
            continue
        if folded in _NOT_ENTITY or (
            not sequence and _starts_sentence(text, start) and folded not in mid_sentence
        ) or (not sequence and folded in stop_words()):
            _emit(sequence, counts, surface)
            sequence = []
            continue
        sequence.append(word)
    _emit(sequence, counts, surface)
    display = {key: forms.most_common(1)[0][0] for key, forms in surface.items()}
    return counts, display


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    return fold(word)


def _starts_sentence(text: str, start: int) -> bool:
    return _SENTENCE_END.search(text, max(0, start - 6), start) is not None


def _emit(sequence: list[str], counts: Counter[str], surface: dict[str, Counter[str]]) -> None:
    while sequence and _fold_word(sequence[-1]) in _CONNECTORS:
        sequence = sequence[:-1]
    if not sequence:
        return
    words = [w[:-2] if _fold_word(w).endswith("'s") else w.rstrip("'’") for w in sequence]
    keys = [(" ".join(words), fold(" ".join(words)))]
    if len(words) > 1:
        keys.append((words[-1], _fold_word(words[-1])))
    for form, key in keys:
        if len(key) < 2 or key in stop_words():
            continue
        counts[key] += 1
        surface.setdefault(key, Counter())[form] += 1
