"""Entities across the corpus, built one article at a time.

Each article's local entities are matched against the known ones by their folded names: the
same name (Vučić = Vucic), the same surname with compatible first names (a full name joins an
entity known by its surname alone, and a surname alone joins the most mentioned person of that
surname). Names are never matched approximately, so Vučić, Vučević and Vulin stay apart. Ids are
slugs of the name an entity was first seen under and never change; types are voted again over
every article's evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from storyline.confidence import calibrate
from storyline.records import Article, Span
from storyline.stages.entities.aliases import NON_PERSON, acronym, initials, singular
from storyline.stages.entities.calibration import ROLE_KNOTS, TYPE_KNOTS
from storyline.stages.entities.names import compatible_first_names, fold, name_key, name_tokens, slug
from storyline.stages.entities.records import ArticlePeople, Entity, EntityRole, LocalEntity
from storyline.stages.entities.types import TypeDecision, decide_type
from storyline.stages.quotes.records import Quote, quote_id

# Type votes an article's publisher gives a name it bears (sputnikglobe.com: "Sputnik", cnn.com:
# "CNN"): outlets name themselves, and the small model tags them PERSON. Worth a person's title.
PUBLISHER_VOTE = 2
_NOT_ALNUM = re.compile(r"[^a-z0-9]")

# 2: quotes carry cue_class, confidence, speaker_text, speaker_confidence; 3: entity type and role
# confidence, acronym and plural-demonym merges, gazetteer types
STATE_VERSION = 3


@dataclass(slots=True)
class _Known:
    """An entity being built: name forms with counts, type votes, roles, mentions."""

    id: str
    names: Counter[str] = field(default_factory=Counter)
    votes: Counter[str] = field(default_factory=Counter)
    roles: list[EntityRole] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The fullest name form: most words, then most accented letters, then most frequent."""

        def rank(text: str) -> tuple[int, int, int]:
            accents = sum(1 for ch in unicodedata.normalize("NFD", text) if unicodedata.combining(ch))
            return (len(name_tokens(text)), accents, self.names[text])

        return max(sorted(self.names), key=rank)

    @property
    def decision(self) -> TypeDecision:
        """The type decided from every article's votes and the gazetteer, with its evidence score."""
        return decide_type(self.votes, self.name)

    @property
    def type(self) -> str:
        """The decided type."""
        return self.decision.type

    def to_entity(self) -> Entity:
        """The public record."""
        name = self.name
        aliases = tuple(n for n, _ in sorted(self.names.items(), key=lambda kv: (-kv[1], kv[0])) if n != name)
        decision = self.decision
        return Entity(self.id, name, decision.type, aliases, tuple(self.roles), tuple(self.mentions),
                      calibrate(decision.score, TYPE_KNOTS))


def publishes_as(article: Article, name: str) -> bool:
    """Whether ``name`` is the article's publisher: a label of the source's host name (the top-level
    domain aside) is its letters, alone or with an outlet word ("CNN" on edition.cnn.com, "Sputnik" on
    sputnikglobe.com); not any name the label begins with ("USA" is not usatoday.com's publisher,
    "New York" not newyorker.com's)."""
    host = article.source or (urlsplit(article.url).hostname if article.url else None) or ""
    labels = host.lower().split(".")[:-1]
    key = _NOT_ALNUM.sub("", fold(name).removeprefix("the "))
    return len(key) >= 3 and any(label.startswith(key) and label[len(key):] in _OUTLET_WORDS for label in labels)


# What may follow a publisher's name in its host name (sputnikglobe, euronews, aljazeeranet).
_OUTLET_WORDS = frozenset({"", "globe", "news", "online", "tv", "net", "media", "agency", "wire", "press", "live"})


