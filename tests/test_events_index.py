"""The incremental event and story index on small synthetic corpora (no model needed)."""

from __future__ import annotations

import json
import random

import numpy as np

from storyline.records import Article
from storyline.stages.events import EventConfig, EventFeatures, EventIndex, event_features, event_record, story_record
from storyline.stages.sentences import ArticleSentences

QUAKE = ("A magnitude 5.9 earthquake struck Qeshm Island off southern Iran, killing {n} people in the village of "
         "Tourian. Rescue teams from Bandar Abbas reached Qeshm Island as aftershocks shook the Strait of Hormuz. "
         "Governor Ali Farzin said the Red Crescent sent tents to Tourian.")
MATCH = ("Arsenal beat Chelsea {n}-1 at the Emirates Stadium. Bukayo Saka scored twice for Arsenal and Mikel Arteta "
         "praised the defence. Chelsea manager Mauricio Pochettino blamed the referee Anthony Taylor.")
FLOOD = ("Floods in Valencia swept cars through the streets of Paiporta after torrential rain. Mayor Maribel Albalat "
         "said the Poyo ravine burst its banks. Spanish soldiers joined volunteers clearing mud in Paiporta.")
RALLY = ("Supporters of Prime Minister Robert Fico rallied in Bratislava as Slovak lawmakers debated the budget. "
         "Fico told the crowd in Bratislava that Slovakia would stay neutral. Opposition leader Michal Simecka "
         "called the rally a distraction.")
TOPICS = {"quake": QUAKE, "match": MATCH, "flood": FLOOD, "rally": RALLY}


def _vector(topic: str, seed: int) -> np.ndarray:
    base = np.random.default_rng(sorted(TOPICS).index(topic)).normal(size=384)
    noise = np.random.default_rng(1000 + seed).normal(size=384) * 0.3
    v = (base + noise).astype(np.float32)
    return v / np.linalg.norm(v)


def make(name: str, topic: str, n: int = 3, published: str | None = None) -> tuple[Article, EventFeatures]:
    """An article on ``topic`` (its text template filled with ``n``) and its features."""
    text = TOPICS[topic].format(n=n)
    article = Article(id=f"{name:0>16}", path=f"{name}.txt", text=text, published=published, source=f"{topic}.example")
    sentences = ArticleSentences(article.id, ((0, len(text)),), _vector(topic, n)[None, :])
    return article, event_features(article, sentences)


def groups(index: EventIndex) -> set[frozenset[str]]:
    """The events as sets of article paths without extension."""
    paths = {a: p for a, p in ((f"{n:0>16}", n) for n in _names(index))}
    return {frozenset(paths[a] for a in e.articles) for e in index.events()}


def _names(index: EventIndex) -> list[str]:
    return [a.lstrip("0") for a in index.placed]


def corpus() -> list[tuple[Article, EventFeatures]]:
    """Two reports of each of three events, plus one of a fourth."""
    return [make("q1", "quake", 10), make("m1", "match", 2), make("q2", "quake", 11), make("f1", "flood", 1),
            make("m2", "match", 3), make("f2", "flood", 2), make("r1", "rally", 1)]


def test_reports_of_one_event_join_and_other_events_open_their_own() -> None:
    index = EventIndex()
    for article, features in corpus():
        index.add(article, features)
    assert groups(index) == {frozenset({"q1", "q2"}), frozenset({"m1", "m2"}), frozenset({"f1", "f2"}),
                             frozenset({"r1"})}


def test_adding_an_article_twice_places_it_once() -> None:
    index = EventIndex()
    article, features = make("q1", "quake")
    first = index.add(article, features)
    assert index.add(article, features) == first
    assert len(index) == 1 and index.events()[0].articles == (article.id,)


def test_the_same_corpus_gives_the_same_event_and_story_ids() -> None:
    runs = []
    for _ in range(2):
        index = EventIndex()
        for article, features in corpus():
            index.add(article, features)
        runs.append(([event_record(e) for e in index.events()], [story_record(s) for s in index.stories()]))
    assert runs[0] == runs[1]


def test_a_batch_gives_the_same_events_whatever_the_input_order() -> None:
    items = corpus()
    results = []
    for seed in range(4):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        index = EventIndex()
        index.add_all(shuffled)
        results.append([event_record(e) for e in index.events()])
    assert all(r == results[0] for r in results)


