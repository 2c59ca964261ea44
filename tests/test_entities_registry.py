"""The corpus registry: matching rules, stable ids, incremental adds and saved state."""

from __future__ import annotations

import json

from storyline.records import Article
from storyline.stages.entities import (
    ArticlePeople,
    EntityRegistry,
    LocalEntity,
    Mention,
    RoleMention,
    entity_to_export,
)
from storyline.stages.entities.names import compatible_first_names, fold, name_key, slug
from storyline.stages.quotes import LocalQuote
from tests.test_entities_example import example_corpus


def _article(ident: str, text: str, date: str | None = None) -> Article:
    return Article(id=ident, path=f"{ident}.txt", text=text, published=date)


def _people(article: Article, *names: str, kind: str = "PERSON") -> ArticlePeople:
    """Hand-made analysis: one local entity per name, each mentioned where its name first occurs."""
    entities, mentions = [], []
    for i, name in enumerate(names):
        start = article.text.index(name)
        entities.append(LocalEntity(i, name, kind, (name,), ((kind, 1),)))
        mentions.append(Mention(article.id, start, start + len(name), name, "name", kind, i))
    return ArticlePeople(article.id, article.published, tuple(entities), tuple(mentions), (), ())


def test_folding_and_ids() -> None:
    assert fold("Aleksandar VUČIĆ") == "aleksandar vucic"
    assert slug("Aleksandar Vučić") == "aleksandar-vucic"
    assert name_key("Mr. Trump's") == "trump"
    assert name_key("James B. Comey Jr.") == "james b comey"
    assert compatible_first_names("Hillary Rodham Clinton", "Hillary Clinton")
    assert compatible_first_names("H. Clinton", "Hillary Clinton")
    assert not compatible_first_names("Bill Clinton", "Hillary Clinton")
    assert not compatible_first_names("Aleksandar Vučić", "Aleksandar Vulin")


def test_similar_names_are_never_merged() -> None:
    article = _article("a", "Aleksandar Vučić, Miloš Vučević and Aleksandar Vulin met Vučićev.")
    registry = EntityRegistry()
    registry.add(article, _people(article, "Aleksandar Vučić", "Miloš Vučević", "Aleksandar Vulin", "Vučićev"))
    assert len(registry.entities()) == 4


def test_full_name_joins_an_entity_known_by_surname_and_keeps_its_id() -> None:
    first, second = _article("a", "Vulin spoke."), _article("b", "Aleksandar Vulin spoke.")
    registry = EntityRegistry()
    registry.add(first, _people(first, "Vulin"))
    registry.add(second, _people(second, "Aleksandar Vulin"))
    (vulin,) = registry.entities()
    assert vulin.id == "vulin" and vulin.name == "Aleksandar Vulin" and vulin.aliases == ("Vulin",)


def test_different_first_names_with_one_surname_stay_apart_and_a_bare_surname_goes_to_the_most_mentioned() -> None:
    a = _article("a", "Hillary Clinton and Bill Clinton. Hillary Clinton again.")
    b = _article("b", "Clinton spoke.")
    registry = EntityRegistry()
    people = _people(a, "Hillary Clinton", "Bill Clinton")
    people = ArticlePeople(a.id, None, people.entities, (*people.mentions, Mention(
        "a", 34, 49, "Hillary Clinton", "name", "PERSON", 0)), (), ())
    registry.add(a, people)
    registry.add(b, _people(b, "Clinton"))
    by_name = {e.name: e for e in registry.entities()}
    assert set(by_name) == {"Hillary Clinton", "Bill Clinton"}
    assert len(by_name["Hillary Clinton"].mentions) == 3


def test_adding_an_article_twice_changes_nothing() -> None:
    article = _article("a", "Aleksandar Vulin spoke.")
    registry = EntityRegistry()
    registry.add(article, _people(article, "Aleksandar Vulin"))
    registry.add(article, _people(article, "Aleksandar Vulin"))
    assert len(registry.entities()[0].mentions) == 1


def test_roles_are_dated_and_deduplicated_per_article() -> None:
    article = _article("a", "Interior Minister Aleksandar Vulin; the interior minister.", "2022-03-22")
    people = _people(article, "Aleksandar Vulin")
    roles = (RoleMention("a", 0, 17, "Interior Minister", 0), RoleMention("a", 40, 57, "interior minister", 0))
    registry = EntityRegistry()
    registry.add(article, ArticlePeople("a", article.published, people.entities, people.mentions, roles, ()))
    (vulin,) = registry.entities()
    assert [(r.title, r.article, r.date) for r in vulin.roles] == [("Interior Minister", "a", "2022-03-22")]


def test_state_round_trip_and_incremental_add_equal_one_run() -> None:
    articles, people, whole = example_corpus()
    keys = sorted(articles)
    partial = EntityRegistry()
    for key in keys[:3]:
        partial.add(articles[key], people[key])
    restored = EntityRegistry.from_state(json.loads(json.dumps(partial.to_state())))
    for key in keys[3:]:
        restored.add(articles[key], people[key])
    assert restored.entities() == whole.entities()
    assert restored.quotes() == whole.quotes()


def test_ids_do_not_depend_on_later_articles() -> None:
    articles, people, whole = example_corpus()
    early = EntityRegistry()
    early.add(articles["000"], people["000"])
    ids = {e.name: e.id for e in early.entities()}
    final = {e.id for e in whole.entities()}
    assert set(ids.values()) <= final
    assert ids["Aleksandar Vulin"] == "aleksandar-vulin"


def test_article_people_survive_json() -> None:
    _, people, _ = example_corpus()
    for found in people.values():
        assert ArticlePeople.from_dict(json.loads(json.dumps(found.to_dict()))) == found


def test_entity_export_has_the_contract_fields() -> None:
    _, _, registry = example_corpus()
    vulin = next(e for e in registry.entities() if e.name == "Aleksandar Vulin")
    record = entity_to_export(vulin)
    assert set(record) == {"id", "name", "type", "type_confidence", "aliases", "roles", "mentions"}
    assert 0.0 <= record["type_confidence"] <= 1.0
    assert all(set(r) == {"title", "article", "date", "confidence"} for r in record["roles"])
    assert all(0.0 <= r["confidence"] <= 1.0 for r in record["roles"])
    assert all(set(m) == {"article", "start", "end"} for m in record["mentions"])
    json.dumps(record)


def test_local_quote_round_trip() -> None:
    quote = LocalQuote("a", 0, 5, '"Hi."', "direct", "said", 7, 11, 0, "Jane Smith", 12, 22, ((0, 5),))
    assert LocalQuote.from_dict(json.loads(json.dumps(quote.to_dict()))) == quote