class EntityRegistry:
    """Entities and quotes of a corpus; adding an article never revisits the others."""

    def __init__(self) -> None:
        self._known: dict[str, _Known] = {}
        self._by_key: dict[str, set[str]] = {}
        self._by_surname: dict[str, set[str]] = {}
        self._by_initials: dict[str, set[str]] = {}  # "eu" -> entities named "European Union"
        self._by_acronym: dict[str, set[str]] = {}  # "eu" -> entities named "EU"
        self._quotes: dict[str, Quote] = {}
        self._articles: set[str] = set()

    # --- matching -----------------------------------------------------------------------------

    def _index(self, known: _Known, forms: list[str]) -> None:
        for form in forms:
            key = name_key(form)
            if key:
                self._by_key.setdefault(key, set()).add(known.id)
                self._by_surname.setdefault(key.split()[-1], set()).add(known.id)
            letters = initials(form)
            if letters:
                self._by_initials.setdefault(letters, set()).add(known.id)
            letters = acronym(form)
            if letters:
                self._by_acronym.setdefault(letters, set()).add(known.id)

    def _most_mentioned(self, ids: set[str]) -> str:
        return max(sorted(ids), key=lambda i: len(self._known[i].mentions))

    def _match(self, local: LocalEntity) -> str | None:
        """The known entity this local one is: same full name, else (a person) same surname with
        compatible first names; a surname alone goes to the most mentioned person bearing it."""
        full = name_key(local.name)
        if not full:
            return None
        exact = self._by_key.get(full, set())
        if exact:
            return self._most_mentioned(exact)
        votes = dict(local.votes)
        kind = decide_type(Counter(votes), local.name).type
        plural = singular(full)
        if plural and kind == "PERSON":  # "Latinos" tagged PERSON: the plural of a known group
            groups = {i for i in self._by_key.get(plural, set()) if self._known[i].type == "NORP"}
            if groups:
                return self._most_mentioned(groups)
        if kind != "PERSON":
            alias = self._alias(local, full, kind)
            if alias or len(full.split()) > 1 or not (votes.get("PERSON") or kind == "NORP"):
                return alias
            # else a one-word name tagged PERSON (a town's name too) or NORP (a foreign surname the
            # tagger takes for a nationality: "Klitschko"): a known person's surname?
        people = {i for i in self._by_surname.get(full.split()[-1], set()) if self._known[i].type == "PERSON"}
        if len(full.split()) == 1:
            return self._most_mentioned(people) if people else None
        fitting = {i for i in people if compatible_first_names(self._known[i].name, local.name)}
        return self._most_mentioned(fitting) if fitting else None

    def _alias(self, local: LocalEntity, full: str, kind: str) -> str | None:
        """The known non-person this one is another name of: its acronym or expansion, or the
        singular of a plural demonym (or the plural of a singular one); see :mod:`.aliases`."""
        found: set[str] = set()
        letters = acronym(local.name)
        if letters:
            found = {i for i in self._by_initials.get(letters, set()) if self._known[i].type in NON_PERSON}
        elif kind in NON_PERSON and (letters := initials(local.name)):
            found = {i for i in self._by_acronym.get(letters, set()) if self._known[i].type in NON_PERSON}
        if not found and (one := singular(full)):
            found = {i for i in self._by_key.get(one, set()) if self._known[i].type == "NORP"}
        if not found and kind == "NORP" and " " not in full:  # a plural known before, whatever its type
            found = {i for i in self._by_key.get(full + "s", set())
                     if all(len(name_tokens(n)) == 1 for n in self._known[i].names)}
        return self._most_mentioned(found) if found else None

    def _create(self, local: LocalEntity) -> _Known:
        base = slug(local.name)
        ident, n = base, 1
        while ident in self._known:
            n += 1
            ident = f"{base}-{n}"
        known = _Known(ident)
        self._known[ident] = known
        return known

    # --- adding -------------------------------------------------------------------------------

    def add(self, article: Article, people: ArticlePeople) -> dict[int, str]:
        """Resolve this article's entities, roles, mentions and quotes against the known entities.

        Returns the entity id of each local entity (by its index in ``people.entities``); an
        article added before is not added again (its mapping is rebuilt from the mentions)."""
        if article.id in self._articles:
            return self._mapping_of(article.id, people)
        self._articles.add(article.id)
        ids: dict[int, str] = {}
        for local in people.entities:
            match = self._match(local)
            known = self._known[match] if match else self._create(local)
            forms = [m.text for m in people.mentions if m.entity == local.index and m.kind == "name"]
            known.names.update(forms or [local.name])
            votes = dict(local.votes)
            if match and known.type == "PERSON" and len(name_tokens(known.name)) > 1 and len(
                    name_tokens(local.name)) == 1:
                votes = {"PERSON": votes["PERSON"]} if votes.get("PERSON") else {}  # see clusters._joins_person
            known.votes.update(votes)
            if publishes_as(article, local.name):
                known.votes["ORG"] += PUBLISHER_VOTE
            self._index(known, list(dict.fromkeys([*forms, local.name])))
            ids[local.index] = known.id
        for m in people.mentions:
            self._known[ids[m.entity]].mentions.append(Span(article.id, m.start, m.end))
        for r in people.roles:
            known = self._known[ids[r.entity]]
            confidence = calibrate(r.score, ROLE_KNOTS)
            same = [i for i, x in enumerate(known.roles) if fold(x.title) == fold(r.title) and x.article == article.id]
            if not same:
                known.roles.append(EntityRole(r.title, article.id, article.published, confidence))
            elif (known.roles[same[0]].confidence or 0.0) < confidence:  # the same title found more surely
                known.roles[same[0]] = replace(known.roles[same[0]], confidence=confidence)
        for q in people.quotes:
            qid = quote_id(article.id, q.start, q.end)
            speaker = ids[q.speaker] if q.speaker is not None else None
            self._quotes[qid] = Quote(qid, article.id, q.start, q.end, q.text, q.kind, speaker, q.speaker_name, q.cue,
                                      q.parts, q.cue_class, q.confidence, q.speaker_text, q.speaker_confidence)
        return ids

    def _mapping_of(self, article_id: str, people: ArticlePeople) -> dict[int, str]:
        by_span = {(m.start, m.end): k.id for k in self._known.values() for m in k.mentions if m.article == article_id}
        return {m.entity: by_span[(m.start, m.end)] for m in people.mentions if (m.start, m.end) in by_span}

    # --- reading ------------------------------------------------------------------------------

    def entities(self) -> list[Entity]:
        """Every entity, by id."""
        return [self._known[i].to_entity() for i in sorted(self._known)]

    def entity(self, ident: str) -> Entity | None:
        """One entity by id, or None."""
        known = self._known.get(ident)
        return known.to_entity() if known else None

    def type_decision(self, ident: str) -> TypeDecision | None:
        """An entity's type with the raw evidence score its ``type_confidence`` is calibrated from."""
        known = self._known.get(ident)
        return known.decision if known else None

    def name_of(self, ident: str) -> str | None:
        """The current (fullest) name of an entity, without building its record; None if unknown."""
        known = self._known.get(ident)
        return known.name if known else None

    def quotes(self) -> list[Quote]:
        """Every quote, in the order its article was added, then by position. A speaker who is a
        person is named by the entity's current (fullest) name ("Vulin" -> "Aleksandar Vulin"); an
        organisation or place keeps the name its article gives ("the FBI", "NATO"), since the
        corpus name of an organisation may be an expansion the article never wrote."""
        out = []
        speakers: dict[str, tuple[str, bool]] = {}  # id -> (name, is a person), once per speaker
        for q in self._quotes.values():
            known = self._known.get(q.speaker) if q.speaker is not None else None
            if known is not None:
                if known.id not in speakers:
                    speakers[known.id] = (known.name, known.type == "PERSON")
                name, person = speakers[known.id]
                if person or not q.speaker_name:
                    q = replace(q, speaker_name=name)
            out.append(q)
        return out

    # --- persistence --------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """A JSON-serialisable snapshot from which :meth:`from_state` rebuilds the registry."""
        return {
            "version": STATE_VERSION,
            "articles": sorted(self._articles),
            "entities": [
                {
                    "id": k.id,
                    "names": dict(k.names),
                    "votes": dict(k.votes),
                    "roles": [[r.title, r.article, r.date, r.confidence] for r in k.roles],
                    "mentions": [[m.article, m.start, m.end] for m in k.mentions],
                }
                for k in self._known.values()
            ],
            "quotes": [
                [q.id, q.article, q.start, q.end, q.text, q.kind, q.speaker, q.speaker_name, q.cue,
                 [list(p) for p in q.parts], q.cue_class, q.confidence, q.speaker_text, q.speaker_confidence]
                for q in self._quotes.values()
            ],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> EntityRegistry:
        """Rebuild a registry saved with :meth:`to_state`."""
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported entity registry state version: {state.get('version')!r}")
        registry = cls()
        registry._articles = set(state["articles"])
        for data in state["entities"]:
            known = _Known(data["id"], Counter(data["names"]), Counter(data["votes"]))
            known.roles = [EntityRole(t, a, d, c) for t, a, d, c in data["roles"]]
            known.mentions = [Span(a, s, e) for a, s, e in data["mentions"]]
            registry._known[known.id] = known
            registry._index(known, list(known.names))
        for row in state["quotes"]:
            qid, art, start, end, text, kind, speaker, name, cue, parts, cue_cls, conf, source, speaker_conf = row
            spans = tuple((int(s), int(e)) for s, e in parts)
            registry._quotes[qid] = Quote(qid, art, start, end, text, kind, speaker, name, cue, spans, cue_cls, conf,
                                          source, speaker_conf)
        return registry
