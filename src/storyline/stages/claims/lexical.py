"""The lexical side of claim matching: text clean-up, stemmed terms and a BM25 index that grows.

Queries are tweets, sentences or paragraphs; claims are fact-checkers' one-line summaries. Before
either is compared, :func:`clean_query` removes what a tweet carries besides its words (links,
``pic.twitter.com`` stubs, the ``— Name (@handle) January 6, 2020`` signature's date, emoji) and
turns ``#AustralianFires`` and ``@IlhanMN`` into words, because the claim says "Australian fires"
and "Ilhan", never the tag. :func:`fold` maps the quote marks and case away so that
``A 'law to separate families'`` and ``A "law to separate families"`` are one text.

BM25 comes from ``bm25s``, which precomputes a sparse score matrix and so cannot add a document
in place: :class:`LexicalIndex` keeps the stemmed terms of every text and rebuilds the matrix on the
first query after an addition. That costs O(total terms) (about 0.3 s at 10,000 claims, see
BENCHMARKS.md), against minutes for the MiniLM vectors, which are never recomputed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import Any

import numpy as np

# BM25 parameters: bm25s's Lucene defaults measured against (1.5, 0.75) and (0.9, 0.4) on the CLEF
# 2020 train split (claim + title, stemmed): MAP@5 0.835 / 0.832 / 0.834, so the textbook values stay.
BM25_K1 = 1.2
BM25_B = 0.75

_URL = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S*", re.I)
# a tweet's signature: " — Display Name (@handle) January 6, 2020" (the name is kept: it is often
# the person the claim is about)
_SIGNATURE_DATE = re.compile(r"\(@\w+\)\s+[A-Z][a-z]+ \d{1,2}, \d{4}\s*$")
_HASHTAG = re.compile(r"#(\w+)")
_MENTION = re.compile(r"@(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»"} | {c: "'" for c in "‘’‚‛`´"})
_WORD = re.compile(r"\w+")
# bm25s's English stop words (Lucene's list) less "no" and "not": a claim and its denial differ by
# little else, and an unmatched "not" should cost a claim something.
_STOPWORDS = frozenset(
    "a an and are as at be but by for if in into is it of on or such that the their then there "
    "these they this to was will with".split()
)


def split_identifier(word: str) -> str:
    """``AustralianFires`` -> ``Australian Fires``; ``IlhanMN`` -> ``Ilhan MN``; ``WW3`` -> ``WW 3``."""
    return _CAMEL.sub(" ", word).replace("_", " ")


def clean_query(text: str) -> str:
    """``text`` without links, signature date, emoji and ``#``/``@`` marks, whitespace collapsed."""
    text = html.unescape(text)
    text = _URL.sub(" ", text)
    text = _SIGNATURE_DATE.sub(" ", text)
    text = _HASHTAG.sub(lambda m: " " + split_identifier(m.group(1)) + " ", text)
    text = _MENTION.sub(lambda m: " " + split_identifier(m.group(1)) + " ", text)
    text = "".join(" " if unicodedata.category(c) in ("So", "Sk", "Cs", "Co") else c for c in text)
    return " ".join(text.split())


def fold(text: str) -> str:
    """Curly quotes straightened and whitespace collapsed (what is embedded and tokenised)."""
    return " ".join(text.translate(_QUOTES).split())


def identity_key(text: str) -> str:
    """Lower-case words only: texts with the same key differ only by case, quotes and punctuation."""
    return " ".join(_WORD.findall(text.lower()))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def terms(text: str) -> list[str]:
    """Snowball-stemmed lower-case words of ``text`` without stop words."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]
    return list(_stemmer().stemWords(words))


class LexicalIndex:
    """BM25 over a growing list of texts, plus IDF-weighted term overlap with a query.

    Row ``i`` is the ``i``-th text added. Adding texts is O(their terms); the BM25 matrix and the
    IDF weights are recomputed lazily on the next query (O(all terms)), since every IDF changes.
    """

    def __init__(self) -> None:
        self._terms: list[list[str]] = []
        self._postings: dict[str, list[int]] = {}
        self._bm25: Any = None
        self._idf: dict[str, float] | None = None
        self._row_weight = np.zeros(0)

    def __len__(self) -> int:
        return len(self._terms)

    def add(self, texts: list[str]) -> None:
        """Append ``texts`` as new rows."""
        for text in texts:
            row = terms(text)
            for term in set(row):
                self._postings.setdefault(term, []).append(len(self._terms))
            self._terms.append(row)
        if texts:
            self._bm25 = None
            self._idf = None

    def _retriever(self) -> Any:
        if self._bm25 is None:
            import bm25s

            retriever = bm25s.BM25(k1=BM25_K1, b=BM25_B)
            # bm25s drops empty documents from its vocabulary; a placeholder term keeps rows aligned
            retriever.index([t or ["\x00"] for t in self._terms], show_progress=False)
            self._bm25 = retriever
        return self._bm25

    def bm25(self, query_terms: list[str]) -> np.ndarray:
        """BM25 score of every row for ``query_terms`` (float32, one per row)."""
        if not self._terms or not query_terms:
            return np.zeros(len(self._terms), dtype=np.float32)
        return np.asarray(self._retriever().get_scores(query_terms), dtype=np.float32)

    def _weights(self) -> dict[str, float]:
        """Smoothed IDF of every term (always > 0), and each row's total, recomputed after ``add``."""
        if self._idf is None:
            n = len(self._terms)
            self._idf = {t: float(np.log1p((n - len(p) + 0.5) / (len(p) + 0.5))) for t, p in self._postings.items()}
            self._row_weight = np.array([sum(self._idf[t] for t in set(row)) for row in self._terms])
        return self._idf

    def matched_weight(self, query_terms: list[str]) -> np.ndarray:
        """Per row, the summed IDF of the query's distinct terms it contains: how much of the query it says."""
        idf = self._weights()
        matched = np.zeros(len(self._terms))
        for term in set(query_terms):
            if term in self._postings:
                matched[self._postings[term]] += idf[term]
        return matched

    def coverage(self, query_terms: list[str]) -> np.ndarray:
        """Per row, the share of its IDF-weighted terms that the query has: how much of the claim is said."""
        covered = self.matched_weight(query_terms)
        return np.divide(covered, self._row_weight, out=np.zeros_like(covered), where=self._row_weight > 0)
