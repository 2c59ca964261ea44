"""The typed records that flow through the pipeline.

Every record an analysis produces points back to ``(article, start, end)`` in the stored
article text: ``article.text[start:end]`` is exactly the characters the record quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ReuseKind = Literal["duplicate", "near_duplicate", "partial", "rewrite"]
REUSE_KINDS: tuple[ReuseKind, ...] = ("duplicate", "near_duplicate", "partial", "rewrite")


@dataclass(frozen=True, slots=True)
class RawItem:
    """One news item as read from an input, before normalisation.

    ``published`` is a date found in explicit metadata (a header line, a feed entry, a JSONL
    field, the page's meta tags), in whatever format the input used. ``html`` is the page the
    item came from, kept only so the normaliser can look for a date in it as a last resort.
    """

    path: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    site_name: str | None = None
    html: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned, dated, sourced article as stored.

    ``id`` is a stable hash of the normalised text; ``path`` is the input path as given, plus
    ``#n`` for the n-th item of a feed, JSONL or WARC file; ``published`` is ``YYYY-MM-DD`` or
    None; ``date_basis`` says where the date came from (metadata, url, page).
    """

    id: str
    path: str
    text: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    author: str | None = None
    date_basis: str | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A range of characters in one stored article: ``text[start:end]``."""

    article: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Alignment:
    """One sentence of a source article aligned to the sentence of a derived article it became."""

    source_start: int
    source_end: int
    derived_start: int
    derived_end: int
    similarity: float


@dataclass(frozen=True, slots=True)
class ReuseLink:
    """A directed reuse link: ``derived`` was copied or rewritten from ``source``.

    ``direction_basis`` says how the direction was decided (for example ``published`` when the
    source was published first, or ``textual`` when dates were missing and the text decided).
    """

    source: str
    derived: str
    kind: ReuseKind
    score: float
    direction_basis: str
    alignments: tuple[Alignment, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class IngestError:
    """An input that could not be read, with a one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


# An untitled article is named by its first words, up to this many characters.
NAME_CHARS = 70


def article_name(article: Article) -> str:
    """What a reader calls an article: its title, else its first words (cut at a word, with an ellipsis)."""
    if article.title:
        return article.title
    first = " ".join(article.text[: NAME_CHARS + 40].split())
    if len(first) <= NAME_CHARS:
        return first or article.id
    cut = first[:NAME_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-\u2013\u2014") + "\u2026"
