"""Group the name mentions of one article into local entities.

The same name string is always the same entity within an article; a full name and its later
(or earlier) surname are the same person ("Aleksandar Vulin" ... "Vulin"), as are two full names
with the same surname and compatible first names ("Hillary Clinton", "Hillary Rodham Clinton").
A one-word name shared by several people goes to the one mentioned most recently, whatever spaCy
tagged it ("Caddell" tagged ORG after "Pat Caddell"), unless it is a group or a known place.
Acronyms and plural demonyms stay apart here, each named as the article writes it (a quote's speaker
is "the IMF" where the text says so); the registry joins them to their expansion or singular.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from storyline.stages.entities.gazetteer import place_kind
from storyline.stages.entities.mentions import NameMention
from storyline.stages.entities.names import compatible_first_names, name_tokens
from storyline.stages.entities.types import TypeDecision, decide_type, voted_type


@dataclass(slots=True)
class Cluster:
    """A local entity under construction: its name mentions and type votes."""

    index: int
    mentions: list[NameMention] = field(default_factory=list)
    votes: Counter[str] = field(default_factory=Counter)

    def add(self, mention: NameMention) -> None:
        """Add a mention and its votes."""
        self.mentions.append(mention)
        self.votes.update(mention.votes)

    @property
    def decision(self) -> TypeDecision:
        """The type decided from the votes and the gazetteer, with its evidence score."""
        return decide_type(self.votes, self.name)

    @property
    def type(self) -> str:
        """The decided type."""
        return self.decision.type

    @property
    def is_person(self) -> bool:
        """Whether the decided type is PERSON (as it is when there is no vote at all)."""
        return self.type == "PERSON"

    @property
    def name(self) -> str:
        """The fullest name form: most words, then most accented letters, then most frequent."""
        counts = Counter(m.text for m in self.mentions)

        def rank(text: str) -> tuple[int, int, int]:
            accents = sum(1 for ch in unicodedata.normalize("NFD", text) if unicodedata.combining(ch))
            return (len(name_tokens(text)), accents, counts[text])

        return max(counts, key=lambda t: (rank(t), -self.first_at(t)))

    def first_at(self, text: str) -> int:
        """Offset of the first mention with this text."""
        return min(m.start for m in self.mentions if m.text == text)


def _by_key(mentions: list[NameMention]) -> dict[str, list[NameMention]]:
    groups: dict[str, list[NameMention]] = {}
    for m in mentions:
        groups.setdefault(m.key, []).append(m)
    return groups


def _person_votes(group: list[NameMention]) -> Counter[str]:
    votes: Counter[str] = Counter()
    for m in group:
        votes.update(m.votes)
    return votes


def _is_person(votes: Counter[str], key: str) -> bool:
    return decide_type(votes, key).type == "PERSON"


def _joins_person(votes: Counter[str], key: str) -> bool:
    """Whether a one-word name may be the surname of a person named in full in the article: whatever
    spaCy tagged it (a bare surname is often tagged ORG or NORP: "Caddell", "Palin", "Klitschko"),
    unless it is a known place that spaCy tags as a place ("Troy" beside "Troy Aikman" stays Troy)."""
    if votes and place_kind(key) is not None:
        return voted_type(votes) not in ("GPE", "LOC", "FAC", "NORP")
    return True


def build_clusters(mentions: list[NameMention]) -> list[Cluster]:
    """Local entities from name mentions, numbered in order of first mention."""
    groups = _by_key(mentions)
    clusters: list[Cluster] = []
    surnames: dict[str, list[Cluster]] = {}
    done: set[str] = set()
    for key, group in groups.items():
        if len(key.split()) < 2 or not _is_person(_person_votes(group), key):
            continue
        done.add(key)
        home = next((c for c in clusters if all(compatible_first_names(key, m.key) for m in c.mentions)), None)
        if home is None:
            home = Cluster(len(clusters))
            clusters.append(home)
            surnames.setdefault(key.split()[-1], []).append(home)
        for m in group:
            home.add(m)
    for key, group in groups.items():
        if key in done:
            continue
        votes = _person_votes(group)
        holders = surnames.get(key, []) if len(key.split()) == 1 else []
        if holders and _joins_person(votes, key):
            for m in group:
                # a surname's other tags are the tagger's confusion: they must not outvote the person
                m.votes = Counter({"PERSON": m.votes["PERSON"]}) if m.votes["PERSON"] else Counter()
                _nearest(m, holders).add(m)
            continue
        cluster = Cluster(len(clusters))
        clusters.append(cluster)
        for m in group:
            cluster.add(m)
    return _renumber(clusters)


def _nearest(m: NameMention, holders: list[Cluster]) -> Cluster:
    if len(holders) == 1:
        return holders[0]

    def position(c: Cluster) -> tuple[int, int]:
        before = [x.start for x in c.mentions if x.start < m.start and x.words > 1]
        after = [x.start for x in c.mentions if x.start > m.start]
        if before:
            return (0, m.start - max(before))
        return (1, min(after) - m.start if after else 10**9)

    return min(holders, key=position)



def _renumber(clusters: list[Cluster]) -> list[Cluster]:
    clusters.sort(key=lambda c: min(m.start for m in c.mentions))
    for i, c in enumerate(clusters):
        c.index = i
        c.mentions.sort(key=lambda m: m.start)
    return clusters
