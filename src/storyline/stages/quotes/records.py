"""Records of the quotes stage: a quote as found in one article, and as resolved in the corpus."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from storyline.stages.quotes.cue_classes import CueClass

QuoteKind = Literal["direct", "indirect", "mixed"]
QUOTE_KINDS: tuple[QuoteKind, ...] = ("direct", "indirect", "mixed")


@dataclass(frozen=True, slots=True)
class LocalQuote:
    """A quote in one article, its speaker given as an index into that article's local entities.

    ``text == article.text[start:end]``; ``cue`` is the cue's text (``said``, ``according to``)
    at ``article.text[cue_start:cue_end]``, or None for a quote attributed by position alone;
    ``speaker`` is the local entity the speaker was resolved to and ``speaker_name`` its fullest
    name in the article (None for a source that names nobody: "experts", "the statement", an
    unresolved "they"), the source being ``speaker_text`` =
    ``article.text[speaker_start:speaker_end]`` ("he", "the Serbian leader", "Vulin"). ``parts``
    are the stretches of reported content: two for ``"A," he said. "B."``. ``cue_class`` says
    whether it reports speech or a belief; ``confidence`` is the calibrated chance that it is a
    real attribution with about these bounds, ``speaker_confidence`` that the named speaker is
    right (None when no speaker is named).
    """

    article: str
    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker: int | None
    speaker_name: str | None
    speaker_start: int | None
    speaker_end: int | None
    parts: tuple[tuple[int, int], ...] = ()
    cue_class: CueClass = "speech"
    confidence: float = 1.0
    speaker_text: str | None = None
    speaker_confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        data = {name: getattr(self, name) for name in self.__slots__}
        data["parts"] = [list(p) for p in self.parts]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LocalQuote:
        """Inverse of :meth:`to_dict`."""
        fields = {name: data[name] for name in cls.__slots__ if name != "parts"}
        return cls(**fields, parts=tuple((int(s), int(e)) for s, e in data.get("parts", ())))


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote with its speaker resolved to a corpus entity id (or None).

    ``text == article.text[start:end]``; ``parts`` are the stretches of reported content within it
    (one, or several for a turn its cue clause interrupts: ``"A," he said. "B."``). ``speaker_name``
    is None when the source names nobody; ``speaker_text`` is the source as written ("he", "the
    statement"), None when the text gives none. ``confidence`` and ``speaker_confidence`` are
    calibrated (see :mod:`storyline.confidence`); ``speaker_confidence`` is None with no speaker.
    """

    id: str
    article: str
    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: str | None
    speaker_name: str | None
    cue: str | None
    parts: tuple[tuple[int, int], ...] = ()
    cue_class: CueClass = "speech"
    confidence: float = 1.0
    speaker_text: str | None = None
    speaker_confidence: float | None = None


def quote_id(article: str, start: int, end: int) -> str:
    """A stable id for the quote at ``article[start:end]``."""
    return "q-" + hashlib.sha1(f"{article}:{start}:{end}".encode()).hexdigest()[:16]


def quote_to_export(quote: Quote) -> dict[str, Any]:
    """The export record of a quote (the ``quotes`` section of the export document)."""
    return {
        "id": quote.id,
        "article": quote.article,
        "start": quote.start,
        "end": quote.end,
        "text": quote.text,
        "kind": quote.kind,
        "speaker": quote.speaker,
        "speaker_name": quote.speaker_name,
        "cue": quote.cue,
        "cue_class": quote.cue_class,
        "confidence": quote.confidence,
        "speaker_text": quote.speaker_text,
        "speaker_confidence": quote.speaker_confidence,
    }
