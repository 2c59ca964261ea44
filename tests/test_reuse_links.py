"""Reuse links end to end on small texts, with deterministic bag-of-words vectors (no model).

The stand-in vectors hash each content word into one of 384 dimensions, so sentences sharing
most words are close and unrelated ones are not: enough to exercise candidates, alignment,
classification and direction without loading MiniLM (the real-model checks are in
test_reuse_example.py).
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import pytest

from storyline.records import Article, ReuseLink
from storyline.stages.reuse import ReuseIndex, find_reuse, reuse_features
from storyline.stages.sentences import ArticleSentences

DIM = 384
STOP = set("the a an of to in on and or was is are were has have had that for with by at as it its".split())

BASE = [
    "The city council approved a new budget of 42 million dollars on Tuesday night.",
    "Mayor Elena Novak said the plan would fund three new libraries and a bus depot.",
    "Opposition members argued that property taxes would rise for most families next year.",
    "“We cannot keep borrowing to pay for promises,” said councillor Marek Lind after the vote.",
    "The budget also sets aside money for repairing the old stone bridge over the river.",
    "Construction on the first library is expected to start in the spring of 2025.",
    "Local businesses welcomed the depot, which they say will bring more customers downtown.",
    "A final reading of the budget is scheduled for the first week of December.",
]
UNRELATED = [
    "Heavy snow closed several mountain passes in the north over the weekend.",
    "Skiers were warned to stay on marked slopes because of the avalanche risk.",
    "Rescue teams reached a stranded group of hikers near the glacier on Sunday.",
    "Forecasters expect milder weather and rain to arrive by Wednesday afternoon.",
    "The regional airport cancelled eleven flights because of ice on the runway.",
    "Road crews spread salt through the night to keep the main highway open.",
]


def vector(sentence: str) -> np.ndarray:
    """A unit bag-of-words vector: each content word adds one to a hashed dimension."""
    out = np.zeros(DIM, dtype=np.float32)
    for word in re.findall(r"\w+", sentence.lower()):
        if word not in STOP:
            out[zlib.crc32(word.encode()) % DIM] += 1.0
    return out / max(float(np.linalg.norm(out)), 1e-9)


def make(article_id: str, sentences: list[str], published: str | None = None):  # type: ignore[no-untyped-def]
    """An (Article, ArticleSentences, ReuseFeatures) batch item; sentences joined in paragraphs of two."""
    text = "\n\n".join(" ".join(sentences[k : k + 2]) for k in range(0, len(sentences), 2))
    spans, position = [], 0
    for sentence in sentences:
        start = text.index(sentence, position)
        spans.append((start, start + len(sentence)))
        position = start + len(sentence)
    article = Article(id=article_id, path=f"{article_id}.txt", text=text, published=published)
    matrix = np.stack([vector(s) for s in sentences])
    return article, ArticleSentences(article_id, tuple(spans), matrix), reuse_features(article)


def link_between(links: list[ReuseLink], a: str, b: str) -> ReuseLink:
    found = [x for x in links if {x.source, x.derived} == {a, b}]
    assert len(found) == 1, f"expected one link between {a} and {b}, got {found}"
    return found[0]


def test_duplicate_text_is_linked_as_duplicate_from_the_earlier_date() -> None:
    links = find_reuse(ReuseIndex(), [make("late", BASE, "2024-05-02"), make("early", BASE, "2024-05-01")])
    (link,) = links
    assert (link.source, link.derived, link.kind, link.score) == ("early", "late", "duplicate", 1.0)
    assert link.direction_basis.startswith("published")


def test_near_duplicate_with_light_edits() -> None:
    edited = list(BASE)
    edited[2] = edited[2].replace("most ", "")
    edited[6] = edited[6].replace("more ", "")
    links = find_reuse(ReuseIndex(), [make("a", BASE, "2024-01-01"), make("b", edited[:-1], "2024-01-03")])
    link = link_between(links, "a", "b")
    assert link.kind == "near_duplicate"
    assert 0.5 <= link.score < 1.0
    assert (link.source, link.derived) == ("a", "b")


def test_partial_paragraph_reuse_aligns_only_the_copied_sentences() -> None:
    host = UNRELATED[:3] + BASE[4:7] + UNRELATED[3:]
    items = [make("source", BASE, "2024-02-01"), make("host", host, "2024-02-05")]
    link = link_between(find_reuse(ReuseIndex(), items), "source", "host")
    assert link.kind == "partial"
    source_text, derived_text = items[0][0].text, items[1][0].text
    copied = [(source_text[a.source_start : a.source_end], derived_text[a.derived_start : a.derived_end])
              for a in link.alignments]
    assert copied == [(s, s) for s in BASE[4:7]]
    assert 0.0 < link.score < 1.0


def test_a_shared_direct_quote_is_not_a_copy() -> None:
    # Two reports quoting the same statement word for word, plus one shared plain sentence.
    quote = "“We cannot keep borrowing to pay for promises, and families will pay the price,” Lind said."
    first = [*UNRELATED[:3], quote, BASE[0]]
    second = [*UNRELATED[3:], quote, BASE[0]]
    assert find_reuse(ReuseIndex(), [make("one", first), make("two", second)]) == []


def test_alignment_spans_cut_exactly_the_sentences() -> None:
    items = [make("x", BASE, "2024-03-01"), make("y", BASE[:6] + UNRELATED[:2], "2024-03-02")]
    link = link_between(find_reuse(ReuseIndex(), items), "x", "y")
    x_text, y_text = items[0][0].text, items[1][0].text
    for a in link.alignments:
        assert x_text[a.source_start : a.source_end] in BASE
        assert y_text[a.derived_start : a.derived_end] in BASE + UNRELATED
        assert 0.0 <= a.similarity <= 1.0 + 1e-6


def test_unrelated_texts_are_not_linked() -> None:
    assert find_reuse(ReuseIndex(), [make("budget", BASE), make("snow", UNRELATED)]) == []


def test_direction_by_textual_evidence_when_undated() -> None:
    # The derived copy keeps three paragraphs but drops the quote and the figures (42 million, 2025).
    trimmed = [BASE[0].replace(" of 42 million dollars", ""), BASE[1], BASE[2], BASE[4],
               BASE[5].replace(" of 2025", ""), BASE[6]]
    links = find_reuse(ReuseIndex(), [make("derived", trimmed), make("source", BASE)])
    link = link_between(links, "derived", "source")
    assert (link.source, link.derived) == ("source", "derived")
    assert link.direction_basis.startswith("textual:")


def test_dates_decide_before_text() -> None:
    trimmed = [BASE[0], BASE[1], BASE[2], BASE[4], BASE[5], BASE[6]]
    links = find_reuse(ReuseIndex(), [make("full", BASE, "2024-06-02"), make("short", trimmed, "2024-06-01")])
    link = link_between(links, "full", "short")
    assert (link.source, link.derived) == ("short", "full")
    assert link.direction_basis == "published: 2024-06-01 before 2024-06-02"


def test_incremental_add_only_links_the_new_article() -> None:
    index = ReuseIndex()
    first = [make("a", BASE, "2024-01-01"), make("b", BASE, "2024-01-02"), make("snow", UNRELATED)]
    assert len(find_reuse(index, first)) == 1  # a -> b
    assert len(index) == 3
    again = find_reuse(index, [make("c", BASE, "2024-01-03"), first[0]])  # "a" is already indexed: skipped
    assert {x.derived for x in again} == {"c"}
    assert {x.source for x in again} == {"a", "b"}
    assert len(index) == 4


def test_index_add_makes_articles_linkable_and_is_idempotent() -> None:
    index = ReuseIndex()
    item = make("a", BASE, "2024-01-01")
    index.add(*item)
    index.add(*item)
    assert len(index) == 1
    (link,) = find_reuse(index, [make("b", BASE, "2024-01-02")])
    assert (link.source, link.derived) == ("a", "b")


def test_mismatched_inputs_are_rejected() -> None:
    article, sentences, _ = make("a", BASE)
    _, _, other_features = make("b", BASE)
    with pytest.raises(ValueError, match="disagree"):
        find_reuse(ReuseIndex(), [(article, sentences, other_features)])


def test_exact_and_approximate_vector_search_give_the_same_links() -> None:
    host = UNRELATED[:3] + BASE[4:7] + UNRELATED[3:]
    items = [make("a", BASE, "2024-01-01"), make("b", BASE, "2024-01-02"), make("h", host, "2024-01-03"),
             make("snow", UNRELATED, "2024-01-04")]
    exact = find_reuse(ReuseIndex(exact=True), items)
    approximate = find_reuse(ReuseIndex(exact=False), items)
    assert sorted((x.source, x.derived, x.kind) for x in exact) == sorted(
        (x.source, x.derived, x.kind) for x in approximate
    )
    pairs = {frozenset((x.source, x.derived)) for x in exact}
    assert pairs == {frozenset(p) for p in (("a", "b"), ("a", "h"), ("b", "h"), ("h", "snow"))}
