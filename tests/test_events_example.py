"""The example corpus: four events, one story, whatever order the articles arrive in.

The features are built as the pipeline builds them (``run_events``: the entities stage's keys);
the proper-noun proxy that stands in when an article has no entities is checked in one batch.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from storyline.ingest.files import read_file
from storyline.ingest.normalise import normalise
from storyline.records import Article
from storyline.stages.entities import analyse_people
from storyline.stages.events import EventFeatures, EventIndex, event_features, story_view
from storyline.stages.sentences import embed_articles

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "serbia-sanctions"
EXPECTED = {frozenset({"000"}), frozenset({"001", "004"}), frozenset({"002"}), frozenset({"003"})}


@pytest.fixture(scope="module")
def corpus() -> list[tuple[Article, EventFeatures]]:
    """The five example articles through the real ingest, sentence and entities stages."""
    articles = [normalise(next(iter(read_file(str(p), 20_000_000)))) for p in sorted(EXAMPLE.glob("*.txt"))]
    assert all(isinstance(a, Article) for a in articles)
    return [(a, event_features(a, s, analyse_people(a)))
            for a, s in zip(articles, embed_articles(articles), strict=True)]


@pytest.fixture(scope="module")
def proxy_corpus(corpus: list[tuple[Article, EventFeatures]]) -> list[tuple[Article, EventFeatures]]:
    """The same articles with proper-noun keys instead of the entities stage's (no entities given)."""
    articles = [a for a, _f in corpus]
    return [(a, event_features(a, s)) for a, s in zip(articles, embed_articles(articles), strict=True)]


def _name(article_id: str, corpus: list[tuple[Article, EventFeatures]]) -> str:
    return next(Path(a.path).name[:3] for a, _f in corpus if a.id == article_id)


def _events(index: EventIndex, corpus: list[tuple[Article, EventFeatures]]) -> set[frozenset[str]]:
    return {frozenset(_name(a, corpus) for a in e.articles) for e in index.events()}


def test_the_example_corpus_has_four_events_and_one_story(corpus: list[tuple[Article, EventFeatures]]) -> None:
    index = EventIndex()
    index.add_all(corpus)
    assert _events(index, corpus) == EXPECTED
    (story,) = index.stories()
    assert len(story.events) == 4 and len(story.articles) == 5
    assert (story.start_date, story.end_date) == ("2022-03-22", "2023-12-09")
    assert "Serbia" in story.title or "Vulin" in story.title or "Vucic" in story.title, story.title


def test_proper_noun_keys_give_the_same_events_in_one_batch(
    proxy_corpus: list[tuple[Article, EventFeatures]],
) -> None:
    assert all(f.entity_source == "proxy" for _a, f in proxy_corpus)
    for order in (proxy_corpus, proxy_corpus[::-1]):
        index = EventIndex()
        index.add_all(order)
        assert _events(index, proxy_corpus) == EXPECTED


def test_the_events_do_not_depend_on_the_order_articles_arrive_in(
    corpus: list[tuple[Article, EventFeatures]],
) -> None:
    for order in itertools.permutations(corpus):
        index = EventIndex()
        for article, features in order:
            index.add(article, features)
        assert _events(index, corpus) == EXPECTED, [_name(a.id, corpus) for a, _f in order]
        assert len(index.stories()) == 1


def test_dated_events_carry_their_dates_and_undated_ones_none(corpus: list[tuple[Article, EventFeatures]]) -> None:
    index = EventIndex()
    index.add_all(corpus)
    dates = {frozenset(_name(a, corpus) for a in e.articles): (e.start_date, e.end_date) for e in index.events()}
    assert dates[frozenset({"000"})] == ("2022-03-22", "2022-03-22")
    assert dates[frozenset({"002"})] == ("2023-12-09", "2023-12-09")
    assert dates[frozenset({"001", "004"})] == (None, None)


def test_the_rewrite_event_is_titled_by_its_headline(corpus: list[tuple[Article, EventFeatures]]) -> None:
    index = EventIndex()
    index.add_all(corpus)
    titles = {frozenset(_name(a, corpus) for a in e.articles): e.title for e in index.events()}
    assert titles[frozenset({"001", "004"})].startswith("US-sanctioned Serbia official meets Putin")
    assert all(titles.values())


def test_a_story_view_lists_events_in_date_order_with_sources(corpus: list[tuple[Article, EventFeatures]]) -> None:
    index = EventIndex()
    index.add_all(corpus)
    (story,) = index.stories()
    view = story_view(index, story.id, {a.id: a for a, _f in corpus})
    starts = [e.event.start_date for e in view.events]
    assert starts[:2] == ["2022-03-22", "2023-12-09"] and starts[2:] == [None, None]
    assert dict(view.coverage)["sputnikglobe.com"] == 1
    assert sum(count for _s, count in view.coverage) == 5
    rewrite = next(e for e in view.events if len(e.articles) == 2)
    assert set(rewrite.sources) == {"unknown outlet"}  # no outlet in the files or texts: never a file name
    assert dict(view.coverage)["unknown outlet"] == 4
