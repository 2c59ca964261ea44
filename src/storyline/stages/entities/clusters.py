"""Group the name mentions of one article into local entities.

The same name string is always the same entity within an article; a full name and its later
(or earlier) surname are the same person ("Aleksandar Vulin" ... "Vulin"), as are two full names
with the same surname and compatible first names ("Hillary Clinton", "Hillary Rodham Clinton").
A one-word name shared by several people goes to the one mentioned most recently.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from storyline.stages.entities.mentions import NameMention, voted_type
from storyline.stages.entities.names import compatible_first_names, name_tokens


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
    def type(self) -> str:
        """The voted type."""
        return voted_type(self.votes)

    @property
    def is_person(self) -> bool:
        """Whether PERSON is (one of) the most voted types, or there is no vote at all."""
        return not self.votes or self.votes.get("PERSON", 0) == max(self.votes.values())

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


def _is_person(votes: Counter[str]) -> bool:
    return not votes or votes.get("PERSON", 0) == max(votes.values())


def build_clusters(mentions: list[NameMention]) -> list[Cluster]:
    """Local entities from name mentions, numbered in order of first mention."""
    groups = _by_key(mentions)
    clusters: list[Cluster] = []
    surnames: dict[str, list[Cluster]] = {}
    done: set[str] = set()
    for key, group in groups.items():
        if len(key.split()) < 2 or not _is_person(_person_votes(group)):
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
        if holders and (not votes or votes.get("PERSON", 0) > 0):
            for m in group:
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
