"""Entity types from votes and the gazetteer; acronym and plural-demonym merges; confidences."""

from __future__ import annotations

from collections import Counter

from storyline.records import Article
from storyline.stages.entities import ArticlePeople, EntityRegistry, LocalEntity, Mention, analyse_people
from storyline.stages.entities.aliases import acronym, initials, singular
from storyline.stages.entities.gazetteer import place_kind
from storyline.stages.entities.names import name_key
from storyline.stages.entities.registry import publishes_as
from storyline.stages.entities.types import decide_type
from tests.test_entities_example import example_corpus


def _article(ident: str, text: str, source: str | None = None) -> Article:
    return Article(id=ident, path=f"{ident}.txt", text=text, source=source)


def _people(article: Article, *entities: tuple[str, str, int]) -> ArticlePeople:
    """Hand-made analysis: (name, type, votes) per local entity, mentioned where its name first occurs."""
    locals_, mentions = [], []
    for i, (name, kind, votes) in enumerate(entities):
        start = article.text.index(name)
        locals_.append(LocalEntity(i, name, kind, (name,), ((kind, votes),)))
        mentions.append(Mention(article.id, start, start + len(name), name, "name", kind, i))
    return ArticlePeople(article.id, article.published, tuple(locals_), tuple(mentions), (), ())


def _types(*articles: Article) -> dict[str, str]:
    registry = EntityRegistry()
    for article in articles:
        registry.add(article, analyse_people(article))
    return {e.name: e.type for e in registry.entities()}


def test_the_gazetteer_knows_countries_capitals_regions_and_towns() -> None:
    assert place_kind("Kosovo") == "country"
    assert place_kind("Pristina") == "capital"
    assert place_kind("Metohija") == "region"  # ISO 3166-2 RS-KM "Kosovo-Metohija"
    assert place_kind("Thessaloníki") == place_kind("Thessaloniki") == "city"
    assert place_kind("Vulin") is None and place_kind("Sputnik") is None


def test_a_known_place_outvotes_a_stray_tag_but_not_a_persons_evidence() -> None:
    assert decide_type(Counter({"PERSON": 1}), "Pristina").type == "GPE"
    assert decide_type(Counter({"PRODUCT": 2}), "Metohija").type == "GPE"
    assert decide_type(Counter({"ORG": 2}), "Thessaloniki").type == "GPE"  # a city of 300,000+
    # a town's name is as often an organisation's or an ordinary word's: evidence only beside a place vote
    assert place_kind("Summit") == "town"
    assert decide_type(Counter({"ORG": 13}), "Summit").type == "ORG"
    assert decide_type(Counter({"ORG": 9, "GPE": 1}), "Woodburn").type == "GPE"  # "Woodburn police", "in Woodburn"
    assert place_kind("White House") is None  # a translation of Casablanca, not a name it goes by
    assert decide_type(Counter({"ORG": 1}), "THESSALONIKI").type == "ORG"  # all capitals: an acronym
    # a town named like a person: a title's votes keep the person
    assert decide_type(Counter({"PERSON": 3}), "Obama").type == "PERSON"
    # a group stays a group even where a region bears its name
    assert decide_type(Counter({"NORP": 5}), "Western").type == "NORP"
    assert decide_type(Counter({"PERSON": 1}), "Vulin").type == "PERSON"


def test_pristina_kosovo_and_metohija_are_places_in_a_text() -> None:
    text = (
        "Serbia will never recognise Kosovo, the president said on Monday.\n\n"
        "Pristina's bid for UN membership was rejected, and a group walked from the Autonomous Province "
        "of Kosovo and Metohija to Belgrade. Officials in Pristina did not comment."
    )
    types = _types(_article("k", text))
    assert types["Kosovo"] in ("GPE", "LOC")
    assert types["Pristina"] in ("GPE", "LOC")
    assert types["Metohija"] in ("GPE", "LOC")


