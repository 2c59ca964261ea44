"""Stories: average link over events with local scaling (``stories``), and how the index uses it."""

from __future__ import annotations

import json
import random

import pytest

from storyline.stages.events import EventIndex, story_record
from storyline.stages.events.stories import Neighbours, StoryLink, link_stories
from tests.test_events_index import _report, make


def test_a_scale_is_the_mean_of_the_k_nearest_live_events_at_least_the_floor() -> None:
    near = Neighbours(k=2, floor=0.05, near={"a": {"b": 0.4, "c": 0.2, "d": 0.1}})
    assert near.scale("a", {"a": 1, "b": 1, "c": 1, "d": 1}) == pytest.approx(0.3)
    assert near.scale("a", {"a": 1, "c": 1, "d": 1}) == pytest.approx(0.15)  # b merged away
    assert near.scale("a", {"a": 1}) == 0.05  # nothing near: the floor
    assert Neighbours(k=2, floor=0.05, near={"a": {"b": 0.02}}).scale("a", {"b": 1}) == 0.05
    assert Neighbours(k=0, floor=0.07, near={"a": {"b": 0.9}}).scale("a", {"b": 1}) == 0.07  # no local scaling


def test_an_update_replaces_the_events_list_and_its_entry_in_each_neighbours_list() -> None:
    near = Neighbours(k=1, floor=0.0)
    near.update("a", {"b": 0.5, "c": 0.1})
    near.update("a", {"b": 0.2, "d": 0.3})  # a grew: its cosines changed
    assert near.near["a"] == {"d": 0.3, "b": 0.2}
    assert near.near["b"]["a"] == 0.2 and near.near["d"]["a"] == 0.3
    for event in "bcdefg":  # a neighbour list keeps twice k entries, the highest
        near.update(event + "x", {"b": 0.01 * (ord(event) - 96)})
    assert len(near.near["b"]) == 2 and near.near["b"]["a"] == 0.2


def test_new_events_join_an_existing_story_they_reach_on_average() -> None:
    scales = {"n1": 0.1, "o1": 0.1, "o2": 0.1}
    story_of, sizes = {"o1": "s1", "o2": "s1"}, {"s1": 2}
    # (0.09 + 0.03) / 2 / 0.1 = 0.6 reaches 0.6; 0.09 alone would, but average link needs the whole story.
    assert link_stories(["n1"], {"n1": {"o1": 0.09, "o2": 0.03}}, scales, story_of, sizes, 0.6) == [
        StoryLink("s1", ("n1",))]
    assert link_stories(["n1"], {"n1": {"o1": 0.09, "o2": 0.02}}, scales, story_of, sizes, 0.6) == [
        StoryLink(None, ("n1",))]


def test_average_link_does_not_chain_new_events() -> None:
    scales = dict.fromkeys(("a", "b", "c"), 0.1)
    cosines = {"a": {"b": 0.09}, "b": {"a": 0.09, "c": 0.08}, "c": {"b": 0.08}}
    links = link_stories(["a", "b", "c"], cosines, scales, {}, {}, 0.6)
    # a and b link first (0.9); c's average to {a, b} is (0 + 0.8) / 2 = 0.4: its own story.
    assert links == [StoryLink(None, ("a", "b")), StoryLink(None, ("c",))]
    assert link_stories(["a", "b", "c"], cosines, scales, {}, {}, 0.35) == [StoryLink(None, ("a", "b", "c"))]


def test_the_same_cosine_links_isolated_events_but_not_events_in_a_dense_neighbourhood() -> None:
    cosines = {"a": {"b": 0.08}, "b": {"a": 0.08}}
    isolated = link_stories(["a", "b"], cosines, {"a": 0.1, "b": 0.1}, {}, {}, 0.6)
    crowded = link_stories(["a", "b"], cosines, {"a": 0.4, "b": 0.3}, {}, {}, 0.6)
    assert isolated == [StoryLink(None, ("a", "b"))]
    assert crowded == [StoryLink(None, ("a",)), StoryLink(None, ("b",))]


def test_a_cluster_that_joined_a_story_draws_the_next_new_event_with_it() -> None:
    scales = dict.fromkeys(("n1", "n2", "o1"), 0.1)
    cosines = {"n1": {"o1": 0.1, "n2": 0.07}, "n2": {"n1": 0.07, "o1": 0.06}}
    links = link_stories(["n1", "n2"], cosines, scales, {"o1": "s1"}, {"s1": 1}, 0.6)
    # n1 joins s1 (1.0); n2 then scores (0.6 + 0.7) / 2 = 0.65 against s1 + n1.
    assert links == [StoryLink("s1", ("n1",)), StoryLink("s1", ("n2",))]


