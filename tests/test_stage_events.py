"""The events stage in the store: the example's four events in one story, stable under re-runs and additions."""

from __future__ import annotations

from pathlib import Path

from storyline.pipeline import analyse
from storyline.read.corpus import Corpus
from storyline.stages.events.stage import EVENTS
from storyline.store import SQLiteStore, open_store
from tests.conftest import ingest_paths

EXPECTED = {frozenset({"000"}), frozenset({"001", "004"}), frozenset({"002"}), frozenset({"003"})}


def _events(store: SQLiteStore | object, corpus: Corpus) -> set[frozenset[str]]:
    names = {a.id: Path(a.path).name[:3] for a in corpus.store.articles()}
    return {frozenset(names[a] for a in e.articles) for e in corpus.events()}


def test_example_has_four_events_in_one_story(analysed_db: str) -> None:
    corpus = Corpus(open_store(analysed_db))
    assert _events(corpus.store, corpus) == EXPECTED
    stories = corpus.stories()
    assert len(stories) == 1 and len(stories[0].articles) == 5 and len(stories[0].events) == 4
    assert stories[0].title
    view = corpus.story_view("1")
    dated = [e.event.start_date for e in view.events if e.event.start_date]
    assert dated == sorted(dated) and dated[0] == "2022-03-22"
    assert sum(count for _source, count in view.coverage) == 5


def test_articles_added_later_join_without_moving_the_others(example_dir: Path, store: SQLiteStore) -> None:
    files = sorted(example_dir.iterdir())
    ingest_paths(store, *files[:3])
    analyse(store, [EVENTS])
    before = {a: e.id for e in Corpus(store).events() for a in e.articles}
    ingest_paths(store, *files[3:])
    analyse(store, [EVENTS])
    corpus = Corpus(store)
    after = {a: e.id for e in corpus.events() for a in e.articles}
    assert {a: after[a] for a in before} == before
    assert _events(store, corpus) == EXPECTED
    assert len(corpus.stories()) == 1


def test_framing_names_terms_with_their_sentences(analysed_db: str) -> None:
    corpus = Corpus(open_store(analysed_db))
    result = corpus.framing("1")
    texts = {a.id: a.text for a in corpus.store.articles()}
    assert "sputnikglobe.com" in result
    for terms in result.values():
        for term in terms:
            for span in term.sentences:
                sentence = texts[span.article][span.start : span.end]
                assert term.term.split()[0].strip("“”\"'’").lower() in sentence.lower()