def test_an_outlet_named_by_its_own_site_is_an_organisation() -> None:
    text = "In an interview with Sputnik, the head of the Serbian Defense Ministry said Belgrade will stay neutral."
    assert _types(_article("s", text, source="sputnikglobe.com"))["Sputnik"] == "ORG"
    assert publishes_as(_article("c", "x", source="edition.cnn.com"), "CNN")
    assert publishes_as(_article("w", "x", source="washingtonpost.com"), "The Washington Post")
    assert not publishes_as(_article("c", "x", source="cnn.com"), "Sputnik")
    assert not publishes_as(_article("c", "x", source="com"), "Com")  # a top-level domain names nobody


def test_a_ship_is_not_a_person() -> None:
    text = (
        "Indian naval ship Mysore, a destroyer, picked up a distress call from a merchant vessel.\n\n"
        "Commandos from the Mysore boarded the dhow. The Mysore is tasked to patrol the Gulf of Aden."
    )
    assert _types(_article("m", text))["Mysore"] == "PRODUCT"


def test_acronym_and_plural_rules() -> None:
    assert acronym("EU") == "eu" and acronym("U.S.") == "us" and acronym("NATO's") == "nato"
    assert acronym("Nato") is None and acronym("A") is None
    assert initials("North Atlantic Treaty Organization") == "nato"
    assert initials("European Union") == "eu" and initials("Europe") is None
    assert initials("the european union") is None
    assert singular("serbs") == "serb" and singular("balkans") == "balkan"
    assert singular("congress") is None and singular("serb") is None


def test_an_acronym_joins_its_expansion_within_an_article() -> None:
    text = (
        "Serbia wants to join the European Union but will not join the North Atlantic Treaty Organization.\n\n"
        "The EU has asked Belgrade to align its policy, while NATO bombed the country in 1999."
    )
    registry = EntityRegistry()
    article = _article("a", text)
    registry.add(article, analyse_people(article))
    names = {e.name: set(e.aliases) for e in registry.entities()}
    assert "EU" in names["European Union"] and "EU" not in names
    assert "NATO" in names["North Atlantic Treaty Organization"] and "NATO" not in names


def test_an_acronym_joins_its_expansion_across_articles_but_not_an_unrelated_name() -> None:
    a = _article("a", "The European Union and the International Monetary Fund met Ed Underwood.")
    b = _article("b", "The EU and the IMF met again; the CIA was not there.")
    registry = EntityRegistry()
    registry.add(a, _people(a, ("European Union", "ORG", 1), ("International Monetary Fund", "ORG", 1),
                            ("Ed Underwood", "PERSON", 1)))
    ids = registry.add(b, _people(b, ("EU", "ORG", 1), ("IMF", "ORG", 1), ("CIA", "ORG", 1)))
    by_name = {e.name: e.id for e in registry.entities()}
    assert ids[0] == by_name["European Union"]
    assert ids[1] == by_name["International Monetary Fund"]
    assert by_name["CIA"] == ids[2] and len(by_name) == 4  # CIA is new; Ed Underwood (a person, E.U.) untouched


def test_a_plural_demonym_joins_its_singular_in_either_order() -> None:
    a = _article("a", "The Balkan nation and the Serb minority.")
    b = _article("b", "Across the Balkans, Serbs voted; Williams spoke.")
    registry = EntityRegistry()
    registry.add(a, _people(a, ("Balkan", "NORP", 2), ("Serb", "NORP", 1)))
    ids = registry.add(b, _people(b, ("Balkans", "LOC", 2), ("Serbs", "NORP", 1), ("Williams", "PERSON", 1)))
    by_name = {e.name: e.id for e in registry.entities()}
    assert ids[0] == by_name.get("Balkan", by_name.get("Balkans"))
    assert len({ids[0], ids[1], ids[2]}) == 3 and len(by_name) == 3
    c = _article("c", "Americans voted.")
    d = _article("d", "An American voted.")
    later = EntityRegistry()
    later.add(c, _people(c, ("Americans", "NORP", 1)))
    assert later.add(d, _people(d, ("American", "NORP", 1)))[0] == "americans"