def test_adding_unrelated_articles_does_not_touch_existing_events() -> None:
    index = EventIndex()
    items = corpus()
    for article, features in items[:5]:  # q1 m1 q2 f1 m2
        index.add(article, features)
    before = {e.id: e for e in index.events()}
    for article, features in items[5:]:  # f2 (joins f1's event) and r1 (a new event)
        index.add(article, features)
    after = {e.id: e for e in index.events()}
    flood = index.event_of(items[5][0].id)
    assert set(before) <= set(after) and len(after) == len(before) + 1
    for event_id, event in before.items():
        if event_id != flood:
            assert after[event_id] == event  # same id, articles, title and dates
    assert set(before[flood].articles) < set(after[flood].articles)


def test_a_saved_index_places_new_articles_exactly_as_the_original() -> None:
    items = corpus()
    original = EventIndex()
    for article, features in items[:4]:
        original.add(article, features)
    restored = EventIndex.from_state(json.loads(json.dumps(original.to_state())))
    assert [event_record(e) for e in restored.events()] == [event_record(e) for e in original.events()]
    for article, features in items[4:]:
        assert restored.add(article, features) == original.add(article, features)
    assert [story_record(s) for s in restored.stories()] == [story_record(s) for s in original.stories()]


def test_dated_reports_months_apart_are_different_events_of_one_story() -> None:
    index = EventIndex()
    index.add(*make("q1", "quake", 10, published="2005-11-27"))
    index.add(*make("q2", "quake", 11, published="2005-11-28"))
    index.add(*make("q3", "quake", 12, published="2008-09-10"))
    assert groups(index) == {frozenset({"q1", "q2"}), frozenset({"q3"})}
    (story,) = index.stories()
    assert (story.start_date, story.end_date) == ("2005-11-27", "2008-09-10") and len(story.events) == 2


def test_an_undated_report_needs_a_stronger_match_to_join_a_dated_event() -> None:
    strict = EventIndex(EventConfig(undated_margin=1.0))
    lenient = EventIndex(EventConfig(undated_margin=0.0))
    for index in (strict, lenient):
        index.add(*make("q1", "quake", 10, published="2005-11-27"))
        index.add(*make("q2", "quake", 11))
    assert len(strict.events()) == 2 and len(lenient.events()) == 1


def test_with_the_year_rule_an_undated_report_naming_only_older_years_stays_out_of_a_later_event() -> None:
    without = EventIndex(EventConfig(undated_margin=0.0))
    without.add(*make("q1", "quake", 10, published="2013-04-16"))
    index = EventIndex(EventConfig(undated_margin=0.0, year_gap=3))
    index.add(*make("q1", "quake", 10, published="2013-04-16"))
    article, features = make("q2", "quake", 11)
    older = Article(article.id, article.path, article.text + " The island was last hit in 2005.", source=article.source)
    index.add(older, event_features(older, ArticleSentences(older.id, ((0, len(older.text)),),
                                                            features.vector[None, :])))
    without.add(older, event_features(older, ArticleSentences(older.id, ((0, len(older.text)),),
                                                              features.vector[None, :])))
    assert len(index.events()) == 2 and len(without.events()) == 1


def test_event_dates_span_the_members_and_undated_events_have_none() -> None:
    index = EventIndex()
    index.add(*make("q1", "quake", 10, published="2005-11-28"))
    index.add(*make("q2", "quake", 11, published="2005-11-27"))
    index.add(*make("r1", "rally", 1))
    by_size = sorted(index.events(), key=lambda e: len(e.articles))
    assert (by_size[0].start_date, by_size[0].end_date) == (None, None)
    assert (by_size[1].start_date, by_size[1].end_date) == ("2005-11-27", "2005-11-28")
    assert by_size[1].articles == (f"{'q2':0>16}", f"{'q1':0>16}")  # date order


def test_export_records_carry_the_fields_of_the_export() -> None:
    index = EventIndex()
    for article, features in corpus():
        index.add(article, features)
    event = event_record(index.events()[0])
    story = story_record(index.stories()[0])
    assert {"id", "title", "articles", "start_date", "end_date"} <= set(event)
    assert {"id", "title", "events", "articles"} <= set(story)
    assert event["title"] and story["title"]
    assert json.loads(json.dumps([event, story])) == [event, story]


