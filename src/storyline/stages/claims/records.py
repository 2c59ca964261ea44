"""Records of the claims stage: statements found in one article, claims gathered across the corpus.

A :class:`Statement` points into its article: ``article.text[start:end] == statement.text``. Its
``wording`` is the proposition it expresses rebuilt from its own words (``Serbia will never join
NATO`` out of ``Serbia will never impose sanctions against Moscow or join NATO``), and ``embed_text``
the polarity- and modality-free form that is compared across statements (``join NATO``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from storyline.stages.quotes.cue_classes import CueClass

Stance = Literal["affirms", "denies", "conditional", "reports"]
STANCES: tuple[Stance, ...] = ("affirms", "denies", "conditional", "reports")

# where a statement's date comes from: the article's publication date, a date the text gives for the
# statement (resolved against the publication date), or the publication date as an upper bound
# ("Earlier, he had stated ...")
DateBasis = Literal["published", "text", "before_published"]
# how a statement's subject was found: a name in the text, the speaker ("I", or a group speaking of
# itself), the speaker's own country or institution named in their other statements ("we", "the
# country"), or an entity the people stage resolved a pronoun or description to ("he", "the Serbian
# leader"); None: unresolved (such a statement joins no other)
SubjectBasis = Literal["name", "speaker", "context", "mention"]


def pack_vector(vector: np.ndarray | None) -> str | None:
    """A unit vector as base64 float16 (768 bytes for MiniLM) for JSON states."""
    if vector is None:
        return None
    return base64.b64encode(np.asarray(vector, dtype="<f2").tobytes()).decode("ascii")


def unpack_vector(data: str | None) -> np.ndarray | None:
    """Inverse of :func:`pack_vector` (float32)."""
    if data is None:
        return None
    return np.frombuffer(base64.b64decode(data), dtype="<f2").astype(np.float32)


@dataclass(frozen=True, slots=True)
class Statement:
    """One proposition stated in one article, by a speaker, with its polarity, modality and date.

    ``speaker`` is the LOCAL entity index of the speaker (a person, or the institution or group of a
    group assertion), ``speaker_name`` its name (None for a source that names nobody: "officials",
    an unresolved "he"); ``quote_start``/``quote_end`` the quote it comes from (its id is
    ``quote_id(article, quote_start, quote_end)``). ``polarity`` is -1 where the proposition is
    negated ("will never impose"), ``modality`` the modal and intent words ("will", "intends"),
    ``conditional`` whether it holds under a condition ("if the SNS wins"), ``reported`` whether the
    article reports a position without a speech act by its holder ("Serbia has refused to ...").
    ``cues`` lists the words that decided these (``neg:never``, ``modal:will``, ``cond:If``,
    ``reported:has refused``); ``cue_class`` whether the cue reports speech or a belief.
    ``subject`` is the subject's name or words, ``subject_named`` whether
    it is a name (found in the text or resolved, as ``subject_basis`` says), ``objects`` the
    content words of the core object (``military``, ``bloc``, ``nato``), ``heads`` its head words
    (``bloc``, ``nato``), ``args`` the folded names of the entities in the predicate (``russia``).
    """

    article: str
    start: int
    end: int
    text: str
    wording: str
    embed_text: str
    subject: str | None
    subject_named: bool
    subject_basis: SubjectBasis | None
    verb: str
    objects: tuple[str, ...]
    heads: tuple[str, ...]
    args: tuple[str, ...]
    polarity: int
    modality: tuple[str, ...]
    conditional: bool
    reported: bool
    cues: tuple[str, ...]
    speaker: int | None
    speaker_name: str | None
    speaker_type: str | None
    cue_class: CueClass | None
    quote_start: int | None
    quote_end: int | None
    date: str | None
    date_basis: DateBasis | None
    date_text: str | None
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)
    subject_vector: np.ndarray | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (vectors as base64 float16)."""
        data = {name: getattr(self, name) for name in self.__slots__}
        for name in ("objects", "heads", "args", "modality", "cues"):
            data[name] = list(data[name])
        data["vector"] = pack_vector(self.vector)
        data["subject_vector"] = pack_vector(self.subject_vector)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statement:
        """Inverse of :meth:`to_dict`."""
        fields: dict[str, Any] = {name: data.get(name) for name in cls.__slots__}
        for name in ("objects", "heads", "args", "modality", "cues"):
            fields[name] = tuple(fields[name])
        fields["vector"] = unpack_vector(data["vector"])
        fields["subject_vector"] = unpack_vector(data["subject_vector"])
        return cls(**fields)


@dataclass(frozen=True, slots=True)
class ArticleStatements:
    """Every statement of one article, in text order."""

    article: str
    published: str | None
    statements: tuple[Statement, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for a store or a worker)."""
        return {
            "article": self.article,
            "published": self.published,
            "statements": [s.to_dict() for s in self.statements],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleStatements:
        """Inverse of :meth:`to_dict`."""
        return cls(data["article"], data["published"], tuple(Statement.from_dict(s) for s in data["statements"]))


@dataclass(frozen=True, slots=True)
class ClaimStatement:
    """A statement as a member of a claim: its speaker resolved to a corpus entity, its stance.

    ``speaker`` is the corpus entity id (or None), ``speaker_name`` its display name (None when
    the source names nobody), ``quote`` the quote id when the statement comes from a quote. ``confidence``
    is the calibrated confidence that the statement belongs to the claim (1.0 for the canonical
    statement), ``score`` the raw membership score it was calibrated from (None for the canonical).
    """

    article: str
    start: int
    end: int
    text: str
    wording: str
    speaker: str | None
    speaker_name: str | None
    date: str | None
    date_basis: str | None
    stance: Stance
    polarity: int
    quote: str | None
    cue_class: CueClass | None = None
    confidence: float = 1.0
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A proposition stated again and again: its canonical wording and its statements in date order.

    ``id`` is a stable hash of the statement that founded the claim; ``aliases`` are the ids of
    claims merged into it since. Stances are relative to ``text`` (``polarity`` is its polarity).
    ``text`` is the canonical statement's own words as written:
    ``article_text[canonical_start:canonical_end]`` of the article ``canonical_article``.
    """

    id: str
    text: str
    polarity: int
    statements: tuple[ClaimStatement, ...]
    aliases: tuple[str, ...] = ()
    canonical_article: str = ""
    canonical_start: int = 0
    canonical_end: int = 0

    def keep(self, min_confidence: float) -> Claim:
        """The claim with only the statements whose membership confidence is at least
        ``min_confidence`` (the canonical statement, at 1.0, always stays)."""
        kept = tuple(s for s in self.statements if s.confidence >= min_confidence)
        return self if len(kept) == len(self.statements) else replace(self, statements=kept)

    @property
    def speakers(self) -> tuple[str, ...]:
        """The distinct speakers (entity ids, else names), in order of first statement."""
        seen = dict.fromkeys(s.speaker or s.speaker_name for s in self.statements)
        return tuple(s for s in seen if s)

    @property
    def articles(self) -> tuple[str, ...]:
        """The distinct articles, in order of first statement."""
        return tuple(dict.fromkeys(s.article for s in self.statements))
