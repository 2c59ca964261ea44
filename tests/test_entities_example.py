"""Entities of the example corpus: resolution across articles, roles over time, type voting."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from storyline.ingest.files import read_file
from storyline.ingest.normalise import normalise
from storyline.records import Article
from storyline.stages.entities import ArticlePeople, Entity, EntityRegistry, analyse_people
from storyline.stages.entities.names import fold

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "serbia-sanctions"


@lru_cache(maxsize=1)
def example_corpus() -> tuple[dict[str, Article], dict[str, ArticlePeople], EntityRegistry]:
    """The five example articles (through the real ingest), their analyses, and one registry."""
    articles = {p.name[:3]: normalise(next(read_file(str(p), 20_000_000))) for p in sorted(EXAMPLE.glob("*.txt"))}
    people = {key: analyse_people(a) for key, a in articles.items()}
    registry = EntityRegistry()
    for key in sorted(articles):
        registry.add(articles[key], people[key])
    return articles, people, registry


def person(registry: EntityRegistry, surname: str) -> list[Entity]:
    """The entities whose name ends with ``surname`` (folded)."""
    return [e for e in registry.entities() if fold(e.name).split()[-1] == fold(surname)]


def test_every_mention_and_role_quotes_its_article_text() -> None:
    articles, people, _ = example_corpus()
    for key, found in people.items():
        text = articles[key].text
        assert found.article == articles[key].id
        assert found.mentions and all(text[m.start : m.end] == m.text for m in found.mentions)
        assert all(text[r.start : r.end] == r.title for r in found.roles)


def test_registry_mentions_point_into_their_articles() -> None:
    articles, people, registry = example_corpus()
    by_id = {a.id: a for a in articles.values()}
    texts = {(m.article, m.start, m.end) for p in people.values() for m in p.mentions}
    for entity in registry.entities():
        for m in entity.mentions:
            assert (m.article, m.start, m.end) in texts
            assert m.end > m.start and by_id[m.article].text[m.start : m.end].strip()


def test_vucic_with_and_without_accents_is_one_entity() -> None:
    _, _, registry = example_corpus()
    vucic = person(registry, "Vucic")
    assert len(vucic) == 1
    assert vucic[0].name == "Aleksandar Vučić"  # the accented form wins
    assert {"Aleksandar Vucic", "Vucic"} <= set(vucic[0].aliases)
    assert len({m.article for m in vucic[0].mentions}) == 5  # mentioned in every article


def test_vulin_is_one_person_across_000_001_004() -> None:
    articles, _, registry = example_corpus()
    vulin = person(registry, "Vulin")
    assert len(vulin) == 1
    assert vulin[0].type == "PERSON"  # spaCy tags him GPE in 2 of 4 mentions of 001: outvoted
    assert {m.article for m in vulin[0].mentions} == {articles[k].id for k in ("000", "001", "004")}


def test_similar_serbian_names_stay_three_people() -> None:
    _, _, registry = example_corpus()
    ids = {person(registry, s)[0].id for s in ("Vucic", "Vucevic", "Vulin")}
    assert len(ids) == 3
    assert person(registry, "Vucevic")[0].name == "Milos Vucevic"


def test_zelenskyy_is_found_where_spacy_misses_him() -> None:
    articles, _, registry = example_corpus()
    zelenskyy = person(registry, "Zelenskyy")
    assert len(zelenskyy) == 1
    in_000 = [m for m in zelenskyy[0].mentions if m.article == articles["000"].id]
    names = [m for m in in_000 if articles["000"].text[m.start : m.end].endswith("Zelenskyy")]
    assert len(names) == 4  # spaCy tags only the first of the four


def _roles(registry: EntityRegistry, surname: str) -> set[tuple[str, str, str | None]]:
    return {(fold(r.title), r.article, r.date) for r in person(registry, surname)[0].roles}


def test_roles_carry_their_article_and_date() -> None:
    articles, _, registry = example_corpus()
    assert ("interior minister", articles["000"].id, "2022-03-22") in _roles(registry, "Vulin")
    assert ("deputy prime minister", articles["004"].id, None) in _roles(registry, "Vulin")
    assert ("deputy prime minister", articles["001"].id, None) in _roles(registry, "Vulin")
    assert ("defense minister", articles["002"].id, "2023-12-09") in _roles(registry, "Vucevic")
    assert ("serbian president", articles["000"].id, "2022-03-22") in _roles(registry, "Vucic")


def test_a_title_held_by_someone_else_is_not_given_to_them() -> None:
    _, _, registry = example_corpus()
    assert not any("minister" in fold(r.title) for r in person(registry, "Putin")[0].roles)
    assert not any("minister" in fold(r.title) for r in person(registry, "Vucic")[0].roles)


@pytest.mark.parametrize(
    ("key", "description", "surname"),
    [
        ("003", "the Serbian leader", "Vucic"),
        ("004", "the Balkan nation’s deputy prime minister", "Vulin"),
        ("001", "Serbia's Deputy Prime Minister", "Vulin"),  # named only three paragraphs later
        ("002", "the defense minister", "Vucevic"),
        ("002", "the head of the Serbian Defense Ministry", "Vucevic"),
        ("000", "The President", "Vucic"),
    ],
)
def test_descriptions_refer_to_the_right_person(key: str, description: str, surname: str) -> None:
    _, people, _ = example_corpus()
    found = people[key]
    matches = [m for m in found.mentions if m.kind == "description" and m.text == description]
    assert matches, f"{description!r} not found as a description in {key}"
    assert {fold(found.entities[m.entity].name).split()[-1] for m in matches} == {fold(surname)}


def test_places_and_organisations_are_typed_by_vote() -> None:
    _, _, registry = example_corpus()
    types = {e.name: e.type for e in registry.entities()}
    assert types["Serbia"] == "GPE" and types["Belgrade"] == "GPE"
    assert types["North Atlantic Treaty Organisation"] == "ORG" and types["European Union"] == "ORG"
    assert types["Vladivostok"] == "GPE"  # tagged PERSON once in 004, GPE twice (and "in Vladivostok")