def test_a_story_title_names_its_characteristic_entities() -> None:
    index = EventIndex()
    for article, features in corpus():
        index.add(article, features)
    titles = {s.title for s in index.stories()}
    assert any("Qeshm" in t or "Tourian" in t for t in titles), titles


def test_later_articles_only_merge_whole_events_and_merged_ids_lead_to_the_kept_event() -> None:
    items = corpus() + [make(f"q{n}", "quake", n) for n in range(3, 9)]
    items += [make(f"m{n}", "match", n) for n in range(4, 9)]
    for seed in range(6):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        index = EventIndex()
        for article, features in shuffled[:6]:
            index.add(article, features)
        before = {e.id: set(e.articles) for e in index.events()}
        for article, features in shuffled[6:]:
            index.add(article, features)
        after = {e.id: set(e.articles) for e in index.events()}
        for event_id, articles in before.items():
            kept = index.event_id(event_id)
            assert articles <= after[kept]  # an event's articles stay together, under its id or a merged one
        restored = EventIndex.from_state(json.loads(json.dumps(index.to_state())))
        assert restored.merged_events == index.merged_events
        assert [event_record(e) for e in restored.events()] == [event_record(e) for e in index.events()]


QUAKE_SENTENCES = (
    "A magnitude 5.9 earthquake struck Qeshm Island off southern Iran, killing ten people in the village of Tourian.",
    "Rescue teams from Bandar Abbas reached Qeshm Island as aftershocks shook the Strait of Hormuz.",
    "Governor Ali Farzin said the Red Crescent sent tents to Tourian.",
    "Hospitals in Bandar Abbas treated dozens of injured villagers from Tourian overnight.",
    "Engineers inspected cracked mud-brick houses across Qeshm Island.",
    "Separately, the rial fell against the dollar in Tehran trading and oil exports rose in the Gulf.",
)


def _report(name: str, sentences: tuple[int, ...], published: str, seed: int) -> tuple[Article, EventFeatures]:
    text = " ".join(QUAKE_SENTENCES[i] for i in sentences)
    article = Article(id=f"{name:0>16}", path=f"{name}.txt", text=text, published=published, source="x.example")
    return article, event_features(article, ArticleSentences(article.id, ((0, len(text)),),
                                                             _vector("quake", seed)[None, :]))


def _early_outlier() -> list[tuple[Article, EventFeatures]]:
    """A first report (a1) that shares too little with any one later report, but enough with all three together."""
    others = [make("m1", "match", 2), make("f1", "flood", 1), make("m2", "match", 3), make("f2", "flood", 2),
              make("r1", "rally", 1)]
    return [*others, _report("a1", (4, 5), "2020-01-01", 1), _report("b0", (0, 1, 2), "2020-01-02", 2),
            _report("b1", (0, 2, 4), "2020-01-03", 3), _report("b2", (2, 3, 4), "2020-01-04", 4)]


def test_a_report_that_opened_an_event_before_its_event_grew_joins_it_after_the_batch() -> None:
    items = _early_outlier()
    without = EventIndex(EventConfig(second_chance=False))
    without.add_all(items)
    assert {frozenset({"a1"}), frozenset({"b0", "b1", "b2"})} <= groups(without)
    index = EventIndex()
    placed = index.add_all(items)
    assert frozenset({"a1", "b0", "b1", "b2"}) in groups(index)
    assert len({placed[a.id] for a, _f in items if a.path[0] in "ab"}) == 1  # add_all reports the final event
    # The stories still hold every article exactly once, and each event's articles are in its story.
    stories = index.stories()
    assert sorted(a for s in stories for a in s.articles) == sorted(a.id for a, _f in items)
    story_of = {a: s.id for s in stories for a in s.articles}
    for event in index.events():
        assert {story_of[a] for a in event.articles} == {event.story}
    restored = EventIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert [story_record(s) for s in restored.stories()] == [story_record(s) for s in stories]


