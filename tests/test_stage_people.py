"""The people stage in the store: entities and quotes persist, resolve across articles, grow incrementally."""

from __future__ import annotations

from pathlib import Path

from storyline.pipeline import analyse
from storyline.read.corpus import Corpus
from storyline.stages.entities.stage import PEOPLE
from storyline.stages.stored import load_people
from storyline.store import SQLiteStore, open_store
from tests.conftest import ingest_paths


def _people_of(corpus: Corpus) -> dict[str, tuple[str, ...]]:
    return {s.entity.name: tuple(sorted({m.article for m in s.entity.mentions})) for s in corpus.entities("PERSON")}


def test_every_stored_span_quotes_the_stored_text(analysed_db: str) -> None:
    store = open_store(analysed_db)
    corpus = Corpus(store)
    texts = {a.id: a.text for a in store.articles()}
    quotes = corpus.quotes()
    assert len(quotes) >= 13
    for q in quotes:
        assert texts[q.article][q.start : q.end] == q.text
    mentions = [m for s in corpus.entities() for m in s.entity.mentions]
    assert len(mentions) > 100
    for m in mentions:
        assert texts[m.article][m.start : m.end].strip()
    for article_id, resolved in load_people(store).items():
        for mention in resolved.people.mentions:
            assert texts[article_id][mention.start : mention.end] == mention.text
            assert resolved.entity_of(mention.entity) is not None
    store.close()


def test_vucic_is_one_person_and_stays_apart_from_vucevic_and_vulin(analysed_db: str) -> None:
    corpus = Corpus(open_store(analysed_db))
    vucic = corpus.find_entity("Vucic")
    assert vucic.name == "Aleksandar Vučić"
    assert corpus.find_entity("VUČIĆ") == vucic == corpus.find_entity("Serbian President")
    assert {"Vucic", "Aleksandar Vucic"} <= set(vucic.aliases)
    vulin, vucevic = corpus.find_entity("Vulin"), corpus.find_entity("Vučević")
    assert len({vucic.id, vulin.id, vucevic.id}) == 3
    assert len({m.article for m in vucic.mentions}) == 5


def test_roles_over_time_carry_article_and_date(analysed_db: str) -> None:
    store = open_store(analysed_db)
    corpus = Corpus(store)
    names = {a.id: a.path.rsplit("/", 1)[-1][:3] for a in store.articles()}
    vulin = {(r.title.lower(), names[r.article], r.date) for r in corpus.find_entity("Vulin").roles}
    assert ("interior minister", "000", "2022-03-22") in vulin
    assert ("deputy prime minister", "004", None) in vulin  # 004 carries no date
    vucevic = {(r.title, names[r.article], r.date) for r in corpus.find_entity("Vucevic").roles}
    assert ("Defense Minister", "002", "2023-12-09") in vucevic


def test_quotes_filter_by_speaker_and_words(analysed_db: str) -> None:
    corpus = Corpus(open_store(analysed_db))
    by_vucevic = corpus.quotes(speaker="Milos Vucevic")
    assert by_vucevic and {q.speaker_name for q in by_vucevic} == {"Milos Vucevic"}
    about = corpus.quotes(about="SANCTIONS russia")
    assert about and all("sanctions" in q.text.lower() and "russia" in q.text.lower() for q in about)
    assert {q.speaker for q in about} >= {corpus.find_entity("Vulin").id, corpus.find_entity("Vucic").id}


def test_adding_articles_later_resolves_into_the_same_entities(example_dir: Path, store: SQLiteStore,
                                                               tmp_path: Path) -> None:
    files = sorted(example_dir.iterdir())
    ingest_paths(store, *files[:2])
    analyse(store, [PEOPLE])
    first = Corpus(store).find_entity("Vucic")
    ingest_paths(store, *files[2:])
    runs = analyse(store, [PEOPLE])
    assert [(r.stage, r.articles) for r in runs] == [(PEOPLE, 3)]
    later = Corpus(store)
    assert later.find_entity("Vucic").id == first.id
    assert analyse(store, [PEOPLE])[0].articles == 0

    whole = open_store(str(tmp_path / "whole.db"))
    ingest_paths(whole, *files)
    analyse(whole, [PEOPLE])
    assert _people_of(Corpus(whole)) == _people_of(later)
    assert {q.id for q in Corpus(whole).quotes()} == {q.id for q in later.quotes()}
    whole.close()


def test_a_state_of_another_version_is_redone_with_its_dependents(example_dir: Path, store: SQLiteStore) -> None:
    import pytest

    from storyline.errors import StoreError
    from storyline.stages.entities.stage import STAGE

    PEOPLE_STATE = STAGE.state_key

    ingest_paths(store, sorted(example_dir.iterdir())[0])
    analyse(store, [PEOPLE, "claims"])
    store._db.execute("UPDATE corpus_state SET name = 'people@0' WHERE name = ?", (PEOPLE_STATE,))
    with pytest.raises(StoreError, match="another version"):
        Corpus(store).entities()
    runs = {r.stage: r.articles for r in analyse(store, [PEOPLE, "claims"])}
    assert runs == {PEOPLE: 1, "claims": 1}
    assert Corpus(store).find_entity("Vulin")
    assert store.state("people@0") is None