def test_a_later_batch_grows_earlier_stories_under_their_ids() -> None:
    index = EventIndex()
    index.add_all([make("q1", "quake", 10), make("q2", "quake", 11), make("m1", "match", 2), make("m2", "match", 3)])
    before = {s.id: set(s.articles) for s in index.stories()}
    assert len(before) == 2
    index.add_all([make("q3", "quake", 12), make("m3", "match", 4), make("f1", "flood", 1), make("r1", "rally", 1)])
    after = {s.id: set(s.articles) for s in index.stories()}
    for story_id, articles in before.items():
        assert articles < after[story_id]  # each grew by its new report, under its own id
    assert len(after) == 4
    story_of = {a: s.id for s in index.stories() for a in s.articles}
    for event in index.events():
        assert {story_of[a] for a in event.articles} == {event.story}
    restored = EventIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert restored._neighbours.near == index._neighbours.near
    item = make("q4", "quake", 13)
    restored.add(*item)
    index.add(*item)
    assert [story_record(s) for s in restored.stories()] == [story_record(s) for s in index.stories()]


def test_an_event_alone_in_its_story_joins_the_story_its_grown_centroid_reaches() -> None:
    index = EventIndex()
    others = [make("m1", "match", 2), make("f1", "flood", 1), make("m2", "match", 3), make("f2", "flood", 2)]
    quake = [_report("b0", (0, 1, 2), "2020-01-02", 2), _report("b1", (0, 2, 4), "2020-01-03", 3)]
    for article, features in others + quake:
        index.add(article, features)
    quake_story = index.story_id(index.stories()[0].id)
    # Three years on, a first report that is all about the currency opens an event and a story of its own.
    index.add(*_report("c1", (5,), "2023-01-01", 1))
    (lonely,) = [s for s in index.stories() if s.articles == (f"{'c1':0>16}",)]
    assert lonely.id != quake_story
    # Its next report is about the earthquake too: the event's grown centroid reaches the quake story.
    index.add(*_report("c2", (0, 5), "2023-01-02", 5))
    story_of = {a: s.id for s in index.stories() for a in s.articles}
    assert story_of[f"{'c1':0>16}"] == story_of[f"{'b0':0>16}"] == index.story_id(lonely.id)
    assert len(index.stories()) == 3 and index.story_id(quake_story) == story_of[f"{'b0':0>16}"]


# Seeds 214 and 252 once linked a batch's event to a story that a story relinked earlier in the
# same batch had just absorbed.
@pytest.mark.parametrize("seed", [0, 1, 2, 214, 252])
def test_batches_of_any_size_keep_every_article_in_one_story_with_its_event(seed: int) -> None:
    rng = random.Random(seed)
    items = [make(f"{topic[0]}{n}", topic, n, f"20{rng.randrange(15, 24)}-0{rng.randrange(1, 10)}-1{n % 10}"
                  if rng.random() < 0.7 else None) for topic in ("quake", "match", "flood", "rally") for n in range(8)]
    for n in range(16):
        sentences = tuple(rng.sample(range(6), rng.randrange(1, 4)))
        items.append(_report(f"x{n}", sentences, f"20{rng.randrange(15, 24)}-01-{n + 10}", n))
    rng.shuffle(items)
    index, at = EventIndex(), 0
    while at < len(items):
        size = rng.choice([1, 1, 2, 5, 9])
        before = {e.id: (e.articles, e.story) for e in index.events()}
        index.add_all(items[at : at + size])
        at += size
        for event in index.events():  # an event the batch did not change keeps its story
            if event.id in before and before[event.id][0] == event.articles:
                assert event.story == before[event.id][1]
    stories, events = index.stories(), index.events()
    assert sorted(a for s in stories for a in s.articles) == sorted(a.id for a, _f in items)
    story_of = {a: s.id for s in stories for a in s.articles}
    for event in events:
        assert {story_of[a] for a in event.articles} == {event.story}
    assert sorted(e for s in stories for e in s.events) == sorted(e.id for e in events)
    restored = EventIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert [story_record(s) for s in restored.stories()] == [story_record(s) for s in stories]


def test_a_grown_event_leaves_its_story_only_for_one_it_reaches_clearly_better() -> None:
    scales = dict.fromkeys(("e", "a", "b"), 0.1)
    story_of, sizes = {"a": "s1", "b": "s2"}, {"s1": 1, "s2": 1}
    cosines = {"e": {"a": 0.05, "b": 0.062}}  # scaled: 0.5 to its own story s1, 0.62 to s2
    assert link_stories(["e"], cosines, scales, story_of, sizes, 0.6) == [StoryLink("s2", ("e",))]
    assert link_stories(["e"], cosines, scales, story_of, sizes, 0.6, {"e": "s1"}, 1.5) == [
        StoryLink("s1", ("e",))]  # 0.5 * 1.5 = 0.75 beats 0.62
    cosines = {"e": {"a": 0.05, "b": 0.09}}
    assert link_stories(["e"], cosines, scales, story_of, sizes, 0.6, {"e": "s1"}, 1.5) == [
        StoryLink("s2", ("e",))]  # 0.9 beats 0.75