def test_the_second_chance_looks_only_at_events_of_the_batch() -> None:
    items = _early_outlier()
    index = EventIndex()
    index.add_all(items[:6])  # the other topics and a1: a1 opens its own event
    (lonely,) = [e for e in index.events() if e.articles == (f"{'a1':0>16}",)]
    index.add_all(items[6:])  # its event grows in a later batch: a1's event is not revisited
    assert any(e.id == lonely.id and e.articles == lonely.articles for e in index.events())


def test_an_event_of_untitled_articles_is_titled_by_a_lead_and_a_headline_wins_over_leads() -> None:
    untitled = EventIndex()
    untitled.add(*make("q1", "quake", 10))
    (event,) = untitled.events()
    # The test articles are one long "sentence": the lead is its start, cut at a word.
    assert event.title.startswith("A magnitude 5.9 earthquake struck Qeshm Island") and event.title.endswith("…")
    titled = EventIndex()
    titled.add(*make("q1", "quake", 10))
    article, features = make("q2", "quake", 11)
    titled.add(Article(article.id, article.path, article.text, title="Quake hits Qeshm", source=article.source),
               features)
    assert [e.title for e in titled.events()] == ["Quake hits Qeshm"]


def test_an_event_spans_at_most_the_gap_so_members_cannot_carry_it_into_the_next_year() -> None:
    fixed, creeping = EventIndex(), EventIndex(EventConfig(fixed_window=False))
    for index in (fixed, creeping):
        index.add(*make("q1", "quake", 10, published="2020-01-10"))
        index.add(*make("q2", "quake", 11, published="2020-09-01"))
        index.add(*make("q3", "quake", 12, published="2021-05-01"))  # 8 months after q2, 16 after q1
    assert groups(fixed) == {frozenset({"q1", "q2"}), frozenset({"q3"})}
    assert groups(creeping) == {frozenset({"q1", "q2", "q3"})}


def _undated(name: str, n: int, extra: str = "") -> tuple[Article, EventFeatures]:
    article, features = make(name, "quake", n)
    text = article.text + extra
    changed = Article(article.id, article.path, text, source=article.source)
    return changed, event_features(changed, ArticleSentences(changed.id, ((0, len(text)),), features.vector[None, :]))


def test_a_dated_report_joins_an_undated_event_only_when_it_names_the_year() -> None:
    silent, naming = EventIndex(), EventIndex()
    silent.add(*_undated("q1", 10))
    naming.add(*_undated("q1", 10, " It was the worst quake of 2005."))
    for index in (silent, naming):
        index.add(*make("q2", "quake", 11, published="2005-11-28"))
    assert len(silent.events()) == 2 and len(naming.events()) == 1
    (event,) = naming.events()
    assert (event.start_date, event.end_date) == ("2005-11-28", "2005-11-28")


def test_an_undated_event_never_merges_into_a_dated_event_of_years_it_does_not_name() -> None:
    index = EventIndex(EventConfig(evidence_margin=None, undated_margin=0.0))
    index.add_all([make("q1", "quake", 10, published="2022-03-22"), _undated("q2", 11), _undated("q3", 12)])
    assert len(index.events()) == 1  # an undated article alone may still join on a strong match
    later = EventIndex(EventConfig(evidence_margin=None, undated_margin=0.0))
    later.add_all([_undated("q2", 11), _undated("q3", 12)])
    later.add(*make("q1", "quake", 10, published="2022-03-22"))
    assert len(later.events()) == 2  # but a dated one does not join the undated event


def test_every_member_has_a_membership_confidence_and_lone_articles_a_negative_margin() -> None:
    index = EventIndex()
    for article, features in corpus():
        index.add(article, features)
    for event in index.events():
        assert len(event.confidence) == len(event.articles)
        assert all(0.0 <= c <= 1.0 for c in event.confidence)
        margins = [index.placed[a].margin for a in event.articles]
        assert all(m is not None and (m < 0) == (len(event.articles) == 1) for m in margins), margins
        record = event_record(event)
        assert [m["article"] for m in record["members"]] == list(event.articles)
    alone = next(e for e in index.events() if len(e.articles) == 1)
    joined = next(e for e in index.events() if len(e.articles) > 1)
    assert max(alone.confidence) <= min(joined.confidence)
    restored = EventIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert [e.confidence for e in restored.events()] == [e.confidence for e in index.events()]
