"""Records of the entities stage: mentions and roles in one article, entities across the corpus.

Every per-article record carries its article id and character offsets into the stored text:
``article.text[start:end] == record.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from storyline.records import Span
from storyline.stages.quotes.records import LocalQuote

MentionKind = Literal["name", "description", "pronoun"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One reference to a local entity: a name, a description (``the Serbian leader``) or a pronoun.

    ``label`` is spaCy's entity label for this occurrence, or None where the name was found by
    recurrence, by a title, or is not a name.
    """

    article: str
    start: int
    end: int
    text: str
    kind: MentionKind
    label: str | None
    entity: int


@dataclass(frozen=True, slots=True)
class RoleMention:
    """A title held by a local entity in one article (``Interior Minister``, ``deputy prime minister``).

    ``score`` is the raw evidence that the title is this entity's (how it was found: attached to the
    name, in apposition, or a description resolved by shared title words or by position); the
    registry maps it to a calibrated confidence.
    """

    article: str
    start: int
    end: int
    title: str
    entity: int
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class LocalEntity:
    """A person, organisation or place as resolved within one article.

    ``name`` is its fullest name in the article; ``names`` every surface form of its name
    mentions; ``votes`` counts the evidence for each type (spaCy labels of its mentions, plus
    titles and syntax), so that the corpus can vote again over all articles.
    """

    index: int
    name: str
    type: str
    names: tuple[str, ...]
    votes: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class ArticlePeople:
    """Everything the entities and quotes stages find in one article."""

    article: str
    published: str | None
    entities: tuple[LocalEntity, ...]
    mentions: tuple[Mention, ...]
    roles: tuple[RoleMention, ...]
    quotes: tuple[LocalQuote, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for a store or a cluster worker)."""
        return {
            "article": self.article,
            "published": self.published,
            "entities": [
                {"index": e.index, "name": e.name, "type": e.type, "names": list(e.names), "votes": dict(e.votes)}
                for e in self.entities
            ],
            "mentions": [[m.start, m.end, m.text, m.kind, m.label, m.entity] for m in self.mentions],
            "roles": [[r.start, r.end, r.title, r.entity, r.score] for r in self.roles],
            "quotes": [q.to_dict() for q in self.quotes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticlePeople:
        """Inverse of :meth:`to_dict`."""
        art = data["article"]
        return cls(
            article=art,
            published=data["published"],
            entities=tuple(
                LocalEntity(e["index"], e["name"], e["type"], tuple(e["names"]), tuple(e["votes"].items()))
                for e in data["entities"]
            ),
            mentions=tuple(Mention(art, s, e, t, k, lab, ent) for s, e, t, k, lab, ent in data["mentions"]),
            roles=tuple(RoleMention(art, *row) for row in data["roles"]),
            quotes=tuple(LocalQuote.from_dict(q) for q in data["quotes"]),
        )


@dataclass(frozen=True, slots=True)
class EntityRole:
    """A title an entity held, from one article, dated by that article's publication date.

    ``confidence`` (calibrated, in [0, 1]) that the text gives this title to this entity; None for
    a role made by hand.
    """

    title: str
    article: str
    date: str | None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place resolved across the corpus.

    ``type_confidence`` (calibrated, in [0, 1]) that ``type`` is right; None for an entity made by hand.
    """

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    roles: tuple[EntityRole, ...] = field(default_factory=tuple)
    mentions: tuple[Span, ...] = field(default_factory=tuple)
    type_confidence: float | None = None


def entity_to_export(entity: Entity) -> dict[str, Any]:
    """The export record of an entity (the ``entities`` section of the export document)."""
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "type_confidence": entity.type_confidence,
        "aliases": list(entity.aliases),
        "roles": [{"title": r.title, "article": r.article, "date": r.date, "confidence": r.confidence}
                  for r in entity.roles],
        "mentions": [{"article": m.article, "start": m.start, "end": m.end} for m in entity.mentions],
    }