def test_a_person_is_never_merged_as_a_plural_or_an_acronym() -> None:
    a = _article("a", "William met the Jones family.")
    b = _article("b", "Williams and Jone spoke.")
    registry = EntityRegistry()
    registry.add(a, _people(a, ("William", "PERSON", 1), ("Jones", "PERSON", 1)))
    registry.add(b, _people(b, ("Williams", "PERSON", 1), ("Jone", "PERSON", 1)))
    assert len(registry.entities()) == 4


def test_every_type_and_role_confidence_is_in_range_and_a_clear_type_is_confident() -> None:
    _, _, registry = example_corpus()
    entities = registry.entities()
    assert all(e.type_confidence is not None and 0.0 <= e.type_confidence <= 1.0 for e in entities)
    assert all(r.confidence is not None and 0.0 <= r.confidence <= 1.0 for e in entities for r in e.roles)
    serbia = next(e for e in entities if e.name == "Serbia")
    pristina = next(e for e in entities if e.name == "Pristina")
    assert serbia.type_confidence is not None and pristina.type_confidence is not None
    assert serbia.type_confidence >= pristina.type_confidence  # 48 GPE votes against one stray tag
    vulin = next(e for e in entities if e.name == "Aleksandar Vulin")
    attached = [r for r in vulin.roles if r.title == "Interior Minister"]
    assert attached and attached[0].confidence is not None and attached[0].confidence >= 0.8


def test_the_example_corpus_types_places_and_merges_names() -> None:
    _, _, registry = example_corpus()
    by_name = {e.name: e for e in registry.entities()}
    assert by_name["Pristina"].type == "GPE" and by_name["Metohija"].type == "GPE"
    assert by_name["Sputnik"].type == "ORG"  # 002 is published on sputnikglobe.com
    assert "EU" in by_name["European Union"].aliases
    assert "NATO" in by_name["North Atlantic Treaty Organisation"].aliases
    balkans = [e for e in registry.entities() if e.name in ("Balkan", "Balkans")]
    assert len(balkans) == 1 and {"Balkan", "Balkans"} <= {balkans[0].name, *balkans[0].aliases}


def test_a_title_word_is_a_name_only_where_it_is_a_surname() -> None:
    text = (
        "Serbia's Interior Minister Aleksandar Vulin met the Sheriff's deputies.\n\n"
        "Larry King hosts a show. ''I have never been edited,'' Mr. King said."
    )
    registry = EntityRegistry()
    article = _article("t", text)
    registry.add(article, analyse_people(article))
    names = {e.name for e in registry.entities()}
    assert "Interior" not in names and "Sheriff" not in names
    king = [e for e in registry.entities() if e.name == "Larry King"]
    assert king and any(text[m.start : m.end] == "King" for m in king[0].mentions)


def test_a_surname_tagged_as_a_nationality_joins_its_person_and_leaves_them_a_person() -> None:
    a = _article("a", "Wladimir Klitschko retained his titles.")
    b = _article("b", "Klitschko won again; Serbs watched.")
    registry = EntityRegistry()
    registry.add(a, _people(a, ("Wladimir Klitschko", "PERSON", 2)))
    ids = registry.add(b, _people(b, ("Klitschko", "NORP", 5), ("Serbs", "NORP", 1)))
    klitschko = registry.entity(ids[0])
    assert klitschko is not None and klitschko.name == "Wladimir Klitschko" and klitschko.type == "PERSON"
    assert ids[1] != ids[0]  # a group with no such person stays a group


def test_a_ship_prefix_is_no_part_of_the_ships_key() -> None:
    assert name_key("INS Tabar") == name_key("the Tabar".removeprefix("the ")) == "tabar"
    assert name_key("INS") == "ins"  # alone it is a name (the Immigration and Naturalization Service)


def test_a_publisher_is_the_host_name_not_any_name_it_begins_with():
    from storyline.records import Article
    from storyline.stages.entities.registry import publishes_as

    def on(host: str) -> Article:
        return Article(id="x", path="p", text="t", source=host, url=None, title=None, published=None, language="en")

    assert publishes_as(on("sputnikglobe.com"), "Sputnik")
    assert publishes_as(on("edition.cnn.com"), "CNN")
    assert not publishes_as(on("usatoday.com"), "USA")
    assert not publishes_as(on("newyorker.com"), "New York")
